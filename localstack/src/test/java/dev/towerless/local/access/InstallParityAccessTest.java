package dev.towerless.local.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Labels, applications and bulk are new ways in: each is tried by users who hold too little, and
 * each refusal must leave nothing behind.
 */
class InstallParityAccessTest {
    private static final Accounts a = new Accounts();
    private static long org;
    private static long inventory;
    private static long template;
    private static long project;

    @BeforeAll
    static void setUp() throws Exception {
        org = a.create("organizations/", Map.of("name", "parity-" + a.tag));
        inventory = a.create("inventories/", Map.of("name", "parity-inv-" + a.tag, "organization", org));
        project = a.create("projects/", Map.of("name", "parity-proj-" + a.tag, "organization", org, "scm_type", "git",
                "scm_url", LocalStackFixture.sampleRepoUrl()));
        for (int i = 0; i < 600 && !"successful".equals(a.admin.get("projects/" + project + "/").json().get("status")); i++) {
            Thread.sleep(100);
        }
        template = a.create("job_templates/", Map.of("name", "parity-jt-" + a.tag, "project", project, "inventory", inventory,
                "playbook", "hello.yml"));
    }

    @Test
    void aReaderCannotLabelATemplateAndLeavesNoLabelBehind() {
        long reader = a.user("label-reader");
        a.grant("job_templates/", template, "read_role", reader);
        ApiClient r = a.basic("label-reader");
        String name = "sneaky-" + a.tag;
        ApiClient.Response attach = r.post("job_templates/" + template + "/labels/", Map.of("name", name, "organization", org));
        assertThat(attach.status()).as(attach.body()).isEqualTo(403);
        assertThat(a.admin.get("labels/?name=" + name).json()).containsEntry("count", 0);

        long admin = a.user("label-admin");
        a.grant("job_templates/", template, "admin_role", admin);
        // AWX: making a label needs membership of its organization, whatever one holds on the template
        ApiClient.Response outsider = a.basic("label-admin").post("job_templates/" + template + "/labels/",
                Map.of("name", name, "organization", org));
        assertThat(outsider.status()).as(outsider.body()).isEqualTo(403);
        a.grant("organizations/", org, "member_role", admin);
        assertThat(a.basic("label-admin").post("job_templates/" + template + "/labels/", Map.of("name", name, "organization", org))
                .status()).isEqualTo(201);
        assertThat(a.admin.get("labels/?name=" + name).json()).containsEntry("count", 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anApplicationIsSeenOnlyInsideItsOrganizationAndItsSecretNeverAgain() {
        ApiClient.Response app = a.admin.post("applications/", Map.of("name", "parity-app-" + a.tag, "organization", org,
                "client_type", "confidential", "authorization_grant_type", "password"));
        assertThat(app.status()).isEqualTo(201);
        String secret = String.valueOf(app.json().get("client_secret"));
        long outsider = a.user("app-outsider");
        ApiClient o = a.basic("app-outsider");
        assertThat(o.get("applications/").json()).containsEntry("count", 0);
        assertThat(o.get("applications/" + app.id() + "/").status()).isIn(403, 404);
        assertThat(o.patch("applications/" + app.id() + "/", Map.of("name", "mine")).status()).isIn(403, 404);
        assertThat(o.post("applications/", Map.of("name", "x-" + a.tag, "organization", org, "client_type", "public",
                "authorization_grant_type", "password")).status()).isEqualTo(403);
        assertThat(a.admin.get("applications/" + app.id() + "/").json()).containsEntry("name", "parity-app-" + a.tag);
        assertThat(a.admin.get("applications/").body()).doesNotContain(secret);
        assertThat(outsider).isPositive();
    }

    @Test
    @SuppressWarnings("unchecked")
    void bulkCreatesNoHostAndLaunchesNoJobForAUserWithoutTheRole() {
        long user = a.user("bulk-user");
        a.grant("inventories/", inventory, "use_role", user);
        a.grant("job_templates/", template, "read_role", user);
        ApiClient u = a.basic("bulk-user");
        ApiClient.Response hosts = u.post("bulk/host_create/", Map.of("inventory", inventory, "hosts", List.of(Map.of("name", "planted"))));
        assertThat(hosts.status()).as(hosts.body()).isEqualTo(400);
        assertThat(hosts.body()).contains("lack permissions to add hosts");
        assertThat(a.admin.get("inventories/" + inventory + "/hosts/?name=planted").json()).containsEntry("count", 0);

        ApiClient.Response launch = u.post("bulk/job_launch/", Map.of("jobs", List.of(Map.of("unified_job_template", template))));
        assertThat(launch.status()).as(launch.body()).isEqualTo(400);
        assertThat((List<String>) launch.json().get("non_field_errors")).singleElement().asString()
                .contains("Unified Job Templates [" + template + "] not found or you don't have permissions to access it");
        assertThat(a.admin.get("jobs/?job_template=" + template).json()).containsEntry("count", 0);
    }

    @Test
    void aReaderMayNotCopyATemplateAndNoCopyAppears() {
        long reader = a.user("copy-reader");
        a.grant("job_templates/", template, "read_role", reader);
        ApiClient r = a.basic("copy-reader");
        assertThat(r.get("job_templates/" + template + "/copy/").json()).containsEntry("can_copy", false);
        ApiClient.Response refused = r.post("job_templates/" + template + "/copy/", Map.of("name", "stolen-" + a.tag));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(a.admin.get("job_templates/?name=stolen-" + a.tag).json()).containsEntry("count", 0);
        assertThat(a.basic("copy-reader").get("inventories/" + inventory + "/copy/").status()).isIn(403, 404);
    }

    @Test
    void canUpdateSaysWhetherTheCallerMayUpdate() {
        long reader = a.user("update-reader");
        a.grant("projects/", project, "read_role", reader);
        assertThat(a.basic("update-reader").get("projects/" + project + "/update/").json()).containsEntry("can_update", false);
        assertThat(a.basic("update-reader").post("projects/" + project + "/update/", Map.of()).status()).isEqualTo(403);
        assertThat(a.admin.get("projects/" + project + "/update/").json()).containsEntry("can_update", true);
    }
}
