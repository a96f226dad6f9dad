package dev.towerless.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.testing.FakeStores;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's lost cancel: a cancel that lands after the run's last heartbeat but before the
 * runner writes its result used to leave the job {@code successful} with {@code cancel_flag:
 * true}. AWX ends it {@code canceled}; so does Towerless. The race is forced: the cancel is
 * written exactly when the runner is about to store its result.
 */
class LostCancelTest {
    private final FakeStores.Jobs store = new FakeStores.Jobs();
    private final AtomicBoolean canceledAsItEnded = new AtomicBoolean();

    @Test
    void aCancelLandingJustBeforeTheResultIsWrittenEndsTheJobCanceled() {
        UnifiedJob pending = UnifiedJob.newPending(7, JobKind.SYSTEM_JOB, "Cleanup Expired OAuth 2 Tokens", LaunchType.MANUAL,
                Clock.systemUTC().instant(), Map.of(JobFields.JOB_TYPE, "cleanup_tokens", JobFields.EXTRA_VARS, "{}"));
        store.insert(pending);
        store.updateIfStatus(7, JobStatus.PENDING, Map.of(JobFields.STATUS, JobStatus.WAITING.apiName()));
        JobRunner runner = new JobRunner(cancelingAsTheResultIsWritten(), new FakeStores.Heartbeats(), new FakeStores.Resources(), new FakeStores.Events(),
                message -> { }, Optional.empty(), new Sandbox(false, Optional.empty(), false, java.util.List.of()), new FakeStores.FlatVariables(), Clock.systemUTC(), "runner-1",
                Duration.ofSeconds(30), "task-1");

        Optional<JobStatus> ended = runner.run(7);

        assertThat(canceledAsItEnded).as("the race happened").isTrue();
        assertThat(ended).contains(JobStatus.CANCELED);
        UnifiedJob job = store.find(7).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(job.cancelFlag()).isTrue();
        assertThat(job.fields()).containsEntry(JobFields.FAILED, true);
    }

    /** The store, with a user's cancel (as CancelService writes it) slipped in before the runner's final write. */
    private JobStore cancelingAsTheResultIsWritten() {
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[] {JobStore.class}, (proxy, method, args) -> {
            boolean finalWrite = method.getName().startsWith("updateIf") && args[args.length - 1] instanceof Map<?, ?> changes
                    && JobStatus.SUCCESSFUL.apiName().equals(changes.get(JobFields.STATUS));
            if (finalWrite && canceledAsItEnded.compareAndSet(false, true)) {
                store.updateIfStatus(7, JobStatus.RUNNING, Map.of(JobFields.CANCEL_FLAG, true));
            }
            try {
                return method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
