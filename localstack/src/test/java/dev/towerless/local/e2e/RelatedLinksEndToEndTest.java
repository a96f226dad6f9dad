package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@code related} link of every object answers, as in AWX: on a stack populated with one of
 * each kind of object (and their jobs), the test walks {@code /api/v2/}, each list, and every
 * link of the objects listed, and fails on any link that is not a 200 (or AWX's 405 for a
 * notification template's POST-only {@code test/}).
 */
class RelatedLinksEndToEndTest {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static Scenario s;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void aStackWithOneOfEverything() throws Exception {
        s = new Scenario();
        ApiClient api = s.api;
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        assertThat(s.awaitFinished("projects/" + project + "/", JOB_TIMEOUT)).containsEntry("status", "successful");
        assertThat((List<Object>) api.get("projects/" + project + "/playbooks/").json(List.class))
                .as("the playbooks the update found, as AWX lists them").contains("hello.yml", "fail.yml").doesNotContain("README.md");
        assertThat((List<Object>) api.get("projects/" + project + "/inventories/").json(List.class)).containsExactly("inventory/hosts.ini");
        long template = s.template(project, "hello.yml", Map.of("ask_variables_on_launch", true));
        api.post("job_templates/" + template + "/labels/", Map.of("name", "walk-" + s.tag, "organization", s.org));
        long job = s.launch(template, Map.of());
        s.awaitFinished("jobs/" + job + "/", JOB_TIMEOUT);
        long group = Scenario.id(api.create("groups/", Map.of("name", "walkers", "inventory", s.inventory)));
        long host = ((Number) ((List<Map<String, Object>>) api.get("inventories/" + s.inventory + "/hosts/").json().get("results"))
                .get(0).get("id")).longValue();
        api.post("groups/" + group + "/hosts/", Map.of("id", host));
        // hosts/N/job_events/: the playbook's events about this host, once its summaries are stored (in the background)
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
        Map<String, Object> events;
        do {
            Thread.sleep(200);
            events = api.get("hosts/" + host + "/job_events/").json();
        } while (((Number) events.get("count")).intValue() == 0 && java.time.Instant.now().isBefore(deadline));
        assertThat((List<Map<String, Object>>) events.get("results")).isNotEmpty()
                .allSatisfy(e -> assertThat(e).containsEntry("job", (int) job).containsEntry("host_name", "localhost"));
        long source = Scenario.id(api.create("inventory_sources/", Map.of("name", "walk-src-" + s.tag, "inventory", s.inventory,
                "source", "scm", "source_project", project, "source_path", "inventory")));
        s.awaitFinished("inventory_updates/" + api.post("inventory_sources/" + source + "/update/", Map.of()).id() + "/", JOB_TIMEOUT);
        long adHoc = api.post("ad_hoc_commands/", Map.of("inventory", s.inventory, "module_name", "ping")).id();
        s.awaitFinished("ad_hoc_commands/" + adHoc + "/", JOB_TIMEOUT);
        long workflow = Scenario.id(api.create("workflow_job_templates/", Map.of("name", "walk-wf-" + s.tag, "organization", s.org)));
        api.create("workflow_job_templates/" + workflow + "/workflow_nodes/", Map.of("unified_job_template", template));
        s.awaitFinished("workflow_jobs/" + api.post("workflow_job_templates/" + workflow + "/launch/", Map.of()).json()
                .get("workflow_job") + "/", JOB_TIMEOUT);
        api.create("job_templates/" + template + "/schedules/", Map.of("name", "walk-sched-" + s.tag,
                "rrule", "DTSTART:20300101T010000Z RRULE:FREQ=DAILY;INTERVAL=1"));
        api.create("notification_templates/", Map.of("name", "walk-nt-" + s.tag, "organization", s.org,
                "notification_type", "webhook", "notification_configuration",
                Map.of("url", "http://127.0.0.1:9/hook", "headers", Map.of(), "http_method", "POST")));
        long team = Scenario.id(api.create("teams/", Map.of("name", "walk-team-" + s.tag, "organization", s.org)));
        long user = Scenario.id(api.create("users/", Map.of("username", "walk-" + s.tag, "password", "Walk-the-links-1")));
        api.post("teams/" + team + "/users/", Map.of("id", user));
        api.create("credentials/", Map.of("name", "walk-cred-" + s.tag, "organization", s.org, "credential_type", 1,
                "inputs", Map.of("username", "walker")));
        long app = Scenario.id(api.create("applications/", Map.of("name", "walk-app-" + s.tag, "organization", s.org,
                "client_type", "confidential", "authorization_grant_type", "password")));
        api.post("applications/" + app + "/tokens/", Map.of("scope", "read"));
        long cleanup = ((Number) ((List<Map<String, Object>>) api.get("system_job_templates/?job_type=cleanup_tokens").json()
                .get("results")).get(0).get("id")).longValue();
        s.awaitFinished("system_jobs/" + api.post("system_job_templates/" + cleanup + "/launch/", Map.of()).json()
                .get("system_job") + "/", JOB_TIMEOUT);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRelatedLinkOfEveryTypeAnswers() {
        Map<String, Object> root = s.api.get("").json();
        Map<String, String> broken = new LinkedHashMap<>();
        List<String> walked = new ArrayList<>();
        java.util.Set<String> kinds = new java.util.HashSet<>();
        for (Map.Entry<String, Object> endpoint : root.entrySet()) {
            ApiClient.Response list = s.api.get(path(endpoint.getValue()));
            if (!(list.json().get("results") instanceof List<?> results)) {
                continue;
            }
            for (Object o : results) {
                Map<String, Object> related = (Map<String, Object>) ((Map<String, Object>) o).getOrDefault("related", Map.of());
                related.forEach((name, link) -> {
                    // Every object of a type links the same endpoint under the same name: one of each
                    // (type, link) proves the endpoint, and walking the shared stack's thousands of
                    // objects only repeated it (this class took 3.5 minutes).
                    if (!kinds.add(endpoint.getKey() + "." + name)) {
                        return;
                    }
                    for (Object each : link instanceof List<?> many ? many : List.of(link)) {
                        String url = String.valueOf(each);
                        walked.add(url);
                        ApiClient.Response r = s.api.get(path(url));
                        boolean postOnly = name.equals("test") && endpoint.getKey().equals("notification_templates");
                        if (r.status() != (postOnly ? 405 : 200)) {
                            broken.put(endpoint.getKey() + "." + name + " " + url, r.status() + " " + abbreviate(r.body()));
                        }
                    }
                });
            }
        }
        assertThat(walked).as("distinct links walked").hasSizeGreaterThan(200);
        System.out.println("related links walked: " + walked.size());
        assertThat(broken).as("related links that do not answer 200").isEmpty();
    }

    /** The sub-lists this walk added answer an outsider (no role anywhere) as their object does: 403. */
    @Test
    @SuppressWarnings("unchecked")
    void anOutsiderIsRefusedTheNewSubListsOfObjectsTheyCannotSee() {
        String name = "outsider-" + s.tag;
        s.api.create("users/", Map.of("username", name, "password", "Outsider-pass-1"));
        ApiClient outsider = new ApiClient(LocalStackFixture.stack().apiUrl(), null, "Basic " + java.util.Base64.getEncoder()
                .encodeToString((name + ":Outsider-pass-1").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        long host = ((Number) ((List<Map<String, Object>>) s.api.get("inventories/" + s.inventory + "/hosts/").json().get("results"))
                .get(0).get("id")).longValue();
        for (String sub : List.of("inventories/" + s.inventory + "/job_templates/", "hosts/" + host + "/job_events/",
                "hosts/" + host + "/job_host_summaries/")) {
            assertThat(outsider.get(sub).status()).as(sub).isEqualTo(403);
        }
    }

    private static String path(Object url) {
        return String.valueOf(url).substring("/api/v2/".length());
    }

    private static String abbreviate(String body) {
        return body.length() > 160 ? body.substring(0, 160) + "…" : body;
    }
}
