package dev.towerless.local.access;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A user who may read some job templates lists {@code jobs/}: exactly those templates' jobs, every
 * page, with their count, read from the templates' indexes (not a walk of the history that stops
 * at 5,000 jobs, where an older template's jobs would be missing); never another template's job.
 */
class RestrictedJobListTest {
    private static final long BASE = 9_000_000 + ThreadLocalRandom.current().nextLong(1000) * 1000;

    @Test
    @SuppressWarnings("unchecked")
    void aUserSeesTheJobsOfTheTemplatesTheyMayReadAndNoOthers() {
        Accounts a = new Accounts();
        ApiClient admin = a.admin;
        List<Map<String, Object>> demo = (List<Map<String, Object>>) admin.get("job_templates/?name=Demo+Job+Template").json().get("results");
        long mine = ((Number) demo.get(0).get("id")).longValue();
        ApiClient.Response copy = admin.post("job_templates/" + mine + "/copy/", Map.of("name", "not-theirs-" + a.tag));
        assertThat(copy.status()).as(copy.body()).isEqualTo(201);
        long theirs = ((Number) copy.json().get("id")).longValue();

        JobStore jobs = LocalStackFixture.stack().context().getBean(JobStore.class);
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        List<Long> other = new ArrayList<>();
        for (int i = 1; i <= 14; i++) {
            long template = i % 2 == 0 ? mine : theirs;
            UnifiedJob j = UnifiedJob.newPending(BASE + i, JobKind.JOB, "restricted-" + i, LaunchType.MANUAL, t0.plusSeconds(i),
                    Map.of(JobFields.JOB_TEMPLATE, template, JobFields.UNIFIED_JOB_TEMPLATE, template));
            jobs.insert(j.with(JobTransitions.changesFor(j, JobStatus.CANCELED, t0.plusSeconds(i)))); // finished: left alone
            if (template == theirs) {
                other.add(BASE + i);
            }
        }
        long reader = a.user("reader");
        a.grant("job_templates/", mine, "read_role", reader);
        ApiClient user = a.token(reader, "read");

        List<Long> expected = ids(admin.get("jobs/?job_template=" + mine + "&order_by=-id&page_size=200"));
        assertThat(expected).as("the template's jobs, this test's among them").contains(BASE + 2, BASE + 14);
        List<Long> shown = new ArrayList<>();
        // a walk of the history would stop after 5 jobs here, short of the template's
        System.setProperty("towerless.list.walk-budget", "5");
        try {
            String next = "jobs/?order_by=-id&page_size=4";
            while (next != null) {
                ApiClient.Response page = user.get(next);
                assertThat(((Number) page.json().get("count")).longValue()).isEqualTo(expected.size());
                shown.addAll(ids(page));
                next = (String) page.json().get("next");
                next = next == null ? null : next.replaceFirst("^/api/v2/", "");
            }
        } finally {
            System.clearProperty("towerless.list.walk-budget");
        }
        assertThat(shown).containsExactlyElementsOf(expected).doesNotContainAnyElementsOf(other);
        for (long job : other) {
            assertThat(user.get("jobs/" + job + "/").status()).as("another template's job").isEqualTo(403);
        }

        // a page reads its keys, its jobs and the user's roles, not the history
        long read = dev.towerless.local.bench.ItemsRead.during(() -> assertThat(user.get("jobs/?page_size=4").status()).isEqualTo(200));
        assertThat(read).isLessThan(60);

        // the organization's execute role reaches every template of it; a member's role none
        long organization = ((Number) demo.get(0).get("organization")).longValue();
        long executor = a.user("executor");
        a.grant("organizations/", organization, "execute_role", executor);
        List<Long> ofOrganization = new ArrayList<>();
        for (Map<String, Object> t : (List<Map<String, Object>>) admin.get("job_templates/?organization=" + organization
                + "&page_size=200").json().get("results")) {
            ofOrganization.addAll(ids(admin.get("jobs/?job_template=" + t.get("id") + "&page_size=200")));
        }
        ofOrganization.sort(java.util.Comparator.reverseOrder());
        assertThat(ofOrganization).contains(BASE + 1, BASE + 2);
        ApiClient.Response all = a.token(executor, "read").get("jobs/?order_by=-id&page_size=200");
        assertThat(ids(all)).containsExactlyElementsOf(ofOrganization);
        long member = a.user("member");
        a.grant("organizations/", organization, "member_role", member);
        assertThat(a.token(member, "read").get("jobs/").json().get("count")).isEqualTo(0);

        ApiClient nobody = a.token(a.user("nobody"), "read");
        ApiClient.Response none = nobody.get("jobs/");
        assertThat(none.json().get("count")).isEqualTo(0);
        assertThat(ids(none)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<Long> ids(ApiClient.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return ((List<Map<String, Object>>) r.json().get("results")).stream().map(m -> ((Number) m.get("id")).longValue()).toList();
    }
}
