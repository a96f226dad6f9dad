package dev.towerless.infra;

import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.settings.SystemSettings;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcLookupOptions;
import software.amazon.awscdk.services.ecr.assets.Platform;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Where runners run: an ECS cluster, the Fargate task definition of the runner image (built from
 * runner-container/Dockerfile), its log group, and a task role that can touch only what a run
 * needs (no sealing key, no read of credentials, users or tokens: docs/security.md). System jobs
 * run from a second task definition of the same image whose role may clean up jobs and tokens. Runners need outbound access (git, managed hosts) and accept no inbound connections.
 * By default a VPC with public subnets and no NAT gateway (runners get a public IP; nothing can
 * reach them); {@code -c privateSubnets=true} builds private subnets behind a NAT gateway instead,
 * and {@code -c vpcId=...} uses an existing VPC's private subnets.
 */
public final class RunnerTasks extends Construct {
    public static final String CONTAINER = "runner";
    /**
     * Resource types a playbook run reads: what it runs (project, inventory with hosts and groups), the
     * settings, and inventory sources (an import leaves hosts from a controller source out of max_hosts).
     */
    static final List<String> RUN_READS = List.of(ResourceTypes.PROJECT, ResourceTypes.INVENTORY, ResourceTypes.HOST,
            ResourceTypes.GROUP, SystemSettings.TYPE, ResourceTypes.INVENTORY_SOURCE);
    /** Resource types a run writes: a project's revision, an inventory update's hosts, groups and variables. */
    static final List<String> RUN_WRITES = List.of(ResourceTypes.PROJECT, ResourceTypes.INVENTORY, ResourceTypes.HOST,
            ResourceTypes.GROUP);
    /** The by_parent index's keys a run queries ("host|inventory#5": an inventory's hosts and groups). */
    static final List<String> RUN_PARENT_KEYS = List.of(ResourceTypes.HOST + "|*", ResourceTypes.GROUP + "|*");

    final Cluster cluster;
    final FargateTaskDefinition taskDefinition;
    /** System jobs (cleanups, gather_analytics, administrative_checks) run no user code, with a role of their own. */
    final FargateTaskDefinition systemJobTaskDefinition;
    /** Where gather_analytics leaves its bundles. */
    final Bucket analyticsBucket;
    final SecurityGroup securityGroup;
    final List<String> subnetIds;
    final boolean publicIp;

    public RunnerTasks(Construct scope, String id, String prefix, DataLayer data, MessagingLayer messaging, String runnerDir,
                       boolean x86) {
        super(scope, id);
        String vpcId = (String) getNode().tryGetContext("vpcId");
        IVpc vpc;
        SubnetSelection subnets;
        if (vpcId != null) {
            vpc = Vpc.fromLookup(this, "Vpc", VpcLookupOptions.builder().vpcId(vpcId).build());
            subnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
            publicIp = false;
        } else if ("true".equals(String.valueOf(getNode().tryGetContext("privateSubnets")))) {
            // Runners in private subnets, reaching git and managed hosts through one NAT gateway (≈ $33 a month).
            vpc = Vpc.Builder.create(this, "Vpc").maxAzs(2).natGateways(1)
                    .subnetConfiguration(List.of(
                            SubnetConfiguration.builder().name("egress").subnetType(SubnetType.PUBLIC).build(),
                            SubnetConfiguration.builder().name("runners").subnetType(SubnetType.PRIVATE_WITH_EGRESS).build()))
                    .build();
            subnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
            publicIp = false;
            // Free gateway endpoints keep the image's layers (ECR serves them from S3) and every DynamoDB call off the
            // NAT gateway, which charges per GB processed (docs/cost.md).
            vpc.addGatewayEndpoint("S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build());
            vpc.addGatewayEndpoint("DynamoDb", GatewayVpcEndpointOptions.builder()
                    .service(GatewayVpcEndpointAwsService.DYNAMODB).build());
        } else {
            vpc = Vpc.Builder.create(this, "Vpc").maxAzs(2).natGateways(0)
                    .subnetConfiguration(List.of(SubnetConfiguration.builder().name("runners").subnetType(SubnetType.PUBLIC).build()))
                    .build();
            subnets = SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build();
            publicIp = true;
        }
        subnetIds = vpc.selectSubnets(subnets).getSubnetIds();
        Nag.explain(vpc, "AwsSolutions-VPC7", "Runners accept no inbound connection (their security group has no ingress "
                + "rule) and log every job's output; flow logs would cost per GB of every checkout and image pull. "
                + "An operator who needs them can enable them on the VPC.");
        securityGroup = SecurityGroup.Builder.create(this, "RunnerSecurityGroup").vpc(vpc)
                .description("Towerless runners: outbound only").allowAllOutbound(true).build();
        cluster = Cluster.Builder.create(this, "Cluster").vpc(vpc).clusterName(prefix + "runners").containerInsights(true).build();

        LogGroup logs = LogGroup.Builder.create(this, "RunnerLogs").logGroupName("/towerless/" + prefix + "runners")
                .retention(RetentionDays.ONE_MONTH).removalPolicy(RemovalPolicy.DESTROY).build();
        // The image is built for the tasks' architecture (debian:12-slim and its packages exist for both).
        ContainerImage image = ContainerImage.fromAsset(runnerDir, AssetImageProps.builder()
                .platform(x86 ? Platform.LINUX_AMD64 : Platform.LINUX_ARM64).build());
        RuntimePlatform platform = RuntimePlatform.builder().operatingSystemFamily(OperatingSystemFamily.LINUX)
                .cpuArchitecture(x86 ? CpuArchitecture.X86_64 : CpuArchitecture.ARM64).build();
        // No secret reaches a runner's definition: it never holds the sealing key. Each job's own secrets come
        // sealed on the job item, and the key that opens them only in that task's RunTask overrides.
        Map<String, String> environment = Map.of(
                TowerlessConfig.PREFIX, prefix,
                TowerlessConfig.LIFECYCLE_TOPIC_ARN, messaging.topic(Messaging.LIFECYCLE).getTopicArn(),
                "AWS_REGION", Stack.of(this).getRegion());
        taskDefinition = FargateTaskDefinition.Builder.create(this, "TaskDefinition").family(prefix + "runner")
                .cpu(1024).memoryLimitMiB(2048).runtimePlatform(platform).build();
        taskDefinition.addContainer(CONTAINER, ContainerDefinitionOptions.builder().image(image)
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix("job").build()))
                .environment(environment).build());
        systemJobTaskDefinition = FargateTaskDefinition.Builder.create(this, "SystemJobTaskDefinition")
                .family(prefix + "system-job").cpu(256).memoryLimitMiB(512).runtimePlatform(platform).build();
        analyticsBucket = analyticsBucket(prefix);
        Map<String, String> systemJobEnvironment = new java.util.LinkedHashMap<>(environment);
        systemJobEnvironment.put(dev.towerless.aws.s3.S3BundleStore.BUCKET_ENV, analyticsBucket.getBucketName());
        systemJobTaskDefinition.addContainer(CONTAINER, ContainerDefinitionOptions.builder().image(image)
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix("system-job").build()))
                .environment(systemJobEnvironment).build());

        for (FargateTaskDefinition td : List.of(taskDefinition, systemJobTaskDefinition)) {
            Nag.explain(td, "AwsSolutions-ECS2", "The environment holds names, not secrets (prefix, topic ARN, Region; "
                    + "TowerlessStackTest checks no variable names a secret); each job's key arrives in RunTask's overrides.");
            Nag.explain(td, "AwsSolutions-IAM5[Resource::*]", "ecr:GetAuthorizationToken, which the execution role needs "
                    + "to pull the image, has no narrower resource.");
            explainSnsManagedKey(td);
        }
        runPlaneAccess(taskDefinition.getTaskRole(), data);
        housekeepingAccess(systemJobTaskDefinition.getTaskRole(), data);
        analyticsAccess(systemJobTaskDefinition.getTaskRole(), data, analyticsBucket);
        messaging.topic(Messaging.LIFECYCLE).grantPublish(taskDefinition.getTaskRole());
        messaging.topic(Messaging.LIFECYCLE).grantPublish(systemJobTaskDefinition.getTaskRole());
    }

    /**
     * What a run must do, and no more: claim and finish its job (GetItem, UpdateItem; no Query or
     * Scan of the jobs), heartbeat (UpdateItem of the heartbeats table, nothing else there), append its events (no reads), read what it runs and write what a
     * project or inventory update produces. On the resources table every statement carries
     * {@code dynamodb:LeadingKeys}: the partition key is the resource type, so credentials, users,
     * tokens and everything else stay out of reach. No Scan is granted (it has no leading key).
     */
    private static void runPlaneAccess(IRole role, DataLayer data) {
        String jobs = data.table(Tables.JOBS).getTableArn();
        String events = data.table(Tables.EVENTS).getTableArn();
        String resources = data.table(Tables.RESOURCES).getTableArn();
        role.addToPrincipalPolicy(statement(List.of("dynamodb:GetItem", "dynamodb:UpdateItem"), List.of(jobs), null));
        role.addToPrincipalPolicy(statement(List.of("dynamodb:UpdateItem"), List.of(data.table(Tables.HEARTBEATS).getTableArn()), null));
        role.addToPrincipalPolicy(statement(List.of("dynamodb:BatchWriteItem", "dynamodb:PutItem"), List.of(events), null));
        role.addToPrincipalPolicy(statement(List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"),
                List.of(resources, resources + "/index/by_name"), leadingKeys("ForAllValues:StringEquals", RUN_READS)));
        role.addToPrincipalPolicy(statement(List.of("dynamodb:Query"), List.of(resources + "/index/by_parent"),
                leadingKeys("ForAllValues:StringLike", RUN_PARENT_KEYS)));
        role.addToPrincipalPolicy(statement(List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
                List.of(resources), leadingKeys("ForAllValues:StringEquals", RUN_WRITES)));
        // New hosts and groups take ids from their sequences (the sequences table's key is the type).
        role.addToPrincipalPolicy(statement(List.of("dynamodb:UpdateItem"), List.of(data.table(Tables.SEQUENCES).getTableArn()),
                leadingKeys("ForAllValues:StringEquals", List.of(ResourceTypes.HOST, ResourceTypes.GROUP))));
    }

    /**
     * A system job (AWX's awx-manage cleanup_jobs / cleanup_tokens) runs no user code: it may list and
     * delete finished jobs and their events, and delete expired tokens, but still reads no credential
     * or user, and never holds the sealing key. Each delete moves a list counter (docs/list-reads.md),
     * and cleanup_jobs repairs the counters and the jobs' status index keys from one scan of the jobs
     * (and of the counters): so it may Scan the jobs and sequences tables (no secret in either) and
     * read and write the sequences table's counters ({@code count#…}) and the marker that every job is
     * listed in {@code job_filters} ({@code listed#…}), no other sequence.
     */
    private static void housekeepingAccess(IRole role, DataLayer data) {
        String jobs = data.table(Tables.JOBS).getTableArn();
        String events = data.table(Tables.EVENTS).getTableArn();
        String resources = data.table(Tables.RESOURCES).getTableArn();
        // by_type_keys holds keys only: the jobs of a kind are its keys, then a batch read of the items.
        role.addToPrincipalPolicy(statement(List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem",
                "dynamodb:DeleteItem", "dynamodb:Query"), List.of(jobs, jobs + "/index/by_type_keys"), null));
        String sequences = data.table(Tables.SEQUENCES).getTableArn();
        role.addToPrincipalPolicy(statement(List.of("dynamodb:Scan"), List.of(jobs, sequences), null));
        role.addToPrincipalPolicy(statement(List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
                List.of(sequences), leadingKeys("ForAllValues:StringLike", List.of("count#*", "listed#*"))));
        // A deleted job's job_filters entries go with it; the repair lists every job there again (one scan).
        role.addToPrincipalPolicy(statement(List.of("dynamodb:Scan", "dynamodb:BatchWriteItem"),
                List.of(data.table(Tables.JOB_FILTERS).getTableArn()), null));
        role.addToPrincipalPolicy(statement(List.of("dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:PutItem",
                "dynamodb:DeleteItem"), List.of(events), null));
        role.addToPrincipalPolicy(statement(List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:DeleteItem"), List.of(resources),
                leadingKeys("ForAllValues:StringEquals", List.of(ResourceTypes.TOKEN, SystemSettings.TYPE))));
    }

    /** Resource types gather_analytics and the administrative checks read: none holds a secret. */
    static final List<String> HOUSEKEEPING_READS = List.of(ResourceTypes.ORGANIZATION, ResourceTypes.INVENTORY, ResourceTypes.HOST,
            ResourceTypes.INVENTORY_SOURCE, ResourceTypes.PROJECT, ResourceTypes.INSTANCE_GROUP, SystemSettings.TYPE);

    /**
     * Analytics bundles: encrypted (S3-managed keys, as the tables use AWS-managed ones), TLS only, never
     * public, kept a year like any data the stack keeps (RETAIN on stack deletion).
     */
    private Bucket analyticsBucket(String prefix) {
        Bucket bucket = Bucket.Builder.create(this, "AnalyticsBucket")
                .encryption(BucketEncryption.S3_MANAGED).enforceSsl(true).blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder().id("expire-bundles").expiration(software.amazon.awscdk.Duration.days(365))
                        .abortIncompleteMultipartUploadAfter(software.amazon.awscdk.Duration.days(1)).build()))
                .removalPolicy(RemovalPolicy.RETAIN).build();
        Nag.explain(bucket, "AwsSolutions-S1", "Only the system-job task role writes here, once a night; CloudTrail records "
                + "its PutObject calls, and a second bucket of access logs would cost more than it tells.");
        return bucket;
    }

    /**
     * What gather_analytics and the administrative checks need beyond the cleanups: read the objects
     * they report on (no credential, user, token or team), count any type without reading it (a
     * Query whose {@code dynamodb:Select} is COUNT returns no attribute), and put bundles under
     * {@code analytics/} of the bucket: no read, list or delete there.
     */
    private static void analyticsAccess(IRole role, DataLayer data, Bucket bucket) {
        String resources = data.table(Tables.RESOURCES).getTableArn();
        role.addToPrincipalPolicy(statement(List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"), List.of(resources),
                leadingKeys("ForAllValues:StringEquals", HOUSEKEEPING_READS)));
        role.addToPrincipalPolicy(statement(List.of("dynamodb:Query"), List.of(resources + "/index/by_parent"),
                leadingKeys("ForAllValues:StringLike", List.of(ResourceTypes.HOST + "|*", ResourceTypes.INVENTORY_SOURCE + "|*"))));
        role.addToPrincipalPolicy(statement(List.of("dynamodb:Query"), List.of(resources),
                Map.of("StringEquals", Map.of("dynamodb:Select", "COUNT"))));
        role.addToPrincipalPolicy(statement(List.of("s3:PutObject"), List.of(bucket.arnForObjects(
                dev.towerless.aws.s3.S3BundleStore.PREFIX + "*")), null));
        // The finding names the bucket by its logical id (from the construct path Runners/AnalyticsBucket).
        Nag.explain(role, "AwsSolutions-IAM5[Resource::<RunnersAnalyticsBucket0EBBF611.Arn>/analytics/*]", "Each bundle's key"
                + " carries the time of its gather, so the objects cannot be named in advance; PutObject under analytics/ only.");
    }

    /**
     * Publishing to a topic under SNS's AWS-managed key: CDK grants kms:GenerateDataKey* and
     * kms:Decrypt on key/* with a kms:ResourceAliases = alias/aws/sns condition, since an alias
     * has no key ARN to name. The condition limits it to that key, which opens only SNS messages.
     */
    static void explainSnsManagedKey(software.constructs.IConstruct scope) {
        String reason = "key/* under the condition kms:ResourceAliases = alias/aws/sns: SNS's AWS-managed key, "
                + "which has no ARN to name; it opens SNS messages, no secret.";
        Nag.explain(scope, "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]", reason);
        Nag.explain(scope, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]", reason);
    }

    private static PolicyStatement statement(List<String> actions, List<String> resources, Map<String, Object> conditions) {
        PolicyStatement.Builder b = PolicyStatement.Builder.create().actions(actions).resources(resources);
        if (conditions != null) {
            b.conditions(conditions);
        }
        return b.build();
    }

    /** ForAllValues passes a request with no leading key at all, so its presence is required too. */
    private static Map<String, Object> leadingKeys(String operator, List<String> values) {
        return Map.of(operator, Map.of("dynamodb:LeadingKeys", values), "Null", Map.of("dynamodb:LeadingKeys", "false"));
    }
}
