package dev.towerless.core.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.ValidationException;
import dev.towerless.core.security.SecretBox;
import dev.towerless.core.testing.FakeStores;
import dev.towerless.core.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AWX's ASK passwords at launch: a person must type them; a schedule or a workflow cannot. */
class LaunchPasswordsTest {
    private final FakeStores.Jobs jobs = new FakeStores.Jobs();
    private final FakeStores.Resources resources = new FakeStores.Resources();
    private final SecretBox box = new SecretBox(new byte[32]);
    private final LaunchService launches = new LaunchService(jobs, resources, new FakeStores.Queue(),
            new FakeStores.FlatVariables(), new MutableClock(Instant.parse("2026-12-01T10:00:00Z")), box);
    private Resource template;
    private final Resource user = new Resource(ResourceTypes.USER, 1, Map.of("username", "alice"));

    @BeforeEach
    void setUp() {
        resources.insert(new Resource(ResourceTypes.PROJECT, 1, Map.of("name", "p", "organization", 1L)));
        resources.insert(new Resource(ResourceTypes.INVENTORY, 2, Map.of("name", "inv", "organization", 1L)));
        resources.insert(new Resource(ResourceTypes.CREDENTIAL, 3, Map.of("name", "m", "kind", "ssh",
                "inputs", Map.of("username", "u", "password", "ASK", "become_password", box.seal("kept")))));
        resources.insert(new Resource(ResourceTypes.CREDENTIAL, 4, Map.of("name", "v", "kind", "vault",
                "inputs", Map.of("vault_password", "ASK", "vault_id", "prod"))));
        template = resources.insert(new Resource(ResourceTypes.JOB_TEMPLATE, 10, Map.of("name", "deploy", "project", 1L,
                "inventory", 2L, "playbook", "site.yml", "forks", 0L, "credentials", List.of(3L, 4L))));
    }

    @Test
    void aPersonMustTypeEachAndTheyAreKeptSealed() {
        assertThat(launches.passwordsNeededToStart(List.of(3L, 4L))).containsExactly("ssh_password", "vault_password.prod");
        assertThatThrownBy(() -> launches.launchJobTemplate(template, LaunchPrompts.none(), Origin.user(user),
                Map.of("ssh_password", "typed")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .isEqualTo(Map.of("passwords_needed_to_start", List.of("vault_password.prod"))));
        assertThat(jobs.ofTemplate(10, 10)).isEmpty();

        UnifiedJob job = launches.launchJobTemplate(template, LaunchPrompts.none(), Origin.user(user),
                Map.of("ssh_password", "typed", "vault_password.prod", "v", "become_password", "not needed")).job();
        @SuppressWarnings("unchecked")
        Map<String, Object> sealed = (Map<String, Object>) job.get(JobFields.START_ARGS);
        assertThat(sealed).containsOnlyKeys("ssh_password", "vault_password.prod");
        assertThat(box.open((String) sealed.get("ssh_password"))).isEqualTo("typed");
        assertThat(job.fields().toString()).doesNotContain("typed", "not needed");
    }

    @Test
    void aRelaunchAsksAgainInAwxsWords() {
        UnifiedJob first = launches.launchJobTemplate(template, LaunchPrompts.none(), Origin.user(user),
                Map.of("ssh_password", "a", "vault_password.prod", "b")).job();
        assertThatThrownBy(() -> launches.relaunch(template, first, user, Map.of("credential_passwords", Map.of("ssh_password", "a"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).isEqualTo(Map.of(
                        "credential_passwords", List.of("Missing passwords needed to start: vault_password.prod"))));
        UnifiedJob again = launches.relaunch(template, first, user, Map.of("ssh_password", "a", "vault_password.prod", "b")).job();
        assertThat(again.get(JobFields.LAUNCH_TYPE)).isEqualTo(LaunchType.RELAUNCH.apiName());
        assertThat(again.get(JobFields.START_ARGS)).isNotNull();
    }

    @Test
    void aScheduleOrAWorkflowCannotTypeThemSoItsRunFailsWithAwxsExplanation() {
        Resource schedule = new Resource(ResourceTypes.SCHEDULE, 50, Map.of("name", "nightly"));
        UnifiedJob scheduled = launches.launchJobTemplate(template, LaunchPrompts.none(),
                Origin.schedule(schedule, "2026-12-01T10:00:00Z")).job();
        assertThat(scheduled.status()).isEqualTo(JobStatus.FAILED);
        assertThat(scheduled.get(JobFields.JOB_EXPLANATION)).isEqualTo(LaunchService.SCHEDULED_NEEDS_PASSWORDS);

        UnifiedJob workflow = UnifiedJob.newPending(99, dev.towerless.core.jobs.JobKind.WORKFLOW_JOB, "wf",
                LaunchType.MANUAL, Instant.parse("2026-12-01T10:00:00Z"), Map.of());
        UnifiedJob node = launches.launchJobTemplate(template, LaunchPrompts.none(), Origin.workflow(workflow, 7, 1234)).job();
        assertThat(node.id()).isEqualTo(1234);
        assertThat(node.status()).isEqualTo(JobStatus.FAILED);
        assertThat(node.get(JobFields.JOB_EXPLANATION)).isEqualTo(
                "Job spawned from workflow could not start because it was not in the right state or required manual credentials");
    }
}
