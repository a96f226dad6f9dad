package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.towerless.local.LocalStackFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * gather_analytics as a system job: off by default (it says why and writes nothing), and with
 * INSIGHTS_TRACKING_STATE on, a tar.gz bundle in the state directory whose numbers match what the
 * test made through the API.
 */
class AnalyticsEndToEndTest {
    private static final Path BUNDLES = LocalStackFixture.stateDir().resolve("analytics");

    @SuppressWarnings("unchecked")
    private static long templateId(Scenario s) {
        List<Map<String, Object>> t = (List<Map<String, Object>>) s.api.get("system_job_templates/?job_type=gather_analytics")
                .json().get("results");
        assertThat(t).hasSize(1);
        return ((Number) t.get(0).get("id")).longValue();
    }

    private static Map<String, Object> gather(Scenario s) throws InterruptedException {
        long job = ((Number) s.api.create("system_job_templates/" + templateId(s) + "/launch/", Map.of()).get("system_job")).longValue();
        Map<String, Object> done = s.awaitFinished("system_jobs/" + job + "/", Duration.ofMinutes(1));
        assertThat(done).as(String.valueOf(done)).containsEntry("status", "successful");
        return done;
    }

    private static List<Path> bundles() throws Exception {
        if (!Files.isDirectory(BUNDLES)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(BUNDLES)) {
            return files.filter(f -> f.toString().endsWith(".tar.gz")).sorted().toList();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void offByDefaultItSaysWhyAndWithTheSettingOnItWritesABundleOfWhatRan() throws Exception {
        Scenario s = new Scenario();
        assertThat(s.api.get("settings/system/").json()).containsEntry("INSIGHTS_TRACKING_STATE", false);
        Map<String, Object> collectors = (Map<String, Object>) s.api.get("config/").json().get("analytics_collectors");
        assertThat(collectors).containsKeys("config", "counts", "job_counts", "instance_info", "job_template_runs", "event_counts");
        assertThat((Map<String, Object>) collectors.get("counts")).containsEntry("version", "1.2");

        int before = bundles().size();
        Map<String, Object> off = gather(s);
        assertThat(s.api.get("system_jobs/" + off.get("id") + "/stdout/?format=txt").body())
                .contains("Automation Analytics not enabled", "INSIGHTS_TRACKING_STATE");
        assertThat(off).doesNotContainKey("analytics_bundle");
        assertThat(bundles()).as("nothing gathered while off").hasSize(before);

        // What the bundle must count: a job of a new template on an inventory of three hosts.
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        s.api.create("inventories/" + s.inventory + "/hosts/", Map.of("name", "web1"));
        s.api.create("inventories/" + s.inventory + "/hosts/", Map.of("name", "web2"));
        long template = s.template(project, "hello.yml", Map.of("limit", "localhost"));
        long job = s.launch(template, Map.of());
        Map<String, Object> ran = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1));
        assertThat(ran).containsEntry("status", "successful");

        assertThat(s.api.patch("settings/system/", Map.of("INSIGHTS_TRACKING_STATE", true)).status()).isEqualTo(200);
        try {
            Map<String, Object> on = gather(s);
            Path bundle = Path.of((String) on.get("analytics_bundle"));
            assertThat(bundle.getParent()).isEqualTo(BUNDLES.toAbsolutePath());
            assertThat(s.api.get("system_jobs/" + on.get("id") + "/stdout/?format=txt").body()).contains("Wrote " + bundle);
            Path out = Files.createTempDirectory("bundle-");
            Process tar = new ProcessBuilder("tar", "-xzf", bundle.toString(), "-C", out.toString()).redirectErrorStream(true).start();
            assertThat(tar.waitFor()).as(new String(tar.getInputStream().readAllBytes())).isZero();
            ObjectMapper json = new ObjectMapper();
            Map<String, Object> manifest = json.readValue(out.resolve("manifest.json").toFile(), Map.class);
            assertThat(manifest).containsEntry("counts.json", "1.2").containsKeys("config.json", "instance_info.json",
                    "job_counts.json", "job_template_runs.json", "event_counts.json", "query_info.json");

            Map<String, Object> counts = json.readValue(out.resolve("counts.json").toFile(), Map.class);
            assertThat(counts.get("organization")).isEqualTo(s.api.get("organizations/").json().get("count"));
            assertThat(counts.get("host")).isEqualTo(s.api.get("hosts/").json().get("count"));
            assertThat(counts.get("job_template")).isEqualTo(s.api.get("job_templates/").json().get("count"));
            assertThat(counts.get("credential")).as("counted, though the system job may not read credentials")
                    .isEqualTo(s.api.get("credentials/").json().get("count"));
            assertThat(counts.get("user")).isEqualTo(s.api.get("users/").json().get("count"));

            Map<String, Object> inventories = json.readValue(out.resolve("inventory_counts.json").toFile(), Map.class);
            assertThat((Map<String, Object>) inventories.get(Long.toString(s.inventory))).containsEntry("hosts", 3)
                    .containsEntry("sources", 0);

            Map<String, Object> runs = json.readValue(out.resolve("job_template_runs.json").toFile(), Map.class);
            Map<String, Object> mine = (Map<String, Object>) runs.get(Long.toString(template));
            assertThat(mine).containsEntry("runs", 1).containsEntry("status", Map.of("successful", 1)).containsEntry("type", "job");
            assertThat(((Number) mine.get("elapsed_total")).doubleValue()).isEqualTo(((Number) ran.get("elapsed")).doubleValue());

            Map<String, Object> events = json.readValue(out.resolve("event_counts.json").toFile(), Map.class);
            assertThat(((Number) ((Map<String, Object>) events.get("by_job_type")).get("job")).longValue())
                    .isGreaterThanOrEqualTo(((Number) ran.get("emitted_events")).longValue()).isPositive();

            Map<String, Object> jobCounts = json.readValue(out.resolve("job_counts.json").toFile(), Map.class);
            assertThat(((Number) jobCounts.get("total_jobs")).longValue()).as("AWX's count leaves out the updates a launch ran first")
                    .isEqualTo(((Number) s.api.get("unified_jobs/?not__launch_type=sync&order_by=-finished").json().get("count")).longValue());
            Map<String, Object> instances = json.readValue(out.resolve("instance_info.json").toFile(), Map.class);
            assertThat((Map<String, Object>) instances.get("instance_groups")).isNotEmpty();
            Map<String, Object> query = json.readValue(out.resolve("query_info.json").toFile(), Map.class);
            assertThat(query).containsEntry("collection_type", "manual");
        } finally {
            s.api.patch("settings/system/", Map.of("INSIGHTS_TRACKING_STATE", false));
        }
    }
}
