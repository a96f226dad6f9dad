package dev.towerless.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.aws.dynamodb.DynamoJobStore;
import dev.towerless.aws.dynamodb.DynamoJointReads;
import dev.towerless.aws.dynamodb.DynamoResourceStore;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.LaunchType;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.contract.JointReadsContract;
import dev.towerless.local.SharedEmulators;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class DynaliteJointReadsTest extends JointReadsContract {
    @Override
    protected Backend backend() {
        String prefix = SharedEmulators.uniquePrefix();
        DynamoDbClient dynamo = SharedEmulators.dynamoWithTables(prefix);
        return new Backend(new DynamoResourceStore(dynamo, prefix), new DynamoJobStore(dynamo, prefix),
                new DynamoJointReads(dynamo, prefix));
    }

    /** The store keeps each launched template's pointer, so the batch beside a token answers them all. */
    @Test
    void theNewestJobPointersOfLaunchedTemplatesComeInTheSameRead() {
        Backend b = backend();
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        for (long id = 1; id <= 3; id++) {
            b.jobs().insert(UnifiedJob.newPending(id, JobKind.JOB, "joint-" + id, LaunchType.MANUAL, t0.plusSeconds(id),
                    Map.of(JobFields.UNIFIED_JOB_TEMPLATE, id < 3 ? 41L : 42L)));
        }
        assertThat(b.joint().read(Map.of(), List.of(), List.of(41L, 42L, 43L)).newest())
                .as("43 was never launched: no pointer").isEqualTo(Map.of(41L, 2L, 42L, 3L));
    }
}
