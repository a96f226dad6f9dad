package dev.towerless.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JobStore;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import dev.towerless.local.bench.ItemsRead;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A page polled again reads the objects it names (here its jobs' inventory) and the jobs it showed
 * in the same batch as the caller's token: two round trips fewer than its first GET. What it shows
 * is still read fresh: a renamed inventory shows its new name on the very next poll, a changed job
 * its change, the page holds the jobs the store's keys say (a new one shows, a deleted one does
 * not), and an expired token reads no hint.
 */
class PrefetchHintsTest {
    private static final ApiClient API = LocalStackFixture.admin();

    @Test
    @SuppressWarnings("unchecked")
    void aPolledPageReadsWhatItNamesBesideItsTokenAndStillShowsItFresh() {
        Place place = place("hinted-");
        String tag = place.tag();
        long org = place.organization();
        long inventory = place.inventory();
        List<Long> labels = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            labels.add(created("labels/", Map.of("name", "hinted-" + tag + "-" + i, "organization", org)));
        }
        JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
        long base = 6_000_000 + ThreadLocalRandom.current().nextLong(1000) * 100; // below JobListsTest's, which must be the newest
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 1; i <= 3; i++) {
            UnifiedJob j = UnifiedJob.newPending(base + i, JobKind.JOB, "hinted-" + i, LaunchType.MANUAL, t0,
                    Map.of(JobFields.INVENTORY, inventory, JobFields.LABELS, labels));
            jobs.insert(j.with(JobTransitions.changesFor(j, JobStatus.CANCELED, t0.plusSeconds(5))));
        }

        // each a URL this user never asked for: nothing hinted (the same page, other page sizes)
        long first = Long.MAX_VALUE;
        for (int size = 6; size <= 8; size++) {
            String url = "jobs/?inventory=" + inventory + "&page_size=" + size;
            first = Math.min(first, ItemsRead.callsDuring(() -> assertThat(API.get(url).status()).isEqualTo(200)));
        }
        String polled = "jobs/?inventory=" + inventory + "&page_size=5";
        assertThat(API.get(polled).status()).isEqualTo(200);
        long again = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the fewest of three: the stack's own passes may read meanwhile
            again = Math.min(again, ItemsRead.callsDuring(() -> assertThat(API.get(polled).status()).isEqualTo(200)));
        }
        assertThat(again).as("polled again, the inventory and the page's jobs come with the token: no batch of either after it")
                .isEqualTo(first - 2);

        // a token that expires reads nothing but itself and its user from then on, however it was hinted
        ApiClient.Response issued = API.post("tokens/", Map.of("description", "expires", "scope", "read"));
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        ApiClient expiring = new ApiClient(LocalStackFixture.stack().apiUrl(), (String) issued.json().get("token"));
        assertThat(expiring.get(polled).status()).isEqualTo(200);
        assertThat(expiring.get(polled).status()).as("hinted now").isEqualTo(200);
        LocalStackFixture.stack().context().getBean(dev.towerless.core.ports.ResourceStore.class).update(
                dev.towerless.core.resources.ResourceTypes.TOKEN, ((Number) issued.json().get("id")).longValue(),
                Map.of("expires", "2026-01-01T00:00:00Z"));
        assertThat(expiring.get(polled).status()).isEqualTo(401);
        for (int i = 0; i < 2; i++) {
            long[] status = new long[1];
            long items = ItemsRead.during(() -> status[0] = expiring.get(polled).status());
            assertThat(status[0]).isEqualTo(401);
            assertThat(items).as("the token found by its name index, and its user: not the hinted inventory and labels")
                    .isLessThanOrEqualTo(3);
        }

        assertThat(API.patch("inventories/" + inventory + "/", Map.of("name", "renamed-" + tag)).status()).isEqualTo(200);
        List<Map<String, Object>> shown = (List<Map<String, Object>>) API.get(polled).json().get("results");
        assertThat(shown).hasSize(3).allSatisfy(job -> assertThat(
                ((Map<String, Object>) ((Map<String, Object>) job.get("summary_fields")).get("inventory")).get("name"))
                .as("the hint says what to read, never what to show").isEqualTo("renamed-" + tag));

        // the jobs read beside the token are read fresh, and the page is still the store's own keys
        assertThat(jobs.updateIfStatus(base + 2, JobStatus.CANCELED, Map.of(JobFields.JOB_EXPLANATION, "changed " + tag))).isPresent();
        UnifiedJob added = UnifiedJob.newPending(base + 4, JobKind.JOB, "hinted-4", LaunchType.MANUAL, t0,
                Map.of(JobFields.INVENTORY, inventory));
        jobs.insert(added.with(JobTransitions.changesFor(added, JobStatus.CANCELED, t0.plusSeconds(5))));
        assertThat(jobs.deleteIfFinished(base + 3)).isTrue();
        List<Map<String, Object>> polledAgain = (List<Map<String, Object>>) API.get(polled).json().get("results");
        assertThat(polledAgain).extracting(job -> ((Number) job.get("id")).longValue())
                .as("a job added since shows, a job deleted since does not").containsExactly(base + 1, base + 2, base + 4);
        assertThat(polledAgain.get(1).get("job_explanation")).as("a job read ahead is read as it is now").isEqualTo("changed " + tag);

        // a job's detail, polled (awx job wait), is read with the token: one round trip
        String detail = "jobs/" + (base + 1) + "/";
        long firstDetail = ItemsRead.callsDuring(() -> assertThat(API.get(detail).status()).isEqualTo(200));
        long detailAgain = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            detailAgain = Math.min(detailAgain, ItemsRead.callsDuring(() -> assertThat(API.get(detail).status()).isEqualTo(200)));
        }
        assertThat(detailAgain).as("the job comes with the token").isEqualTo(1).isLessThan(firstDetail);
        assertThat(jobs.updateIfStatus(base + 1, JobStatus.CANCELED, Map.of(JobFields.JOB_EXPLANATION, "now " + tag))).isPresent();
        assertThat(API.get(detail).json().get("job_explanation")).as("and as it is now").isEqualTo("now " + tag);
    }
    /**
     * A page of job templates shows each one's last job without reading each template's jobs: a
     * polled page makes as many read calls for 8 templates as for 2, and a job launched since shows
     * as the template's last job on the next poll.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aPolledPageOfTemplatesReadsTheirLastJobsInTheSameCallsHoweverManyAndSeesANewerOne() {
        Place place = place("last-");
        String tag = place.tag();
        long org = place.organization();
        long inventory = place.inventory();
        long project = created("projects/", Map.of("name", "last-" + tag, "organization", org,
                "scm_type", "git", "scm_url", LocalStackFixture.sampleRepoUrl()));
        JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
        long base = 6_500_000 + ThreadLocalRandom.current().nextLong(1000) * 100; // below JobListsTest's, which must be the newest
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        List<Long> templates = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long template = created("job_templates/", Map.of("name", "last-" + tag + "-" + i, "project", project,
                    "inventory", inventory, "playbook", "hello.yml"));
            templates.add(template);
            for (int n = 1; n <= 2; n++) {
                UnifiedJob j = UnifiedJob.newPending(base + i * 10 + n, JobKind.JOB, "last-" + i, LaunchType.MANUAL, t0,
                        Map.of(JobFields.UNIFIED_JOB_TEMPLATE, template, JobFields.INVENTORY, inventory));
                jobs.insert(j.with(JobTransitions.changesFor(j, JobStatus.FAILED, t0.plusSeconds(5))));
            }
        }
        java.util.function.IntFunction<Long> polledCalls = size -> {
            String url = "job_templates/?organization=" + org + "&order_by=id&page_size=" + size;
            for (int i = 0; i < 2; i++) {
                assertThat(API.get(url).status()).isEqualTo(200);
            }
            long fewest = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) { // the fewest of three: the stack's own passes may read meanwhile
                fewest = Math.min(fewest, ItemsRead.callsDuring(() -> assertThat(API.get(url).status()).isEqualTo(200)));
            }
            return fewest;
        };
        assertThat(polledCalls.apply(8)).as("8 templates' last jobs read in the calls 2 take").isEqualTo(polledCalls.apply(2));
        long unhinted = Long.MAX_VALUE;
        for (int size = 3; size <= 5; size++) { // each a URL this user never asked for
            String url = "job_templates/?organization=" + org + "&order_by=id&page_size=" + size;
            unhinted = Math.min(unhinted, ItemsRead.callsDuring(() -> assertThat(API.get(url).status()).isEqualTo(200)));
        }
        assertThat(polledCalls.apply(8)).as("polled, the objects the page names, the templates' newest-job pointers and"
                + " those jobs come with the token: no batch of any of them after it").isEqualTo(unhinted - 3);

        String polled = "job_templates/?organization=" + org + "&order_by=id&page_size=8";
        List<Map<String, Object>> shown = (List<Map<String, Object>>) API.get(polled).json().get("results");
        assertThat(shown).extracting(t -> ((Number) ((Map<String, Object>) ((Map<String, Object>) t.get("summary_fields"))
                .get("last_job")).get("id")).longValue()).as("each template's newest job")
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 8).mapToObj(i -> base + i * 10 + 2).toList());
        assertThat(shown).allSatisfy(t -> assertThat(t).containsEntry("status", "failed").containsEntry("last_job_failed", true));

        UnifiedJob newer = UnifiedJob.newPending(base + 99, JobKind.JOB, "last-newer", LaunchType.MANUAL, t0,
                Map.of(JobFields.UNIFIED_JOB_TEMPLATE, templates.get(3), JobFields.INVENTORY, inventory));
        jobs.insert(newer);
        Map<String, Object> fourth = ((List<Map<String, Object>>) API.get(polled).json().get("results")).get(3);
        assertThat(((Map<String, Object>) ((Map<String, Object>) fourth.get("summary_fields")).get("last_job")).get("id"))
                .as("a job launched since is the last job on the next poll").isEqualTo((int) (base + 99));
        assertThat(fourth).containsEntry("status", "pending");
    }

    /** A new organization and an inventory of it, both named {@code prefix} and a random tag. */
    private record Place(String tag, long organization, long inventory) {
    }

    private static Place place(String prefix) {
        String tag = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000));
        long org = created("organizations/", Map.of("name", prefix + tag));
        return new Place(tag, org, created("inventories/", Map.of("name", prefix + tag, "organization", org)));
    }

    /** The id of an object created through the API. */
    private static long created(String path, Map<String, Object> body) {
        return ((Number) API.create(path, body).get("id")).longValue();
    }
}
