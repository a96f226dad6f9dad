package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Machine credential input, with real ansible over a real sshd on 127.0.0.1: password,
 * key, key with passphrase, become with its password, password plus become password, vault
 * passwords and ids, and AWX's ASK passwords typed at launch. Each cell ends {@code successful},
 * or {@code failed} with an explanation naming what was wrong, within its time bound: no run
 * waits at a prompt.
 */
class MachineCredentialEndToEndTest {
    /** Generous for a loaded 2-core machine: each cell takes a few seconds when it has the machine to itself. */
    private static final Duration BOUND = Duration.ofSeconds(60);
    /** A prompt nothing answers is given up after 10 s in the test stack (20 s by default), then the run ends. */
    private static final Duration STALL_BOUND = Duration.ofSeconds(10 + 60);
    private static LocalSshd sshd;
    private static Scenario s;
    private static long project;
    private static long sshInventory;

    @BeforeAll
    static void setUp() throws Exception {
        String why = LocalSshd.unavailable().orElse(null);
        assumeTrue(why == null, () -> "skipped: " + why);
        sshd = LocalSshd.start();
        s = new Scenario();
        project = s.project(LocalStackFixture.sampleRepoUrl());
        assertThat(s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1))).containsEntry("status", "successful");
        sshInventory = Scenario.id(s.api.create("inventories/", Map.of("name", "ssh-" + s.tag, "organization", s.org)));
        // No ControlPersist master outlives a run; the server's fresh host key is never remembered.
        s.api.create("inventories/" + sshInventory + "/hosts/", Map.of("name", "target", "variables", String.join("\n",
                "ansible_host: 127.0.0.1", "ansible_port: " + sshd.port, "ansible_python_interpreter: /usr/bin/python3",
                "ansible_ssh_args: -C -o ControlMaster=no -o UserKnownHostsFile=/dev/null")));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
    }

    private record Cell(String name, String path) {
    }

    @Test
    void everyInputWorksAndEveryFailureIsBoundedAndExplained() throws Exception {
        String user = sshd.user;
        Map<String, Cell> cells = new LinkedHashMap<>();
        launch(cells, "password", ssh(Map.of("username", user, "password", sshd.password)), false);
        launch(cells, "key", ssh(Map.of("username", user, "ssh_key_data", sshd.plainKey)), false);
        launch(cells, "key with passphrase", ssh(Map.of("username", user, "ssh_key_data", sshd.encryptedKey,
                "ssh_key_unlock", LocalSshd.PASSPHRASE)), false);
        launch(cells, "become with password", ssh(Map.of("username", user, "ssh_key_data", sshd.plainKey,
                "become_method", "sudo", "become_password", sshd.password)), true);
        launch(cells, "password plus become password", ssh(Map.of("username", user, "password", sshd.password,
                "become_password", sshd.password)), true);
        launch(cells, "wrong passphrase", ssh(Map.of("username", user, "ssh_key_data", sshd.encryptedKey,
                "ssh_key_unlock", "not the passphrase")), false);
        launch(cells, "missing become password", ssh(Map.of("username", user, "ssh_key_data", sshd.plainKey)), true);
        launch(cells, "wrong become password", ssh(Map.of("username", user, "ssh_key_data", sshd.plainKey,
                "become_password", "not-it")), true);
        launch(cells, "wrong password", ssh(Map.of("username", user, "password", "not-it")), false);
        launch(cells, "no password", ssh(Map.of("username", user)), false);
        long prompting = s.template(project, "vars_prompt.yml", Map.of());
        cells.put("unexpected prompt", new Cell("unexpected prompt", "jobs/" + s.launch(prompting, Map.of())));

        Map<String, Map<String, Object>> done = new HashMap<>();
        for (Cell c : cells.values()) {
            Map<String, Object> job = s.awaitFinished(c.path() + "/", Duration.ofMinutes(3));
            done.put(c.name(), job);
            Duration bound = c.name().equals("unexpected prompt") ? STALL_BOUND : BOUND;
            assertThat(((Number) job.get("elapsed")).doubleValue()).as(c.name() + ": " + job).isLessThan(bound.toSeconds());
        }
        for (String ok : List.of("password", "key", "key with passphrase")) {
            assertSuccessful(done, ok, "remote user is " + user);
        }
        assertSuccessful(done, "become with password", "remote user is root");
        assertSuccessful(done, "password plus become password", "remote user is root");
        assertFailed(done, "wrong passphrase", "The SSH private key's passphrase (ssh_key_unlock) is wrong");
        assertFailed(done, "missing become password", "no become password (become_password): \"Missing sudo password\"");
        assertFailed(done, "wrong become password", "The become password (become_password) was refused: \"Incorrect sudo password\"");
        assertFailed(done, "wrong password", "The SSH password (ssh_password) was refused");
        assertFailed(done, "no password", "The host refused the SSH login (Permission denied (publickey,password))");
        assertFailed(done, "unexpected prompt", "Job stopped: ansible (an interactive prompt of the playbook");
        assertThat((String) done.get("unexpected prompt").get("job_explanation")).contains("waited 10 s");

        // No secret is anywhere a user or another job can read.
        EventStore events = LocalStackFixture.stack().context().getBean(EventStore.class);
        for (Cell c : cells.values()) {
            String job = s.api.get(c.path() + "/").body() + s.api.get(c.path() + "/stdout/?format=txt").body();
            assertThat(job).as(c.name()).doesNotContain(sshd.password, LocalSshd.PASSPHRASE, "PRIVATE KEY");
            long id = Long.parseLong(c.path().substring(c.path().indexOf('/') + 1));
            assertThat(events.all(id).toString()).as(c.name()).doesNotContain(sshd.password, LocalSshd.PASSPHRASE);
        }
    }

    @Test
    void askPasswordsAreListedRequiredAtLaunchSealedAndReachTheRun() throws Exception {
        long cred = ssh(Map.of("username", sshd.user, "password", "ASK", "become_password", "ASK",
                "ssh_key_data", sshd.encryptedKey, "ssh_key_unlock", "ASK"));
        Map<String, Object> shown = s.api.get("credentials/" + cred + "/").json();
        assertThat(shown.get("inputs")).isEqualTo(Map.of("username", sshd.user, "password", "ASK",
                "become_password", "ASK", "ssh_key_data", "$encrypted$", "ssh_key_unlock", "ASK"));
        long template = s.template(project, "whoami.yml", Map.of("inventory", sshInventory, "become_enabled", true));
        assertThat(s.api.post("job_templates/" + template + "/credentials/", Map.of("id", cred)).status()).isEqualTo(204);

        Map<String, Object> info = s.api.get("job_templates/" + template + "/launch/").json();
        assertThat(info).containsEntry("passwords_needed_to_start", List.of("ssh_password", "become_password", "ssh_key_unlock"))
                .containsEntry("can_start_without_user_input", false);
        ApiClient.Response missing = s.api.post("job_templates/" + template + "/launch/",
                Map.of("credential_passwords", Map.of("ssh_password", sshd.password)));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json()).isEqualTo(Map.of("passwords_needed_to_start", List.of("become_password", "ssh_key_unlock")));

        Map<String, Object> typed = Map.of("ssh_password", sshd.password, "become_password", sshd.password,
                "ssh_key_unlock", LocalSshd.PASSPHRASE);
        long job = s.launch(template, Map.of("credential_passwords", typed));
        Map<String, Object> done = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(2));
        String stdout = s.api.get("jobs/" + job + "/stdout/?format=txt").body();
        assertThat(done).as(stdout).containsEntry("status", "successful");
        assertThat(((Number) done.get("elapsed")).doubleValue()).isLessThan(BOUND.toSeconds());
        assertThat(stdout).contains("remote user is root");
        // Stored sealed, for the runner only: not in the job, not in its output, not in the item as text.
        assertThat(s.api.get("jobs/" + job + "/").body()).doesNotContain(sshd.password, LocalSshd.PASSPHRASE, "start_args");
        assertThat(stdout).doesNotContain(sshd.password, LocalSshd.PASSPHRASE);
        dev.towerless.core.ports.JobStore jobs = LocalStackFixture.stack().context().getBean(dev.towerless.core.ports.JobStore.class);
        assertThat(jobs.find(job).orElseThrow().fields().toString()).doesNotContain(sshd.password, LocalSshd.PASSPHRASE)
                .contains("start_args");

        // Relaunch asks again, in AWX's words, and takes them at the top level too (AWX's older form).
        assertThat(s.api.get("jobs/" + job + "/relaunch/").json())
                .containsEntry("passwords_needed_to_start", List.of("ssh_password", "become_password", "ssh_key_unlock"));
        ApiClient.Response bare = s.api.post("jobs/" + job + "/relaunch/", Map.of());
        assertThat(bare.status()).isEqualTo(400);
        assertThat(bare.json()).isEqualTo(Map.of("credential_passwords",
                List.of("Missing passwords needed to start: ssh_password, become_password, ssh_key_unlock")));
        long again = s.api.post("jobs/" + job + "/relaunch/", typed).id();
        assertThat(s.awaitFinished("jobs/" + again + "/", Duration.ofMinutes(2))).containsEntry("status", "successful")
                .containsEntry("launch_type", "relaunch");

        // An ad hoc command takes them at the top level, as AWX's does.
        ApiClient.Response adHocMissing = s.api.post("ad_hoc_commands/", Map.of("inventory", sshInventory, "credential", cred,
                "module_name", "command", "module_args", "id -un", "become_enabled", true));
        assertThat(adHocMissing.status()).isEqualTo(400);
        assertThat(adHocMissing.json()).isEqualTo(Map.of("passwords_needed_to_start",
                List.of("ssh_password", "become_password", "ssh_key_unlock")));
        Map<String, Object> adHoc = new HashMap<>(Map.of("inventory", sshInventory, "credential", cred,
                "module_name", "command", "module_args", "id -un", "become_enabled", true));
        adHoc.putAll(typed);
        long command = s.api.post("ad_hoc_commands/", adHoc).id();
        assertThat(s.awaitFinished("ad_hoc_commands/" + command + "/", Duration.ofMinutes(2))).containsEntry("status", "successful");
        assertThat(s.api.get("ad_hoc_commands/" + command + "/stdout/?format=txt").body()).contains("root")
                .doesNotContain(sshd.password);

        // A schedule has nobody to type them: its run fails at once with AWX's explanation.
        ApiClient.Response schedule = s.api.post("job_templates/" + template + "/schedules/", Map.of("name", "ask-" + s.tag,
                "rrule", "DTSTART:" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now().plusSeconds(2))
                        + " RRULE:FREQ=MINUTELY;INTERVAL=1"));
        assertThat(schedule.status()).as(schedule.body()).isEqualTo(201);
        long scheduleId = schedule.id();
        Map<String, Object> run = awaitFirstRun(scheduleId);
        s.api.patch("schedules/" + scheduleId + "/", Map.of("enabled", false));
        assertThat(s.awaitFinished("jobs/" + Scenario.id(run) + "/", Duration.ofMinutes(1))).containsEntry("status", "failed")
                .containsEntry("job_explanation",
                        "Scheduled job could not start because it was not in the right state or required manual credentials");
    }

    @Test
    void vaultPasswordsAndVaultIdsOpenVaultedContent() throws Exception {
        long plainVault = vault(Map.of("vault_password", "towerless-vault-default"));
        long beta = vault(Map.of("vault_password", "towerless-vault-beta", "vault_id", "beta"));
        long askBeta = vault(Map.of("vault_password", "ASK", "vault_id", "beta"));

        long one = vaultedTemplate(false, plainVault);
        long both = vaultedTemplate(true, plainVault, beta);
        long asked = vaultedTemplate(true, plainVault, askBeta);
        long none = vaultedTemplate(false);
        assertThat(s.api.get("job_templates/" + asked + "/launch/").json())
                .containsEntry("passwords_needed_to_start", List.of("vault_password.beta"));

        long oneJob = s.launch(one, Map.of());
        long bothJob = s.launch(both, Map.of());
        long askedJob = s.launch(asked, Map.of("credential_passwords", Map.of("vault_password.beta", "towerless-vault-beta")));
        long noneJob = s.launch(none, Map.of());
        assertThat(stdoutOf(oneJob, "successful")).contains("first=opened-with-the-default-vault");
        assertThat(stdoutOf(bothJob, "successful")).contains("first=opened-with-the-default-vault", "second=opened-with-vault-beta");
        assertThat(stdoutOf(askedJob, "successful")).contains("second=opened-with-vault-beta")
                .doesNotContain("towerless-vault-beta");
        stdoutOf(noneJob, "failed");
        assertThat((String) s.api.get("jobs/" + noneJob + "/").json().get("job_explanation"))
                .contains("the job has no vault password for it (vault_password)");
    }

    @Test
    void keysAndPassphrasesAreCheckedAsAwxChecksThem() {
        ApiClient.Response noPassphrase = s.api.post("credentials/", Map.of("name", "k-" + System.nanoTime(),
                "credential_type", 1, "organization", s.org, "inputs", Map.of("ssh_key_data", sshd.encryptedKey)));
        assertThat(noPassphrase.status()).isEqualTo(400);
        assertThat(noPassphrase.json()).isEqualTo(Map.of("inputs",
                Map.of("ssh_key_unlock", List.of("must be set when SSH key is encrypted."))));
        ApiClient.Response needless = s.api.post("credentials/", Map.of("name", "k-" + System.nanoTime(),
                "credential_type", 1, "organization", s.org, "inputs", Map.of("ssh_key_data", sshd.plainKey, "ssh_key_unlock", "x")));
        assertThat(needless.status()).isEqualTo(400);
        assertThat(needless.json()).isEqualTo(Map.of("inputs",
                Map.of("ssh_key_unlock", List.of("should not be set when SSH key is not encrypted."))));
        ApiClient.Response garbage = s.api.post("credentials/", Map.of("name", "k-" + System.nanoTime(),
                "credential_type", 1, "organization", s.org, "inputs", Map.of("ssh_key_data", "my-secret-not-a-key")));
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.body()).contains("Invalid certificate or key.").doesNotContain("my-secret-not-a-key");

        // A key whose passphrase is gone (data from before the API checked it) cannot launch without one.
        long template = s.template(project, "whoami.yml", Map.of("inventory", sshInventory));
        assertThat(s.api.post("job_templates/" + template + "/credentials/", Map.of("id", passphraseRemovedBehindTheApisBack()))
                .status()).isEqualTo(204);
        assertThat(s.api.get("job_templates/" + template + "/launch/").json())
                .containsEntry("passwords_needed_to_start", List.of("ssh_key_unlock"));
        ApiClient.Response refused = s.api.post("job_templates/" + template + "/launch/", Map.of());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json()).isEqualTo(Map.of("passwords_needed_to_start", List.of("ssh_key_unlock")));

        // Sending $encrypted$ back keeps the stored key, and the rules apply to it.
        long cred = ssh(Map.of("username", "u", "ssh_key_data", sshd.encryptedKey, "ssh_key_unlock", "p"));
        ApiClient.Response dropped = s.api.patch("credentials/" + cred + "/", Map.of("inputs",
                Map.of("username", "u", "ssh_key_data", "$encrypted$")));
        assertThat(dropped.status()).isEqualTo(400);
        assertThat(dropped.json()).isEqualTo(Map.of("inputs", Map.of("ssh_key_unlock", List.of("must be set when SSH key is encrypted."))));
        assertThat(s.api.patch("credentials/" + cred + "/", Map.of("inputs", Map.of("username", "u",
                "ssh_key_data", "$encrypted$", "ssh_key_unlock", "$encrypted$"))).status()).isEqualTo(200);
    }

    private void launch(Map<String, Cell> cells, String name, long credential, boolean become) {
        long template = s.template(project, "whoami.yml", Map.of("inventory", sshInventory, "become_enabled", become));
        assertThat(s.api.post("job_templates/" + template + "/credentials/", Map.of("id", credential)).status()).isEqualTo(204);
        cells.put(name, new Cell(name, "jobs/" + s.launch(template, Map.of())));
    }

    private long ssh(Map<String, Object> inputs) {
        return Scenario.id(s.api.create("credentials/", Map.of("name", "m-" + System.nanoTime(), "credential_type", 1,
                "organization", s.org, "inputs", inputs)));
    }

    private long vault(Map<String, Object> inputs) {
        return Scenario.id(s.api.create("credentials/", Map.of("name", "v-" + System.nanoTime(), "credential_type", 3,
                "organization", s.org, "inputs", inputs)));
    }

    private long vaultedTemplate(boolean both, long... credentials) {
        long template = s.template(project, "vaulted.yml", Map.of("extra_vars", "both: " + both));
        for (long c : credentials) {
            ApiClient.Response r = s.api.post("job_templates/" + template + "/credentials/", Map.of("id", c));
            assertThat(r.status()).as(r.body()).isEqualTo(204);
        }
        return template;
    }

    /** A passphrase-protected key whose passphrase is gone (as in data from before the API checked it). */
    private long passphraseRemovedBehindTheApisBack() {
        long cred = ssh(Map.of("username", sshd.user, "ssh_key_data", sshd.encryptedKey, "ssh_key_unlock", LocalSshd.PASSPHRASE));
        ResourceStore store = LocalStackFixture.stack().context().getBean(ResourceStore.class);
        Resource stored = store.get(ResourceTypes.CREDENTIAL, cred).orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> inputs = new HashMap<>((Map<String, Object>) stored.get("inputs"));
        inputs.remove("ssh_key_unlock");
        store.update(ResourceTypes.CREDENTIAL, cred, Map.of("inputs", inputs));
        return cred;
    }

    private String stdoutOf(long job, String status) throws InterruptedException {
        Map<String, Object> done = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(2));
        String stdout = s.api.get("jobs/" + job + "/stdout/?format=txt").body();
        assertThat(done).as(stdout).containsEntry("status", status);
        assertThat(((Number) done.get("elapsed")).doubleValue()).isLessThan(BOUND.toSeconds());
        return stdout;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitFirstRun(long schedule) throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(90);
        while (java.time.Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> runs = (List<Map<String, Object>>) s.api.get("schedules/" + schedule + "/jobs/")
                    .json().get("results");
            if (!runs.isEmpty()) {
                return runs.get(0);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("schedule " + schedule + " did not run");
    }

    private static void assertSuccessful(Map<String, Map<String, Object>> done, String cell, String expected) {
        Map<String, Object> job = done.get(cell);
        String stdout = s.api.get("jobs/" + job.get("id") + "/stdout/?format=txt").body();
        assertThat(job).as(cell + ": " + stdout).containsEntry("status", "successful");
        assertThat(stdout).as(cell).contains(expected);
    }

    private static void assertFailed(Map<String, Map<String, Object>> done, String cell, String explanation) {
        Map<String, Object> job = done.get(cell);
        String stdout = s.api.get("jobs/" + job.get("id") + "/stdout/?format=txt").body();
        assertThat(job).as(cell + ": " + stdout).containsEntry("status", "failed");
        assertThat((String) job.get("job_explanation")).as(cell + ": " + stdout).contains(explanation);
    }
}
