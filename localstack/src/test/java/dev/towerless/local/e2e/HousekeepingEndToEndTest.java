package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.sns.SnsTopic;
import dev.towerless.local.LocalStackFixture;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;

/** The nightly housekeeping fan-out: topic → one queue per task (cleanups, analytics, administrative checks) → a system job each, once. */
class HousekeepingEndToEndTest {

    @Test
    @SuppressWarnings("unchecked")
    void aHousekeepingMessageLaunchesEachTaskOnceEvenWhenPublishedTwice() throws Exception {
        var stack = LocalStackFixture.stack();
        Scenario s = new Scenario();
        SnsTopic topic = new SnsTopic(stack.context().getBean(SnsClient.class), stack.provisioned().topicArn(Messaging.HOUSEKEEPING));
        topic.publish("{\"reason\":\"nightly\"}");
        topic.publish("{\"reason\":\"nightly\"}");
        Instant deadline = Instant.now().plusSeconds(60);
        List<Map<String, Object>> ran;
        while (true) {
            ran = (List<Map<String, Object>>) s.api.get("system_jobs/?launch_type=scheduled&page_size=50").json().get("results");
            long finished = ran.stream().filter(j -> "successful".equals(j.get("status"))
                    && List.of("cleanup_jobs", "cleanup_tokens").contains(j.get("job_type"))).count();
            if (finished >= 2 || Instant.now().isAfter(deadline)) {
                break;
            }
            Thread.sleep(200);
        }
        Thread.sleep(1500); // let the second delivery be handled too
        ran = (List<Map<String, Object>>) s.api.get("system_jobs/?launch_type=scheduled&page_size=200").json().get("results");
        assertThat(ran.stream().filter(j -> "cleanup_jobs".equals(j.get("job_type")))).as("one nightly cleanup_jobs")
                .singleElement().satisfies(j -> assertThat((String) j.get("extra_vars")).contains("\"days\":120"));
        assertThat(ran.stream().filter(j -> "cleanup_tokens".equals(j.get("job_type")))).as("one nightly cleanup_tokens").hasSize(1);
        assertThat(ran.stream().filter(j -> "gather_analytics".equals(j.get("job_type")))).as("one nightly gather_analytics").hasSize(1);
        assertThat(ran.stream().filter(j -> "administrative_checks".equals(j.get("job_type")))).as("one nightly administrative_checks")
                .hasSize(1);
    }
}
