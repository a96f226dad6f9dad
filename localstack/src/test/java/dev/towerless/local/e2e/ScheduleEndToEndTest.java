package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Users' schedules: AWX's validation and computed fields, then a real scheduled run. */
class ScheduleEndToEndTest {
    private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** Every minute, at a second a few seconds from now: the first run comes within seconds. */
    private static String everyMinuteStartingSoon() {
        return "DTSTART:" + BASIC.format(Instant.now().plusSeconds(4)) + " RRULE:FREQ=MINUTELY;INTERVAL=1";
    }

    @Test
    void aScheduleRunsItsTemplateWithItsPromptsAndShowsWhereTheRunCameFrom() throws Exception {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
        long template = s.template(project, "echo.yml", Map.of("ask_variables_on_launch", true));

        ApiClient.Response created = s.api.post("job_templates/" + template + "/schedules/", Map.of(
                "name", "often-" + s.tag, "rrule", everyMinuteStartingSoon(), "extra_data", Map.of("message", "from a schedule")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Map<String, Object> schedule = created.json();
        long scheduleId = Scenario.id(schedule);
        assertThat(schedule).containsEntry("unified_job_template", (int) template).containsEntry("timezone", "UTC")
                .containsEntry("enabled", true);
        assertThat(schedule.get("next_run")).isNotNull();

        @SuppressWarnings("unchecked")
        Map<String, Object> jt = s.api.get("job_templates/" + template + "/").json();
        assertThat(jt.get("next_job_run")).isEqualTo(schedule.get("next_run"));
        assertThat((Map<String, Object>) jt.get("related")).containsEntry("next_schedule", "/api/v2/schedules/" + scheduleId + "/");

        Map<String, Object> run = awaitFirstRun(s, scheduleId, Duration.ofSeconds(30));
        long job = Scenario.id(run);
        Map<String, Object> done = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(1));
        assertThat(done).containsEntry("status", "successful").containsEntry("launch_type", "scheduled")
                .containsEntry("schedule", (int) scheduleId);
        assertThat(done.get("launched_by")).isEqualTo(Map.of("id", (int) scheduleId, "name", "often-" + s.tag, "type", "schedule",
                "url", "/api/v2/schedules/" + scheduleId + "/"));
        assertThat(s.api.get("jobs/" + job + "/stdout/?format=txt").body()).contains("from a schedule");

        // It fired once, and now waits for the next minute.
        s.api.patch("schedules/" + scheduleId + "/", Map.of("enabled", false));
        assertThat(s.api.get("schedules/" + scheduleId + "/").json().get("next_run")).isNull();
        assertThat(s.api.get("schedules/" + scheduleId + "/jobs/").json().get("count")).isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitFirstRun(Scenario s, long schedule, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> runs = (List<Map<String, Object>>) s.api.get("schedules/" + schedule + "/jobs/")
                    .json().get("results");
            if (!runs.isEmpty()) {
                return runs.get(0);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("schedule " + schedule + " did not run within " + timeout);
    }

    @Test
    void badRulesAndUnaskedPromptsAreRefusedInAwxsWords() {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        long template = s.template(project, "hello.yml", Map.of());

        ApiClient.Response naive = s.api.post("schedules/", Map.of("name", "n", "unified_job_template", template,
                "rrule", "DTSTART:20300308T050000 RRULE:FREQ=DAILY;INTERVAL=1"));
        assertThat(naive.status()).isEqualTo(400);
        assertThat(naive.json().get("rrule")).isEqualTo(List.of(
                "DTSTART cannot be a naive datetime.  Specify ;TZINFO= or YYYYMMDDTHHMMSSZZ."));

        ApiClient.Response unasked = s.api.post("schedules/", Map.of("name", "n", "unified_job_template", template,
                "rrule", "DTSTART:20300308T050000Z RRULE:FREQ=DAILY;INTERVAL=1", "limit", "web"));
        assertThat(unasked.status()).isEqualTo(400);
        assertThat(unasked.json()).containsEntry("limit", List.of("Field is not configured to prompt on launch."));

        ApiClient.Response missing = s.api.post("schedules/", Map.of("name", "n", "unified_job_template", 987654,
                "rrule", "DTSTART:20300308T050000Z RRULE:FREQ=DAILY;INTERVAL=1"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("unified_job_template");

        assertThat(s.api.get("schedules/?name=n").json().get("count")).as("nothing half-written").isEqualTo(0);
    }

    @Test
    void deletingATemplateDeletesItsSchedules() {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        long template = s.template(project, "hello.yml", Map.of());
        long schedule = Scenario.id(s.api.create("job_templates/" + template + "/schedules/", Map.of("name", "gone-" + s.tag,
                "rrule", "DTSTART:20300308T050000Z RRULE:FREQ=DAILY;INTERVAL=1")));
        assertThat(s.api.delete("job_templates/" + template + "/").status()).isEqualTo(204);
        assertThat(s.api.get("schedules/" + schedule + "/").status()).isEqualTo(404);
        assertThat(s.api.get("unknown_things/" + template + "/schedules/").status()).isEqualTo(404);
    }

    @Test
    void computedFieldsPreviewAndZones() {
        Scenario s = new Scenario();
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        Map<String, Object> schedule = s.api.create("projects/" + project + "/schedules/", Map.of("name", "weekdays-" + s.tag,
                "rrule", "DTSTART;TZID=America/New_York:20300301T090000 RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20300305T090000"));
        assertThat(schedule).containsEntry("rrule",
                        "DTSTART;TZID=America/New_York:20300301T090000 RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20300305T140000Z")
                .containsEntry("timezone", "America/New_York").containsEntry("until", "2030-03-05T09:00:00")
                .containsEntry("dtstart", "2030-03-01T14:00:00Z").containsEntry("dtend", "2030-03-05T14:00:00Z")
                .containsEntry("next_run", "2030-03-01T14:00:00Z");
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) ((Map<String, Object>) schedule.get("summary_fields"))
                .get("unified_job_template");
        assertThat(summary).containsEntry("id", (int) project).containsEntry("unified_job_type", "project_update");

        Map<String, Object> preview = s.api.post("schedules/preview/",
                Map.of("rrule", "DTSTART;TZID=Europe/Paris:20300308T050000 RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO")).json();
        assertThat((List<?>) preview.get("utc")).hasSize(10).first().isEqualTo("2030-03-11T04:00:00Z");
        assertThat((List<?>) preview.get("local")).first().isEqualTo("2030-03-11T05:00:00+01:00");
        assertThat(s.api.get("schedules/zoneinfo/").body()).contains("\"America/New_York\"");
        assertThat(s.api.get("projects/" + project + "/schedules/").json().get("count")).isEqualTo(1);
    }
}
