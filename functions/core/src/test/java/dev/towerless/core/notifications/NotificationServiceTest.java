package dev.towerless.core.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.JobTransitions;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.notifications.NotificationService.Event;
import dev.towerless.core.ports.NotificationSender;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.security.SecretBox;
import dev.towerless.core.testing.FakeStores;
import dev.towerless.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotificationServiceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final FakeStores.Jobs jobs = new FakeStores.Jobs();
    private final FakeStores.Resources resources = new FakeStores.Resources();
    private final SecretBox secrets = new SecretBox(new byte[32]);
    private final RecordingSender sender = new RecordingSender();
    private final NotificationService service = new NotificationService(jobs, resources, sender, secrets,
            new FakeStores.FlatVariables(), clock);

    /** Remembers what it was asked to send; can be told to refuse. */
    static final class RecordingSender implements NotificationSender {
        final List<String> sent = Collections.synchronizedList(new ArrayList<>());
        final List<Map<String, Object>> configs = Collections.synchronizedList(new ArrayList<>());
        String refuseWith;

        @Override
        public int send(String type, Map<String, Object> configuration, String subject, String body) throws DeliveryException {
            configs.add(configuration);
            if (refuseWith != null) {
                throw new DeliveryException(refuseWith);
            }
            sent.add(configuration.get("url") + " | " + subject + " | " + body);
            return 1;
        }
    }

    @BeforeEach
    void setUp() {
        resources.insert(new Resource(ResourceTypes.ORGANIZATION, 1, Map.of("name", "Ops",
                "notification_templates_success", List.of(102L), "notification_templates_error", List.of(102L))));
        resources.insert(new Resource(ResourceTypes.PROJECT, 2, Map.of("name", "site", "organization", 1L,
                "notification_templates_success", List.of(101L))));
        resources.insert(new Resource(ResourceTypes.JOB_TEMPLATE, 3, Map.of("name", "deploy", "project", 2L,
                "notification_templates_started", List.of(100L), "notification_templates_success", List.of(100L, 101L))));
        resources.insert(new Resource(ResourceTypes.SYSTEM_JOB_TEMPLATE, 4, Map.of("name", "Cleanup Job Details",
                "notification_templates_success", List.of(100L))));
        for (long id = 100; id <= 102; id++) {
            resources.insert(new Resource(ResourceTypes.NOTIFICATION_TEMPLATE, id, Map.of("name", "hook-" + id,
                    "organization", 1L, "notification_type", "webhook", "notification_configuration",
                    Map.of("url", "http://hooks/" + id, "password", secrets.seal("s3cret-" + id)))));
        }
    }

    private long finishedJob(JobKind kind, JobStatus status, Map<String, Object> fields) {
        long id = resources.nextId("unified_job");
        UnifiedJob job = UnifiedJob.newPending(id, kind, "deploy", LaunchType.MANUAL, clock.instant(), fields);
        job = job.with(JobTransitions.changesFor(job, JobStatus.WAITING, clock.instant()));
        job = job.with(JobTransitions.changesFor(job, JobStatus.RUNNING, clock.instant()));
        job = job.with(JobTransitions.changesFor(job, status, clock.instant()));
        jobs.insert(job);
        return id;
    }

    private long successfulJob() {
        return finishedJob(JobKind.JOB, JobStatus.SUCCESSFUL, Map.of(JobFields.JOB_TEMPLATE, 3L, JobFields.PROJECT, 2L,
                JobFields.ORGANIZATION, 1L, JobFields.PLAYBOOK, "site.yml"));
    }

    private List<Resource> notificationsOf(long job) {
        return resources.where(ResourceTypes.NOTIFICATION, "job", job);
    }

    @Test
    void aJobsTemplateProjectAndOrganizationAreNotifiedOnceEach() {
        long job = successfulJob();

        assertThat(service.notify(job, Event.SUCCESS)).isEqualTo(3);

        assertThat(sender.sent).extracting(s -> s.substring(0, s.indexOf(' ')))
                .containsExactlyInAnyOrder("http://hooks/100", "http://hooks/101", "http://hooks/102");
        assertThat(sender.sent).allSatisfy(s -> assertThat(s)
                .contains("| Job #" + job + " 'deploy' successful: https://platformhost/api/v2/jobs/" + job + "/ |")
                .contains("\"status\": \"successful\"").contains("\"playbook\": \"site.yml\""));
        assertThat(sender.configs).as("secrets are opened for the backend only")
                .anySatisfy(c -> assertThat(c).containsEntry("password", "s3cret-100"));
        assertThat(notificationsOf(job)).hasSize(3).allSatisfy(n -> assertThat(n.get("status")).isEqualTo("successful"));
    }

    @Test
    void aDuplicatedMessageSendsNothingMore() {
        long job = successfulJob();
        service.notify(job, Event.SUCCESS);

        assertThat(service.notify(job, Event.SUCCESS)).isZero();

        assertThat(sender.sent).hasSize(3);
        assertThat(notificationsOf(job)).hasSize(3);
    }

    @Test
    void duplicatesHandledAtTheSameTimeStillSendEachNotificationOnce() throws Exception {
        long job = successfulJob();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                service.notify(job, Event.SUCCESS);
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(sender.sent).hasSize(3);
        assertThat(notificationsOf(job)).as("the losers' copies are removed").hasSize(3);
    }

    @Test
    void startedAndErrorUseTheirOwnSets() {
        long running = finishedJob(JobKind.JOB, JobStatus.CANCELED, Map.of(JobFields.JOB_TEMPLATE, 3L,
                JobFields.PROJECT, 2L, JobFields.ORGANIZATION, 1L));
        service.notify(running, Event.STARTED);
        service.notify(running, Event.ERROR);
        assertThat(sender.sent).extracting(s -> s.substring(0, s.indexOf(' ')))
                .containsExactlyInAnyOrder("http://hooks/100", "http://hooks/102");
        assertThat(Event.forStatus(JobStatus.CANCELED)).contains(Event.ERROR);
        assertThat(Event.forStatus(JobStatus.PENDING)).isEmpty();
    }

    @Test
    void systemJobsNotifyOnlyTheirOwnTemplates() {
        long job = finishedJob(JobKind.SYSTEM_JOB, JobStatus.SUCCESSFUL, Map.of("system_job_template", 4L,
                JobFields.ORGANIZATION, 1L));
        service.notify(job, Event.SUCCESS);
        assertThat(sender.sent).singleElement().asString().startsWith("http://hooks/100 | System Job #" + job);
    }

    @Test
    void aRefusingBackendIsRecordedAndNotRetried() {
        sender.refuseWith = "Error sending notification POST http://hooks/100: 500";
        long job = successfulJob();

        service.notify(job, Event.SUCCESS);
        sender.refuseWith = null;
        service.notify(job, Event.SUCCESS);

        assertThat(notificationsOf(job)).allSatisfy(n -> {
            assertThat(n.get("status")).isEqualTo("failed");
            assertThat(n.get("error").toString()).contains("500");
        });
        assertThat(sender.sent).as("AWX does not retry a failed notification").isEmpty();
    }

    @Test
    void aNotificationLeftPendingByADeadConsumerIsSentWhenItsClaimRunsOut() {
        long job = successfulJob();
        service.notify(job, Event.SUCCESS);
        // As if the consumer had died mid-send: one notification still pending, freshly claimed.
        Resource stuck = notificationsOf(job).get(0);
        resources.update(ResourceTypes.NOTIFICATION, stuck.id(), new HashMap<>(Map.of("status", "pending",
                "sending_until", dev.towerless.core.jobs.Timestamps.format(clock.instant().plusSeconds(60)))));
        sender.sent.clear();

        service.notify(job, Event.SUCCESS);
        assertThat(sender.sent).as("someone may still be sending it").isEmpty();

        clock.advance(Duration.ofMinutes(2));
        service.notify(job, Event.SUCCESS);
        assertThat(sender.sent).hasSize(1);
        assertThat(resources.get(ResourceTypes.NOTIFICATION, stuck.id()).orElseThrow().get("status")).isEqualTo("successful");
    }

    @Test
    void customMessagesRenderTheJobsFields() {
        resources.update(ResourceTypes.NOTIFICATION_TEMPLATE, 101L, new HashMap<>(Map.of("messages", Map.of("success",
                Map.of("message", "{{ job.name }} is {{ job.status }}", "body", "{\"text\": \"{{ job_friendly_name }} {{ nope.x }}done\"}")))));
        long job = successfulJob();
        service.notify(job, Event.SUCCESS);
        assertThat(sender.sent).contains("http://hooks/101 | deploy is successful | {\"text\": \"Job done\"}");
    }

    @Test
    void emailGetsAReadableDefaultBodyAndItsRecipientsAreRecorded() {
        resources.update(ResourceTypes.NOTIFICATION_TEMPLATE, 101L, new HashMap<>(Map.of("notification_type", "email",
                "notification_configuration", Map.of("host", "smtp", "port", 25, "sender", "t@example.com",
                        "recipients", List.of("a@example.com", "b@example.com")))));
        long job = successfulJob();
        service.notify(job, Event.SUCCESS);
        Resource email = notificationsOf(job).stream().filter(n -> "email".equals(n.get("notification_type")))
                .findFirst().orElseThrow();
        assertThat(email.get("recipients")).isEqualTo("a@example.com, b@example.com");
        assertThat(email.get("body").toString()).startsWith("Job #" + job + " had status successful, view details at "
                + "https://platformhost/api/v2/jobs/" + job + "/\n\n{\"id\": " + job);
    }
}
