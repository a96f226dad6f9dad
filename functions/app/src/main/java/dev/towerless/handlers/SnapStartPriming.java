package dev.towerless.handlers;

import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.security.SecretBox;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PostConstruct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SnapStart priming. Lambda snapshots a function after its init; whatever the first request
 * would load, link and JIT-warm then is already in the snapshot. Before the checkpoint this
 * touches what every first request uses: a DynamoDB GetItem through the job store (the client,
 * its signer, marshalling, the URL-connection HTTP client), an SQS and an SNS read-only call
 * (the function's role may refuse them; the classes load either way), and Micronaut's JSON
 * mapper on a wake message. It reads nothing secret: the sealing key is read on first use
 * ({@link SecretBox#lazy}), and priming never seals or opens anything, so no key is in a snapshot
 * ({@link #primeOnce} checks it). Nothing it does changes state.
 */
@Context
// Only on Lambda (AWS_LAMBDA_FUNCTION_NAME, which Micronaut reads as this property) or where a benchmark says so.
@Requires(property = "aws.lambda.function.name")
public class SnapStartPriming implements Resource {
    private static final Logger LOG = Logger.getLogger(SnapStartPriming.class.getName());

    private final JobStore jobs;
    private final SqsClient sqs;
    private final SnsClient sns;
    private final JsonMapper json;
    private final TowerlessConfig config;
    /** A provider, so that priming does not itself build the box (a function with no key configured has none). */
    private final io.micronaut.context.BeanProvider<SecretBox> secrets;

    public SnapStartPriming(JobStore jobs, SqsClient sqs, SnsClient sns, JsonMapper json, TowerlessConfig config,
                            io.micronaut.context.BeanProvider<SecretBox> secrets) {
        this.jobs = jobs;
        this.sqs = sqs;
        this.sns = sns;
        this.json = json;
        this.config = config;
        this.secrets = secrets;
    }

    @PostConstruct
    void register() {
        // A no-op where the JVM offers no checkpoint (everywhere but SnapStart and CRaC JDKs).
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        primeOnce();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to undo: priming opened no connection that outlives its call and read no secret.
    }

    /** The calls, each allowed to fail; returns what failed (for the log and the tests). */
    public List<String> primeOnce() {
        List<String> failed = new ArrayList<>();
        attempt(failed, "dynamodb", () -> jobs.find(-1));
        attempt(failed, "sqs", () -> sqs.getQueueAttributes(r -> r.queueUrl(config.wakeQueueUrl())
                .attributeNamesWithStrings("ApproximateNumberOfMessages")));
        attempt(failed, "sns", () -> sns.getTopicAttributes(r -> r.topicArn(config.lifecycleTopicArn())));
        attempt(failed, "json", () -> LifecycleMessage.parse(json.writeValueAsString(Map.of("reason", "job_created", "job", 0))));
        if (sealingKeyRead()) {
            // The snapshot would now hold the key: say so loudly rather than ship it.
            throw new IllegalStateException("the sealing key was read before the SnapStart checkpoint");
        }
        LOG.info(() -> "SnapStart priming done" + (failed.isEmpty() ? "" : "; refused (classes loaded anyway): " + failed));
        return failed;
    }

    private boolean sealingKeyRead() {
        try {
            return secrets.get().keyLoaded();
        } catch (RuntimeException noKeyConfigured) {
            return false;
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void attempt(List<String> failed, String what, Call call) {
        try {
            call.run();
        } catch (Exception e) {
            failed.add(what + ": " + e.getClass().getSimpleName());
        }
    }
}
