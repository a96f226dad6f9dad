package dev.towerless.local.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobEvent;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobOutput;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job's output is read beside the job itself (the events page, the stdout extent), before the
 * access check answers: a user who may not see the job still gets AWX's 403, with not a word of
 * the output, and one who may see it gets every line.
 */
class JobOutputAccessTest {
    private final Accounts a = new Accounts();

    @Test
    void aUserWhoMayNotSeeAJobGetsNoLineOfItsOutputThoughItIsReadAhead() {
        var stack = LocalStackFixture.stack();
        long id = stack.context().getBean(ResourceStore.class).nextId(LaunchService.JOB_SEQUENCE);
        Instant now = Instant.now();
        UnifiedJob j = UnifiedJob.newPending(id, JobKind.JOB, "secretive-" + id, LaunchType.MANUAL, now, Map.of());
        stack.context().getBean(JobStore.class).insert(j.with(Map.of(JobFields.STATUS, JobStatus.SUCCESSFUL.apiName(),
                JobFields.FINISHED, Timestamps.format(now))));
        List<JobEvent> events = new ArrayList<>();
        for (int c = 1; c <= 30; c++) {
            events.add(new JobEvent(id, c, "verbose", "u-" + c, null, null, null, null, "the-private-line-" + c, 0, 0,
                    "2026-11-28T10:00:00.000000Z", false, false, Map.of()));
        }
        new JobOutput.Writer(stack.context().getBean(EventStore.class)).append(events);

        ApiClient stranger = a.token(a.user("stranger"), "write");
        for (String path : List.of("jobs/" + id + "/job_events/?page_size=5", "jobs/" + id + "/job_events/?counter__gt=3",
                "jobs/" + id + "/stdout/?format=txt", "jobs/" + id + "/stdout/?format=json&start_line=2&end_line=9",
                "jobs/" + id + "/stdout/?format=txt_download")) {
            ApiClient.Response r = stranger.get(path);
            assertThat(r.status()).as(path).isEqualTo(403);
            assertThat(r.body()).as(path).doesNotContain("the-private-line");
        }
        assertThat(stranger.get("jobs/" + (id + 1_000_000) + "/job_events/").status()).as("no such job").isEqualTo(404);
        // a request the API would refuse is still first refused for the job it names, as before
        assertThat(stranger.get("jobs/" + id + "/stdout/?format=bogus").status()).isEqualTo(403);
        assertThat(stranger.get("jobs/" + id + "/job_events/?nosuchfield=1").status()).isEqualTo(403);
        assertThat(stranger.get("jobs/" + (id + 1_000_000) + "/stdout/?format=bogus").status()).isEqualTo(404);
        assertThat(a.admin.get("jobs/" + id + "/stdout/?format=bogus").status()).isEqualTo(400);
        assertThat(a.admin.get("jobs/" + id + "/job_events/?nosuchfield=1").status()).isEqualTo(400);

        assertThat(a.admin.get("jobs/" + id + "/job_events/?page_size=5&page=2").json().get("count")).isEqualTo(30);
        assertThat(a.admin.get("jobs/" + id + "/stdout/?format=txt").body()).contains("the-private-line-1\n")
                .contains("the-private-line-30\n");
    }
}
