package dev.towerless.local.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A user without superuser rights tries to become more than they are: superuser, auditor,
 * another user, an organization's admin, the holder of a role nobody gave them. AWX refuses each;
 * so must we, and nothing may have changed afterwards.
 */
class EscalationTest {
    private static final String DENIED = "You do not have permission to perform this action.";
    private final Accounts a = new Accounts();

    @Test
    void nobodyMakesThemselfOrAnyoneElseSuperuserOrAuditor() {
        long mallory = a.user("mallory");
        long victim = a.user("victim");
        ApiClient m = a.basic("mallory");
        ApiClient.Response self = m.patch("users/" + mallory + "/", Map.of("is_superuser", true));
        assertThat(self.status()).isEqualTo(403);
        assertThat(self.json()).containsEntry("detail", DENIED);
        ApiClient.Response auditor = m.patch("users/" + mallory + "/", Map.of("is_system_auditor", true));
        assertThat(auditor.status()).isEqualTo(403);
        assertThat(auditor.json()).containsEntry("detail", "Cannot change is_system_auditor.");
        assertThat(m.patch("users/" + victim + "/", Map.of("is_superuser", true)).status()).isIn(403);
        assertThat(m.post("roles/1/users/", Map.of("id", mallory)).status()).isEqualTo(403);
        assertThat(m.post("roles/2/users/", Map.of("id", mallory)).status()).isEqualTo(403);
        assertThat(m.post("users/", Map.of("username", "evil-" + a.tag, "password", "x", "is_superuser", true)).status())
                .isEqualTo(403);
        Map<String, Object> after = a.admin.get("users/" + mallory + "/").json();
        assertThat(after).containsEntry("is_superuser", false).containsEntry("is_system_auditor", false);
        assertThat(a.admin.get("users/" + victim + "/").json()).containsEntry("is_superuser", false);
        // the admin's password cannot be reset by them either
        assertThat(m.patch("users/1/", Map.of("password", "taken-over")).status()).isEqualTo(403);
    }

    @Test
    void aUserMayChangeTheirOwnDetailsButNotTheirName() {
        long u = a.user("plain");
        ApiClient c = a.basic("plain");
        assertThat(c.patch("users/" + u + "/", Map.of("first_name", "Plain")).status()).isEqualTo(200);
        ApiClient.Response rename = c.patch("users/" + u + "/", Map.of("username", "admin"));
        assertThat(rename.status()).isEqualTo(403);
        assertThat(rename.json()).containsEntry("detail", "Cannot change username.");
    }

    @Test
    void anOrganizationAdminManagesOnlyUsersWhollyInTheirOrganizations() {
        long org = a.create("organizations/", Map.of("name", "mine-" + a.tag));
        long other = a.create("organizations/", Map.of("name", "theirs-" + a.tag));
        long boss = a.user("boss");
        long local = a.user("local");
        long shared = a.user("shared");
        a.grant("organizations/", org, "admin_role", boss);
        a.grant("organizations/", org, "member_role", local);
        a.grant("organizations/", org, "member_role", shared);
        a.grant("organizations/", other, "member_role", shared);
        ApiClient b = a.basic("boss");

        assertThat(b.patch("users/" + local + "/", Map.of("password", "new-local-pw")).status()).isEqualTo(200);
        assertThat(b.patch("users/" + shared + "/", Map.of("password", "new-shared-pw")).status()).isEqualTo(403);
        // the password really changed for the first and not for the second
        assertThat(basicAs("local", "new-local-pw").get("me/").status()).isEqualTo(200);
        assertThat(basicAs("shared", "new-shared-pw").get("me/").status()).isEqualTo(401);
        // nor may they pull a user of another organization into theirs as an admin
        assertThat(b.post("organizations/" + org + "/admins/", Map.of("id", shared)).status()).isEqualTo(403);
        assertThat(b.patch("users/1/", Map.of("first_name", "pwned")).status()).isEqualTo(403);
    }

    @Test
    void aRoleCanOnlyBeHandedOnByAnAdminOfItsObject() {
        long org = a.create("organizations/", Map.of("name", "grants-" + a.tag));
        long inventory = a.create("inventories/", Map.of("name", "inv-" + a.tag, "organization", org));
        long member = a.user("member");
        long friend = a.user("friend");
        a.grant("organizations/", org, "member_role", member);
        a.grant("organizations/", org, "member_role", friend);
        a.grant("inventories/", inventory, "use_role", member);
        ApiClient m = a.basic("member");
        long admin = a.role("inventories/", inventory, "admin_role");
        long use = a.role("inventories/", inventory, "use_role");
        assertThat(m.post("roles/" + admin + "/users/", Map.of("id", member)).status()).isEqualTo(403);
        assertThat(m.post("roles/" + use + "/users/", Map.of("id", friend)).status()).isEqualTo(403);
        assertThat(m.post("users/" + member + "/roles/", Map.of("id", admin)).status()).isEqualTo(403);
        assertThat(m.post("organizations/" + org + "/admins/", Map.of("id", member)).status()).isEqualTo(403);
        assertThat(m.patch("inventories/" + inventory + "/", Map.of("description", "mine now")).status()).isEqualTo(403);
        // and settings that reach every job are the superusers' alone
        assertThat(m.patch("settings/jobs/", Map.of("AWX_TASK_ENV", Map.of("EVIL", "1"))).status()).isEqualTo(403);
        assertThat(m.get("settings/all/").status()).isEqualTo(403);
        assertThat(((Number) a.admin.get("roles/" + admin + "/users/").json().get("count")).intValue()).isZero();
    }

    private ApiClient basicAs(String name, String password) {
        return new ApiClient(dev.towerless.local.LocalStackFixture.stack().apiUrl(), null, "Basic " + java.util.Base64.getEncoder()
                .encodeToString((name + "-" + a.tag + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** AWX's InventorySourceSerializer: a source's credential must be usable by whoever sets it, or a sync hands its secrets over. */
    @Test
    void anInventoryAdminCannotGiveASourceACredentialTheyMayNotUse() {
        long org = a.create("organizations/", Map.of("name", "src-cred-" + a.tag));
        long inventory = a.create("inventories/", Map.of("name", "src-inv-" + a.tag, "organization", org));
        long credential = a.create("credentials/", Map.of("name", "aws-" + a.tag, "organization", org, "credential_type",
                dev.towerless.core.credentials.ManagedCredentialTypes.AMAZON_WEB_SERVICES,
                "inputs", Map.of("username", "AKIATHEIRS", "password", "not-yours-3e9a")));
        long owner = a.user("invadmin");
        a.grant("organizations/", org, "member_role", owner);
        a.grant("inventories/", inventory, "admin_role", owner);
        ApiClient m = a.basic("invadmin");
        Map<String, Object> source = Map.of("name", "ec2-" + a.tag, "inventory", inventory, "source", "ec2", "credential", credential);
        assertThat(m.post("inventory_sources/", source).status()).isEqualTo(403);
        long bare = ((Number) m.post("inventory_sources/", Map.of("name", "bare-" + a.tag, "inventory", inventory, "source", "ec2"))
                .json().get("id")).longValue();
        assertThat(m.patch("inventory_sources/" + bare + "/", Map.of("credential", credential)).status()).isEqualTo(403);
        a.grant("credentials/", credential, "use_role", owner);
        assertThat(m.patch("inventory_sources/" + bare + "/", Map.of("credential", credential)).status()).isEqualTo(200);
        assertThat(m.post("inventory_sources/", source).status()).isEqualTo(201);
    }
}
