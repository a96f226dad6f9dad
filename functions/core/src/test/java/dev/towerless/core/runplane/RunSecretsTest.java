package dev.towerless.core.runplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.RunnerLauncher;
import dev.towerless.core.ports.RunnerStarter;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.VariablesCodec;
import dev.towerless.core.security.SecretBox;
import dev.towerless.core.testing.FakeStores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The control plane opens one job's secrets and seals them so only that job's runner can read them. */
class RunSecretsTest {
    private final SecretBox sealing = SecretBox.fromBase64(SecretBox.newBase64Key());
    private final FakeStores.Jobs jobs = new FakeStores.Jobs();
    private final FakeStores.Resources resources = new FakeStores.Resources();
    private final Remembering codec = new Remembering();
    private final Instant now = Instant.parse("2026-12-01T10:00:00Z");

    /** Round-trips maps by reference (the JSON codec lives with the adapters); enough for what is sealed. */
    static final class Remembering implements VariablesCodec {
        private final Map<String, Map<String, Object>> kept = new HashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, Object> parse(String text) {
            return text.startsWith("ref:") ? kept.get(text) : new LinkedHashMap<>();
        }

        @Override
        @SuppressWarnings("unchecked")
        public String toJson(Object value) {
            String ref = "ref:" + kept.size();
            kept.put(ref, (Map<String, Object>) value);
            return ref;
        }
    }

    private long credential(String kind, Map<String, Object> inputs) {
        return resources.create(ResourceTypes.CREDENTIAL, Map.of("name", "c-" + kind + inputs.hashCode(), "kind", kind,
                "credential_type", 1L, "inputs", inputs)).id();
    }

    private UnifiedJob waitingJob(long id, List<Long> credentials, String extraVars) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(JobFields.CREDENTIALS, credentials);
        f.put(JobFields.EXTRA_VARS, extraVars);
        UnifiedJob pending = UnifiedJob.newPending(id, JobKind.JOB, "j", LaunchType.MANUAL, now, f);
        UnifiedJob waiting = UnifiedJob.of(merge(pending.fields(), JobTransitions.changesFor(pending, JobStatus.WAITING, now)));
        jobs.insert(waiting);
        return waiting;
    }

    private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    @Test
    void aJobsBundleHoldsItsOwnCredentialsAndSealedValuesAndOpensOnlyWithItsKey() {
        resources.insert(new Resource(ResourceTypes.CREDENTIAL_TYPE, 1, Map.of("name", "Machine", "managed", true)));
        long mine = credential("ssh", Map.of("username", "deploy", "password", sealing.seal("my-ssh-password")));
        long theirs = credential("ssh", Map.of("username", "other", "password", sealing.seal("their-ssh-password")));
        String survey = sealing.seal("survey-answer");
        UnifiedJob job = waitingJob(7, List.of(mine), "{\"db_password\": \"" + survey + "\", \"who\": \"me\"}");
        waitingJob(8, List.of(theirs), "{}");

        RunSecrets.Sealed sealed = RunSecrets.gather(job, resources, sealing).seal(codec);
        assertThat(sealed.bundle()).doesNotContain("my-ssh-password").doesNotContain("survey-answer");

        RunSecrets opened = RunSecrets.open(sealed.bundle(), sealed.key(), codec);
        assertThat(opened.credentials()).singleElement().satisfies(c -> {
            assertThat(c.inputs()).containsEntry("password", "my-ssh-password").containsEntry("username", "deploy");
            assertThat(c.secretInputs()).containsExactly("password");
        });
        assertThat(opened.opened(survey)).contains("survey-answer");
        assertThat(opened.secrets()).containsExactlyInAnyOrder("my-ssh-password", "survey-answer")
                .doesNotContain("their-ssh-password");

        RunSecrets.Sealed other = RunSecrets.gather(jobs.find(8).orElseThrow(), resources, sealing).seal(codec);
        assertThat(other.key()).isNotEqualTo(sealed.key());
        assertThatThrownBy(() -> RunSecrets.open(sealed.bundle(), other.key(), codec)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theLauncherSealsOntoTheWaitingJobAndStartsItsRunnerWithTheKeyOnly() throws Exception {
        resources.insert(new Resource(ResourceTypes.CREDENTIAL_TYPE, 1, Map.of("name", "Machine", "managed", true)));
        long mine = credential("ssh", Map.of("password", sealing.seal("pw-of-job-9")));
        waitingJob(9, List.of(mine), "{}");
        List<Object[]> started = new ArrayList<>();
        RunnerStarter starter = (id, kind, key) -> {
            started.add(new Object[] {id, kind, key});
            return "task-" + id;
        };
        new RunPlaneLauncher(jobs, resources, sealing, codec, starter).launch(9);

        UnifiedJob stored = jobs.find(9).orElseThrow();
        String bundle = stored.string(JobFields.RUN_SECRETS).orElseThrow();
        assertThat(bundle).startsWith("$encrypted$AESGCM$").doesNotContain("pw-of-job-9");
        assertThat(started).singleElement().satisfies(s -> assertThat(s[2]).isInstanceOf(Optional.class));
        String key = ((Optional<?>) started.get(0)[2]).orElseThrow().toString();
        assertThat(RunSecrets.open(bundle, key, codec).secrets()).containsExactly("pw-of-job-9");
        assertThatThrownBy(() -> RunSecrets.open(bundle, java.util.Base64.getEncoder().encodeToString(new byte[32]), codec))
                .isInstanceOf(IllegalStateException.class);

        // Whoever ends the job, the bundle goes with the final write.
        UnifiedJob running = UnifiedJob.of(merge(stored.fields(), JobTransitions.changesFor(stored, JobStatus.RUNNING, now)));
        assertThat(JobTransitions.changesFor(running, JobStatus.SUCCESSFUL, now)).containsEntry(JobFields.RUN_SECRETS, null);
        assertThat(JobTransitions.changesFor(stored, JobStatus.CANCELED, now)).containsEntry(JobFields.RUN_SECRETS, null);
    }

    @Test
    void aJobCanceledBeforeItsRunnerStartsGetsNoBundleAndNoRunnerAndASystemJobNoKey() throws Exception {
        UnifiedJob job = waitingJob(10, List.of(), "{}");
        jobs.updateIfStatus(10, JobStatus.WAITING, JobTransitions.changesFor(job, JobStatus.CANCELED, now));
        List<Long> started = new ArrayList<>();
        RunPlaneLauncher launcher = new RunPlaneLauncher(jobs, resources, sealing, codec, (id, kind, key) -> {
            started.add(id);
            assertThat(kind == JobKind.SYSTEM_JOB ? key.isEmpty() : key.isPresent()).isTrue();
            return "t";
        });
        assertThatThrownBy(() -> launcher.launch(10)).isInstanceOf(RunnerLauncher.LaunchException.class);
        assertThat(jobs.find(10).orElseThrow().get(JobFields.RUN_SECRETS)).isNull();

        UnifiedJob system = UnifiedJob.newPending(11, JobKind.SYSTEM_JOB, "cleanup", LaunchType.MANUAL, now, Map.of());
        jobs.insert(UnifiedJob.of(merge(system.fields(), JobTransitions.changesFor(system, JobStatus.WAITING, now))));
        launcher.launch(11);
        assertThat(started).containsExactly(11L);
        assertThat(jobs.find(11).orElseThrow().get(JobFields.RUN_SECRETS)).isNull();
    }
}
