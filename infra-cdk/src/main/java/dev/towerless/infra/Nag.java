package dev.towerless.infra;

import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * Acknowledges a cdk-nag finding (AwsSolutions, Serverless packs; TowerlessStackTest runs them) on
 * one construct and what it contains, with the reason beside the construct it concerns. Anything
 * not acknowledged this way fails the template tests.
 */
final class Nag {
    private Nag() {
    }

    static void explain(IConstruct construct, String findingId, String reason) {
        if (findingId.indexOf("::") != findingId.lastIndexOf("::")) {
            // A finding naming an ARN ("IAM5[Resource::arn:<AWS::Partition>:...]") has more than one "::", which
            // Validations.acknowledge refuses as an id; the same acknowledgment entry, written directly, is what
            // cdk-nag reads (NagPack.isAcknowledged).
            construct.getNode().addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, java.util.Map.of(findingId, reason));
            return;
        }
        Validations.of(construct).acknowledge(Acknowledgment.builder().id(findingId).reason(reason).build());
    }
}
