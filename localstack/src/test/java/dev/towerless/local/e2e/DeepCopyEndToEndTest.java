package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.aws.definitions.Messaging;
import dev.towerless.core.access.Role;
import dev.towerless.core.background.ResourceTask;
import dev.towerless.core.copying.DeepCopy;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.VariablesCodec;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * AWX's deep copy over HTTP: POST copy/ answers 201 with the new top-level object (awx.awx's
 * copy_from requires 201), and its sub-objects follow from a background task, idempotent when its
 * message is delivered twice.
 */
class DeepCopyEndToEndTest {
    private final Scenario s = new Scenario();
    private static final ResourceStore STORE = LocalStackFixture.stack().context().getBean(ResourceStore.class);

    @Test
    @SuppressWarnings("unchecked")
    void anInventoryCopyAnswers201AndAppearsCompleteWithEveryHostGroupAndVariable() throws Exception {
        ApiClient api = s.api;
        long inv = id(api.create("inventories/", Map.of("name", "orig-" + s.tag, "organization", s.org,
                "variables", "region: eu\n")));
        long web1 = id(api.create("inventories/" + inv + "/hosts/", Map.of("name", "web1", "variables", "port: 8080\n",
                "enabled", false, "instance_id", "i-1")));
        long db1 = id(api.create("inventories/" + inv + "/hosts/", Map.of("name", "db1")));
        long all = id(api.create("inventories/" + inv + "/groups/", Map.of("name", "all-" + s.tag, "variables", "tier: any\n")));
        long web = id(api.create("inventories/" + inv + "/groups/", Map.of("name", "web", "variables", "tier: front\n")));
        long db = id(api.create("inventories/" + inv + "/groups/", Map.of("name", "db")));
        api.post("groups/" + all + "/children/", Map.of("id", web));
        api.post("groups/" + all + "/children/", Map.of("id", db));
        api.post("groups/" + web + "/children/", Map.of("id", db));
        api.post("groups/" + web + "/hosts/", Map.of("id", web1));
        api.post("groups/" + db + "/hosts/", Map.of("id", db1));
        api.post("groups/" + all + "/hosts/", Map.of("id", web1));

        ApiClient.Response copied = api.post("inventories/" + inv + "/copy/", Map.of("name", "copy-" + s.tag));
        assertThat(copied.status()).as(copied.body()).isEqualTo(201);
        assertThat(copied.json()).containsEntry("name", "copy-" + s.tag).containsEntry("variables", "region: eu\n")
                .containsEntry("organization", (int) s.org);
        long copy = copied.id();
        assertThat(copy).isNotEqualTo(inv);
        awaitCopied(ResourceTypes.INVENTORY, copy);

        Map<String, Map<String, Object>> hosts = byName(results("inventories/" + copy + "/hosts/"));
        assertThat(hosts.keySet()).containsExactlyInAnyOrder("web1", "db1");
        assertThat(hosts.get("web1")).containsEntry("variables", "port: 8080\n").containsEntry("enabled", false)
                .containsEntry("instance_id", "i-1").containsEntry("inventory", (int) copy);
        assertThat(hosts.values()).noneMatch(h -> List.of((int) web1, (int) db1).contains(h.get("id")));
        Map<String, Map<String, Object>> groups = byName(results("inventories/" + copy + "/groups/"));
        assertThat(groups.keySet()).containsExactlyInAnyOrder("all-" + s.tag, "web", "db");
        assertThat(groups.get("web")).containsEntry("variables", "tier: front\n");
        assertThat(names("groups/" + groups.get("all-" + s.tag).get("id") + "/children/")).containsExactlyInAnyOrder("web", "db");
        assertThat(names("groups/" + groups.get("web").get("id") + "/children/")).containsExactly("db");
        assertThat(names("groups/" + groups.get("web").get("id") + "/hosts/")).containsExactly("web1");
        assertThat(names("groups/" + groups.get("db").get("id") + "/hosts/")).containsExactly("db1");
        assertThat(names("groups/" + groups.get("all-" + s.tag).get("id") + "/hosts/")).containsExactly("web1");
        for (Map<String, Object> h : results("groups/" + groups.get("web").get("id") + "/hosts/")) {
            assertThat(h).containsEntry("inventory", (int) copy);
        }
        assertThat(names("inventories/" + inv + "/hosts/")).as("the original keeps its own").containsExactlyInAnyOrder("web1", "db1");

        // The same task delivered again (SQS is at least once) copies nothing twice.
        resend(ResourceTask.copy(ResourceTypes.INVENTORY, inv, copy, 1));
        STORE.update(ResourceTypes.INVENTORY, copy, Map.of(DeepCopy.PENDING, true, DeepCopy.SOURCE, inv, DeepCopy.COPIER, 1));
        resend(ResourceTask.copy(ResourceTypes.INVENTORY, inv, copy, 1));
        awaitCopied(ResourceTypes.INVENTORY, copy);
        assertThat(names("inventories/" + copy + "/hosts/")).containsExactlyInAnyOrder("web1", "db1");
        assertThat(names("inventories/" + copy + "/groups/")).hasSize(3);
        assertThat(api.get("inventories/" + copy + "/").json()).doesNotContainKeys(DeepCopy.PENDING, DeepCopy.COPIED_FROM);
    }

    @Test
    void aWorkflowCopyTellsWhatTheCallerCannotTakeAlongAndDropsIt() throws Exception {
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long hello = s.template(project, "hello.yml", Map.of());
        Map<String, Object> template = s.api.get("job_templates/" + hello + "/").json();
        long wf = id(s.api.create("workflow_job_templates/", Map.of("name", "wf-" + s.tag, "organization", s.org)));
        long first = id(s.api.create("workflow_job_templates/" + wf + "/workflow_nodes/", Map.of("unified_job_template", hello,
                "identifier", "first")));
        long second = id(s.api.create("workflow_job_templates/" + wf + "/workflow_nodes/", Map.of("identifier", "second")));
        s.api.post("workflow_job_template_nodes/" + first + "/success_nodes/", Map.of("id", second));

        assertThat(s.api.get("workflow_job_templates/" + wf + "/copy/").json()).isEqualTo(Map.of("can_copy", true,
                "can_copy_without_user_input", true, "templates_unable_to_copy", List.of(),
                "credentials_unable_to_copy", List.of(), "inventories_unable_to_copy", List.of()));

        // A workflow admin of the organization who may not run the node's template.
        String password = "pw-" + s.tag;
        long user = id(s.api.create("users/", Map.of("username", "wfadmin-" + s.tag, "password", password)));
        s.api.post("users/" + user + "/roles/", Map.of("id", Role.of(ResourceTypes.ORGANIZATION, s.org, "workflow_admin_role").id()));
        ApiClient admin = new ApiClient(LocalStackFixture.stack().apiUrl(), null, "Basic "
                + Base64.getEncoder().encodeToString(("wfadmin-" + s.tag + ":" + password).getBytes(StandardCharsets.UTF_8)));
        assertThat(admin.get("workflow_job_templates/" + wf + "/copy/").json()).isEqualTo(Map.of("can_copy", true,
                "can_copy_without_user_input", false, "templates_unable_to_copy", List.of(template.get("name")),
                "credentials_unable_to_copy", List.of(), "inventories_unable_to_copy", List.of()));

        ApiClient.Response copied = admin.post("workflow_job_templates/" + wf + "/copy/", Map.of("name", "wf-copy-" + s.tag));
        assertThat(copied.status()).as(copied.body()).isEqualTo(201);
        awaitCopied(ResourceTypes.WORKFLOW_JOB_TEMPLATE, copied.id());
        Map<String, Map<String, Object>> nodes = results("workflow_job_templates/" + copied.id() + "/workflow_nodes/").stream()
                .collect(Collectors.toMap(n -> String.valueOf(n.get("identifier")), n -> n));
        assertThat(nodes.keySet()).containsExactlyInAnyOrder("first", "second");
        assertThat(nodes.get("first").get("unified_job_template")).as("a template the copier may not run is left out (AWX)").isNull();
        assertThat(nodes.get("first").get("success_nodes")).isEqualTo(List.of(nodes.get("second").get("id")));
        assertThat(nodes.get("first").get("id")).isNotEqualTo((int) first);
    }

    /** Waits until the background has finished the deep copy into {@code id} (its pending mark cleared). */
    static void awaitCopied(String type, long id) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (STORE.get(type, id).map(r -> r.flag(DeepCopy.PENDING)).orElse(false)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(type + " " + id + " is still being copied: " + STORE.get(type, id));
            }
            Thread.sleep(50);
        }
    }

    private static void resend(ResourceTask task) {
        var context = LocalStackFixture.stack().context();
        String url = LocalStackFixture.stack().provisioned().queueUrl(Messaging.RESOURCE_TASKS);
        context.getBean(SqsClient.class).sendMessage(r -> r.queueUrl(url).messageBody(task.toJson(context.getBean(VariablesCodec.class))));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> results(String path) {
        return (List<Map<String, Object>>) s.api.get(path).json().get("results");
    }

    private List<Object> names(String path) {
        return results(path).stream().map(r -> r.get("name")).toList();
    }

    private static Map<String, Map<String, Object>> byName(List<Map<String, Object>> objects) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        objects.forEach(o -> out.put(String.valueOf(o.get("name")), o));
        return out;
    }

    private static long id(Map<String, Object> o) {
        return ((Number) o.get("id")).longValue();
    }
}
