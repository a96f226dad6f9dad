package dev.towerless.infra;

import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.definitions.Tables;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * Towerless on AWS: tables, queues and topics from the same definitions the local stack uses,
 * the runner's Fargate task, the functions with least-privilege roles, alarms and a dashboard.
 * {@code functionsJar} and {@code runnerDir} are the build's artifacts (see TowerlessApp).
 */
public class TowerlessStack extends Stack {
    final DataLayer data;
    final MessagingLayer messaging;
    final RunnerTasks runners;
    final FunctionsLayer functions;
    final Monitoring monitoring;
    final StdoutDownloadBucket stdoutDownloads;

    public TowerlessStack(Construct scope, String id, StackProps props, String prefix, String functionsJar, String runnerDir) {
        super(scope, id, props);
        data = new DataLayer(this, "Data", prefix);
        messaging = new MessagingLayer(this, "Messaging", prefix);
        // The key that seals credential secrets; only the control plane's functions can read it (never a runner).
        Secret sealingKey = Secret.Builder.create(this, "SealingKey").secretName(prefix + "sealing-key")
                .description("Towerless: key for credential secrets at rest")
                .generateSecretString(SecretStringGenerator.builder().passwordLength(64).excludePunctuation(true).build())
                .removalPolicy(RemovalPolicy.RETAIN).build();
        // The first admin's password: the API creates the admin with it on first use.
        Secret adminPassword = Secret.Builder.create(this, "AdminPassword").secretName(prefix + "admin-password")
                .description("Towerless: password of the admin user, created on the API's first request")
                .generateSecretString(SecretStringGenerator.builder().passwordLength(32).excludePunctuation(true).build())
                .removalPolicy(RemovalPolicy.RETAIN).build();
        // arm64 by default (Graviton: about 20 % cheaper per vCPU-second for Lambda and Fargate); -c architecture=x86_64
        // for an account or Region where it is not wanted.
        boolean x86 = "x86_64".equals(String.valueOf(getNode().tryGetContext("architecture")));
        Nag.explain(sealingKey, "AwsSolutions-SMG4", "Rotating the sealing key means re-sealing every stored credential "
                + "under the new key, which Secrets Manager's rotation cannot do; docs/security.md describes the manual rotation.");
        Nag.explain(adminPassword, "AwsSolutions-SMG4", "Read once, when the API creates the first admin; the admin then "
                + "changes it through the API, which Secrets Manager would not know about.");
        runners = new RunnerTasks(this, "Runners", prefix, data, messaging, runnerDir, x86);
        functions = new FunctionsLayer(this, "Functions", prefix, functionsJar, data, messaging, runners, sealingKey, adminPassword,
                x86 ? software.amazon.awscdk.services.lambda.Architecture.X86_64 : software.amazon.awscdk.services.lambda.Architecture.ARM_64);
        monitoring = new Monitoring(this, "Monitoring", prefix, functions, messaging);
        stdoutDownloads = new StdoutDownloadBucket(this, "StdoutDownloads", functions.api);

        output("ApiUrl", functions.restApi.getUrl() + "api/v2/", "Set TOWERLESS_URL to this for ./towerless status|running|cancel");
        output("JobsTable", data.table(Tables.JOBS).getTableName(), "jobs table");
        output("WakeQueueUrl", messaging.queue(Messaging.WAKE).getQueueUrl(), "the task manager's wake queue");
        output("NotificationsQueueUrl", messaging.queue(Messaging.NOTIFICATIONS).getQueueUrl(),
                "job lifecycle events waiting to be notified");
        output("LifecycleTopicArn", messaging.topic(Messaging.LIFECYCLE).getTopicArn(), "job lifecycle topic");
        output("RunnerCluster", runners.cluster.getClusterName(), "ECS cluster of the runners");
        output("AlarmTopicArn", monitoring.alarms.getTopicArn(), "subscribe operators here");
        output("AdminPasswordSecret", adminPassword.getSecretName(),
                "aws secretsmanager get-secret-value --secret-id <this> gives the admin's password");
    }

    private void output(String name, String value, String description) {
        CfnOutput.Builder.create(this, name).value(value).description(description).build();
    }
}
