package dev.towerless.local.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Roles pass from a team to its members and from an organization to what it holds, and stop the moment they are revoked. */
class RoleInheritanceTest {
    private final Accounts a = new Accounts();
    private long org;
    private long template;
    private long team;

    @BeforeEach
    void setUp() {
        org = a.create("organizations/", Map.of("name", "inherit-" + a.tag));
        long project = a.create("projects/", Map.of("name", "p-" + a.tag, "organization", org, "scm_type", "git",
                "scm_url", LocalStackFixture.sampleRepoUrl()));
        long inventory = a.create("inventories/", Map.of("name", "i-" + a.tag, "organization", org));
        template = a.create("job_templates/", Map.of("name", "t-" + a.tag, "project", project, "inventory", inventory,
                "playbook", "hello.yml"));
        team = a.create("teams/", Map.of("name", "admins-" + a.tag, "organization", org));
    }

    @Test
    void aTeamGrantedTheOrganizationsTemplateAdminRoleAdministersItsTemplatesUntilRevoked() {
        long ann = a.user("ann");
        assertThat(a.admin.post("teams/" + team + "/users/", Map.of("id", ann)).status()).isEqualTo(204);
        ApiClient c = a.basic("ann");
        assertThat(c.patch("job_templates/" + template + "/", Map.of("description", "before")).status()).isEqualTo(403);

        long role = a.role("organizations/", org, "job_template_admin_role");
        assertThat(a.admin.post("teams/" + team + "/roles/", Map.of("id", role)).status()).isEqualTo(204);
        assertThat(c.patch("job_templates/" + template + "/", Map.of("description", "by the team")).status()).isEqualTo(200);
        assertThat(c.get("roles/" + role + "/teams/").json().get("count")).isEqualTo(1);

        assertThat(a.admin.post("roles/" + role + "/teams/", Map.of("id", team, "disassociate", true)).status()).isEqualTo(204);
        assertThat(c.patch("job_templates/" + template + "/", Map.of("description", "after")).status()).isEqualTo(403);
        assertThat(c.get("job_templates/" + template + "/").status()).isEqualTo(403);
    }

    @Test
    void anOrganizationsAdminAndMemberRolesAreForUsersOnly() {
        long admin = a.role("organizations/", org, "admin_role");
        ApiClient.Response r = a.admin.post("teams/" + team + "/roles/", Map.of("id", admin));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("msg", "You cannot assign an Organization participation role as a child role for a Team.");
        ApiClient.Response system = a.admin.post("roles/1/teams/", Map.of("id", team));
        assertThat(system.status()).isEqualTo(400);
        assertThat(system.json()).containsEntry("msg", "You cannot grant system-level permissions to a team.");
    }

    @Test
    void anOrganizationAdminGainsWhatTheirOrganizationsTeamsAreGranted() {
        long otherOrg = a.create("organizations/", Map.of("name", "elsewhere-" + a.tag));
        long foreign = a.create("inventories/", Map.of("name", "foreign-" + a.tag, "organization", otherOrg));
        long bo = a.user("bo");
        a.grant("organizations/", org, "admin_role", bo);
        ApiClient c = a.basic("bo");
        assertThat(c.get("inventories/" + foreign + "/").status()).isEqualTo(403);
        long use = a.role("inventories/", foreign, "use_role");
        assertThat(a.admin.post("roles/" + use + "/teams/", Map.of("id", team)).status()).isEqualTo(204);
        // AWX: a team's member role descends from its organization's admin role
        assertThat(c.get("inventories/" + foreign + "/").status()).isEqualTo(200);
    }
}
