package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Launch-time values are data (AWX's {@code ALLOW_JINJA_IN_EXTRA_VARS}), attacked through every
 * way a value reaches a run: each carries {@code {{ lookup('pipe','id') }}}, and the playbook
 * prints what it received. Under {@code template} and {@code never} the payload comes out as
 * written and {@code id} never runs (no {@code uid=} anywhere); the template's own Jinja runs
 * only under {@code template} and {@code always}; under {@code always} everything is evaluated,
 * which is what AWX's setting means.
 */
class LaunchTimeValuesEndToEndTest {
    private static final String JINJA = "{{ lookup('pipe','id') }}";
    private static final String OWN = "{{ 40 + 2 }}";
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static Scenario s;
    private static long values;
    private static long surveyed;
    private static long publisher;

    @BeforeAll
    static void setUp() throws Exception {
        s = new Scenario();
        // debug is not among AWX's default ad hoc modules; an admin adds it as in AWX.
        java.util.List<Object> modules = new java.util.ArrayList<>((java.util.List<?>) s.api.get("settings/jobs/").json().get("AD_HOC_COMMANDS"));
        if (!modules.contains("debug")) {
            modules.add("debug");
            assertThat(s.api.patch("settings/jobs/", Map.of("AD_HOC_COMMANDS", modules)).status()).isEqualTo(200);
        }
        long project = s.project(LocalStackFixture.sampleRepoUrl());
        assertThat(s.awaitFinished("projects/" + project + "/", JOB_TIMEOUT)).containsEntry("status", "successful");
        // The template's own variable is Jinja its admin wrote on purpose.
        values = s.template(project, "launch_values.yml", Map.of("ask_variables_on_launch", true,
                "allow_simultaneous", true, "extra_vars", "own: \"" + OWN + "\""));
        surveyed = s.template(project, "launch_values.yml", Map.of("survey_enabled", true, "extra_vars", "own: \"" + OWN + "\""));
        ApiClient.Response spec = s.api.post("job_templates/" + surveyed + "/survey_spec/", Map.of("name", "", "description", "",
                "spec", List.of(
                        Map.of("question_name", "Payload", "variable", "payload", "type", "text", "required", true),
                        Map.of("question_name", "Second", "variable", "second", "type", "text", "required", false,
                                "default", JINJA))));
        assertThat(spec.status()).as(spec.body()).isEqualTo(200);
        publisher = s.template(project, "set_stats.yml", Map.of());
    }

    @AfterEach
    void backToAwxsDefault() {
        s.api.patch("settings/jobs/", Map.of("ALLOW_JINJA_IN_EXTRA_VARS", "template"));
    }

    @Test
    void underTemplateEveryLaunchTimeSourceIsLiteralAndOnlyTheTemplatesOwnJinjaRuns() throws Exception {
        setting("template");
        Map<String, String> out = runEverySource();
        out.forEach((source, stdout) -> assertThat(stdout).as(source).doesNotContain("uid="));
        assertLiteral(out.get("launch dict"), "payload", "nested");
        // A launch value equal to the template's own is the admin's value: AWX trusts it.
        assertThat(out.get("launch dict")).contains("own=[42]");
        assertLiteral(out.get("launch YAML string"), "payload");
        assertLiteral(out.get("launch JSON string"), "payload");
        assertLiteral(out.get("survey answer and default"), "payload", "second");
        assertThat(out.get("survey answer and default")).contains("own=[42]");
        assertLiteral(out.get("workflow"), "payload", "second", "nested", "message");
        assertLiteral(out.get("schedule"), "payload");
        assertLiteral(out.get("relaunch"), "payload", "nested");
        assertThat(out.get("ad hoc")).contains("\"payload\": \"" + JINJA + "\"");
    }

    @Test
    void underNeverEvenTheTemplatesOwnJinjaIsLiteral() throws Exception {
        setting("never");
        Map<String, String> out = runEverySource();
        out.forEach((source, stdout) -> assertThat(stdout).as(source).doesNotContain("uid="));
        assertLiteral(out.get("launch dict"), "payload", "nested");
        assertThat(out.get("launch dict")).contains("own=[" + OWN + "]").doesNotContain("own=[42]");
        assertLiteral(out.get("launch YAML string"), "payload");
        assertLiteral(out.get("launch JSON string"), "payload");
        assertLiteral(out.get("survey answer and default"), "payload", "second");
        assertThat(out.get("survey answer and default")).contains("own=[" + OWN + "]");
        assertLiteral(out.get("workflow"), "payload", "second", "nested", "message");
        assertLiteral(out.get("schedule"), "payload");
        assertLiteral(out.get("relaunch"), "payload", "nested");
        assertThat(out.get("ad hoc")).contains("\"payload\": \"" + JINJA + "\"");
    }

    @Test
    void underAlwaysNothingIsMarkedSoLaunchTimeJinjaRunsAsAwxDocumentsIt() throws Exception {
        setting("always");
        long job = s.launch(values, Map.of("extra_vars", Map.of("payload", JINJA)));
        String stdout = stdout("jobs/", job);
        assertThat(stdout).contains("payload=[uid=", "own=[42]").doesNotContain("payload=[" + JINJA);
        long adHoc = s.api.post("ad_hoc_commands/", Map.of("inventory", s.inventory, "module_name", "debug",
                "module_args", "msg={{ 6 * 7 }}")).id();
        assertThat(stdout("ad_hoc_commands/", adHoc)).contains("\"msg\": \"42\"");
    }

    @Test
    void adHocCommandsRefuseAnsibleVariablesAndInlineJinjaInTheirArguments() throws Exception {
        ApiClient.Response ansibleVars = s.api.post("ad_hoc_commands/", Map.of("inventory", s.inventory, "module_name", "ping",
                "extra_vars", "{\"ansible_connection\": \"ssh\", \"ansible_become_exe\": \"sh -c id\", \"fine\": 1}"));
        assertThat(ansibleVars.status()).isEqualTo(400);
        assertThat(ansibleVars.json()).containsEntry("extra_vars",
                List.of("ansible_connection, ansible_become_exe are prohibited from use in ad hoc commands."));
        for (String setting : List.of("template", "never")) {
            setting(setting);
            long id = s.api.post("ad_hoc_commands/", Map.of("inventory", s.inventory, "module_name", "debug",
                    "module_args", "msg=" + JINJA)).id();
            Map<String, Object> done = s.awaitFinished("ad_hoc_commands/" + id + "/", JOB_TIMEOUT);
            assertThat(done).as(setting).containsEntry("status", "error")
                    .containsEntry("job_explanation", "Inline Jinja variables are not allowed.");
            assertThat(s.api.get("ad_hoc_commands/" + id + "/stdout/?format=txt").body()).doesNotContain("uid=");
        }
        // A Machine credential's user becomes ansible's -u, which ansible templates: no Jinja there either.
        long credential = Scenario.id(s.api.create("credentials/", Map.of("name", "jinja-" + System.nanoTime(),
                "credential_type", 1, "organization", s.org, "inputs", Map.of("username", JINJA))));
        long command = s.api.post("ad_hoc_commands/", Map.of("inventory", s.inventory, "credential", credential,
                "module_name", "ping")).id();
        assertThat(s.awaitFinished("ad_hoc_commands/" + command + "/", JOB_TIMEOUT)).containsEntry("status", "error")
                .containsEntry("job_explanation", "Inline Jinja variables are not allowed.");
    }

    @Test
    void theSettingIsShownAndCheckedAsAwxChecksIt() {
        assertThat(s.api.get("settings/jobs/").json()).containsEntry("ALLOW_JINJA_IN_EXTRA_VARS", "template");
        ApiClient.Response bad = s.api.patch("settings/jobs/", Map.of("ALLOW_JINJA_IN_EXTRA_VARS", "sometimes"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json()).containsEntry("ALLOW_JINJA_IN_EXTRA_VARS", List.of("\"sometimes\" is not a valid choice."));
        setting("never");
        assertThat(s.api.get("settings/all/").json()).containsEntry("ALLOW_JINJA_IN_EXTRA_VARS", "never");
        // A job's item keeps the template's own variables for the runner; the API does not show them.
        long job = s.launch(values, Map.of());
        assertThat(s.api.get("jobs/" + job + "/").json()).doesNotContainKey("job_template_extra_vars");
    }

    /** Launches one run through each way a value reaches ansible and returns each run's stdout. */
    private Map<String, String> runEverySource() throws Exception {
        Map<String, String> launched = new LinkedHashMap<>();
        long dict = s.launch(values, Map.of("extra_vars", Map.of("payload", JINJA,
                "nested", Map.of("deep", List.of(JINJA, Map.of(JINJA, JINJA))), "own", OWN)));
        launched.put("launch dict", "jobs/" + dict);
        launched.put("launch YAML string", "jobs/" + s.launch(values, Map.of("extra_vars", "payload: \"" + JINJA + "\"")));
        launched.put("launch JSON string", "jobs/" + s.launch(values, Map.of("extra_vars", "{\"payload\": \"" + JINJA + "\"}")));
        launched.put("survey answer and default", "jobs/" + s.launch(surveyed, Map.of("extra_vars", Map.of("payload", JINJA))));
        launched.put("ad hoc", "ad_hoc_commands/" + s.api.post("ad_hoc_commands/", Map.of("inventory", s.inventory,
                "module_name", "debug", "module_args", "var=payload", "extra_vars", "{\"payload\": \"" + JINJA + "\"}")).id());
        long schedule = Scenario.id(s.api.create("job_templates/" + values + "/schedules/", Map.of("name", "soon-" + System.nanoTime(),
                "rrule", "DTSTART:" + BASIC.format(Instant.now().plusSeconds(3)) + " RRULE:FREQ=MINUTELY;INTERVAL=1",
                "extra_data", Map.of("payload", JINJA))));
        long workflowJob = launchWorkflow();

        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : launched.entrySet()) {
            out.put(e.getKey(), awaitStdout(e.getValue()));
        }
        out.put("relaunch", stdout("jobs/", s.api.post("jobs/" + dict + "/relaunch/", Map.of()).id()));
        out.put("schedule", awaitStdout("jobs/" + firstRun(schedule)));
        s.api.patch("schedules/" + schedule + "/", Map.of("enabled", false));
        Map<String, Object> wf = s.awaitFinished("workflow_jobs/" + workflowJob + "/", JOB_TIMEOUT);
        assertThat(wf).containsEntry("status", "successful");
        out.put("workflow", awaitStdout("jobs/" + nodeJob(workflowJob, "show")));
        return out;
    }

    /**
     * A workflow whose own variables, launch variables, node data and first node's set_stats
     * artifact all reach its second node, which prints them.
     */
    private long launchWorkflow() {
        long wfjt = Scenario.id(s.api.create("workflow_job_templates/", Map.of("name", "wf-" + System.nanoTime(),
                "organization", s.org, "ask_variables_on_launch", true, "extra_vars", "second: \"" + JINJA + "\"")));
        long publish = Scenario.id(s.api.create("workflow_job_templates/" + wfjt + "/workflow_nodes/",
                Map.of("unified_job_template", publisher, "identifier", "publish")));
        long show = Scenario.id(s.api.create("workflow_job_templates/" + wfjt + "/workflow_nodes/",
                Map.of("unified_job_template", values, "identifier", "show", "extra_data", Map.of("nested", JINJA))));
        assertThat(s.api.post("workflow_job_template_nodes/" + publish + "/success_nodes/", Map.of("id", show)).status())
                .isEqualTo(204);
        // set_stats publishes "message: {{ release }}": the artifact is the launcher's Jinja, to be kept as data downstream.
        ApiClient.Response r = s.api.post("workflow_job_templates/" + wfjt + "/launch/",
                Map.of("extra_vars", Map.of("payload", JINJA, "release", JINJA)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return ((Number) r.json().get("workflow_job")).longValue();
    }

    @SuppressWarnings("unchecked")
    private long nodeJob(long workflowJob, String identifier) {
        for (Map<String, Object> n : (List<Map<String, Object>>) s.api.get("workflow_jobs/" + workflowJob
                + "/workflow_nodes/").json().get("results")) {
            if (identifier.equals(n.get("identifier"))) {
                return ((Number) n.get("job")).longValue();
            }
        }
        throw new AssertionError("no node " + identifier + " in workflow job " + workflowJob);
    }

    @SuppressWarnings("unchecked")
    private long firstRun(long schedule) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> runs = (List<Map<String, Object>>) s.api.get("schedules/" + schedule + "/jobs/")
                    .json().get("results");
            if (!runs.isEmpty()) {
                return Scenario.id(runs.get(0));
            }
            Thread.sleep(250);
        }
        throw new AssertionError("schedule " + schedule + " did not run");
    }

    private static void setting(String value) {
        ApiClient.Response r = s.api.patch("settings/jobs/", Map.of("ALLOW_JINJA_IN_EXTRA_VARS", value));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static String stdout(String kind, long id) throws InterruptedException {
        return awaitStdout(kind + id);
    }

    private static String awaitStdout(String path) throws InterruptedException {
        Map<String, Object> done = s.awaitFinished(path + "/", JOB_TIMEOUT);
        String stdout = s.api.get(path + "/stdout/?format=txt").body();
        assertThat(done).as(path + ": " + stdout).containsEntry("status", "successful");
        return stdout;
    }

    /** Each named variable printed with the payload exactly as written. */
    private static void assertLiteral(String stdout, String... variables) {
        for (String v : variables) {
            assertThat(stdout).as(v).containsPattern(java.util.regex.Pattern.quote(v + "=[") + "[^\\]]*"
                    + java.util.regex.Pattern.quote("{{ lookup('pipe','id') }}"));
        }
    }
}
