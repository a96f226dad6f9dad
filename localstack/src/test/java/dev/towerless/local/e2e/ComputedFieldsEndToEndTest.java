package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AWX's computed fields through HTTP with real ansible: a failing job turns the host's and the
 * inventory's failure fields on, a later successful job turns them off, and the summaries behind
 * them are listed under the job, the host and the host's group, with the host filled in.
 */
class ComputedFieldsEndToEndTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    /** How long the background recompute may take after a job ends (docs/inventory-computed-fields.md). */
    private static final Duration FRESH_WITHIN = Duration.ofSeconds(10);
    private static Scenario scenario;
    private static long project;

    @BeforeAll
    static void setUp() throws Exception {
        scenario = new Scenario();
        project = scenario.project(LocalStackFixture.sampleRepoUrl());
        assertThat(scenario.awaitFinished("projects/" + project + "/", JOB_TIMEOUT)).containsEntry("status", "successful");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> results(String path) {
        return (List<Map<String, Object>>) scenario.api.get(path).json().get("results");
    }

    /** Polls until the object satisfies {@code ready}; returns it and prints how long that took. */
    static Map<String, Object> awaitState(String path, Predicate<Map<String, Object>> ready, String what) throws InterruptedException {
        Instant start = Instant.now();
        Instant deadline = start.plus(FRESH_WITHIN);
        while (true) {
            Map<String, Object> o = scenario.api.get(path).json();
            if (ready.test(o)) {
                System.out.println(what + " after " + Duration.between(start, Instant.now()).toMillis() + " ms");
                return o;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(path + " not " + what + " within " + FRESH_WITHIN + ": " + o);
            }
            Thread.sleep(50);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailingJobTurnsTheFailureFieldsOnAndALaterSuccessTurnsThemOff() throws Exception {
        long inventory = scenario.inventory;
        long host = Scenario.id(results("inventories/" + inventory + "/hosts/").get(0));
        long group = Scenario.id(scenario.api.create("inventories/" + inventory + "/groups/", Map.of("name", "web")));
        assertThat(scenario.api.post("groups/" + group + "/hosts/", Map.of("id", host)).status()).isEqualTo(204);
        Map<String, Object> fresh = awaitState("inventories/" + inventory + "/",
                i -> Integer.valueOf(1).equals(i.get("total_hosts")) && Integer.valueOf(1).equals(i.get("total_groups")),
                "a new host and group counted");
        assertThat(fresh).containsEntry("has_active_failures", false).containsEntry("hosts_with_active_failures", 0)
                .containsEntry("has_inventory_sources", false).containsEntry("inventory_sources_with_failures", 0);
        assertThat(scenario.api.get("hosts/" + host + "/").json()).containsEntry("has_active_failures", false)
                .containsEntry("last_job", null).containsEntry("last_job_host_summary", null);

        long failing = scenario.launch(scenario.template(project, "fail.yml", Map.of()), Map.of());
        assertThat(scenario.awaitFinished("jobs/" + failing + "/", JOB_TIMEOUT)).containsEntry("status", "failed");
        Map<String, Object> failedHost = awaitState("hosts/" + host + "/", h -> Boolean.TRUE.equals(h.get("has_active_failures")),
                "the host's failure on");
        Map<String, Object> failedInventory = awaitState("inventories/" + inventory + "/",
                i -> Boolean.TRUE.equals(i.get("has_active_failures")), "the inventory's failure on");
        assertThat(failedInventory).containsEntry("hosts_with_active_failures", 1).containsEntry("total_hosts", 1);
        assertThat(failedHost).containsEntry("last_job", (int) failing);
        long summaryId = ((Number) failedHost.get("last_job_host_summary")).longValue();
        Map<String, Object> summaryFields = (Map<String, Object>) failedHost.get("summary_fields");
        assertThat((Map<String, Object>) summaryFields.get("last_job")).containsEntry("id", (int) failing)
                .containsEntry("status", "failed").containsEntry("failed", true).containsKeys("job_template_id", "job_template_name");
        assertThat((Map<String, Object>) summaryFields.get("last_job_host_summary")).containsEntry("failed", true);
        assertThat((List<Map<String, Object>>) summaryFields.get("recent_jobs")).extracting(j -> j.get("id")).containsExactly((int) failing);
        assertThat((Map<String, Object>) ((Map<String, Object>) failedHost.get("related"))).containsEntry("last_job",
                "/api/v2/jobs/" + failing + "/").containsEntry("job_host_summaries", "/api/v2/hosts/" + host + "/job_host_summaries/");

        Map<String, Object> summary = scenario.api.get("job_host_summaries/" + summaryId + "/").json();
        assertThat(summary).containsEntry("type", "job_host_summary").containsEntry("job", (int) failing)
                .containsEntry("host", (int) host).containsEntry("host_name", "localhost").containsEntry("failed", true)
                .containsEntry("failures", 1).containsEntry("ok", 1);
        assertThat(results("jobs/" + failing + "/job_host_summaries/")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("host", (int) host).containsEntry("failed", true));
        // A job's own summary of the inventory shows the computed fields too (AWX's summary_fields.inventory).
        Map<String, Object> jobInventory = (Map<String, Object>) ((Map<String, Object>) scenario.api.get("jobs/" + failing + "/")
                .json().get("summary_fields")).get("inventory");
        assertThat(jobInventory).containsEntry("has_active_failures", true).containsEntry("total_hosts", 1);

        long fixed = scenario.launch(scenario.template(project, "hello.yml", Map.of()), Map.of());
        assertThat(scenario.awaitFinished("jobs/" + fixed + "/", JOB_TIMEOUT)).containsEntry("status", "successful");
        awaitState("hosts/" + host + "/", h -> Boolean.FALSE.equals(h.get("has_active_failures"))
                && Integer.valueOf((int) fixed).equals(h.get("last_job")), "the host's failure off");
        Map<String, Object> fixedInventory = awaitState("inventories/" + inventory + "/",
                i -> Boolean.FALSE.equals(i.get("has_active_failures")), "the inventory's failure off");
        assertThat(fixedInventory).containsEntry("hosts_with_active_failures", 0);
        assertThat(results("hosts/" + host + "/job_host_summaries/")).extracting(r -> r.get("job"), r -> r.get("failed"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple((int) fixed, false),
                        org.assertj.core.groups.Tuple.tuple((int) failing, true));
        assertThat(results("groups/" + group + "/job_host_summaries/")).hasSize(2)
                .allSatisfy(r -> assertThat(r).containsEntry("host", (int) host));
        assertThat(scenario.api.get("job_host_summaries/999999999999/").status()).isEqualTo(404);
    }

    @Test
    void aFailedSyncCountsAsAnInventorySourceWithFailures() throws Exception {
        long inventory = Scenario.id(scenario.api.create("inventories/", Map.of("name", "synced-" + scenario.tag,
                "organization", scenario.org)));
        long source = Scenario.id(scenario.api.create("inventory_sources/", Map.of("name", "missing " + scenario.tag,
                "inventory", inventory, "source", "scm", "source_project", project, "source_path", "inventory/no-such-file.ini")));
        awaitState("inventories/" + inventory + "/", i -> Integer.valueOf(1).equals(i.get("total_inventory_sources")),
                "a new source counted");
        assertThat(scenario.api.post("inventory_sources/" + source + "/update/", Map.of()).status()).isEqualTo(202);
        assertThat(scenario.awaitFinished("inventory_sources/" + source + "/", JOB_TIMEOUT)).containsEntry("status", "failed");
        Map<String, Object> failed = awaitState("inventories/" + inventory + "/",
                i -> Integer.valueOf(1).equals(i.get("inventory_sources_with_failures")), "the failed sync counted");
        assertThat(failed).containsEntry("has_inventory_sources", true).containsEntry("has_active_failures", false);
    }
}
