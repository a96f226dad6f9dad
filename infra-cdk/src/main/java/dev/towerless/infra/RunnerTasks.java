package dev.towerless.infra;

import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.definitions.Tables;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcLookupOptions;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Where runners run: an ECS cluster, the Fargate task definition of the runner image (built from
 * runner-container/Dockerfile), its log group, and a task role that can touch only what a run
 * needs. Runners need outbound access (git, managed hosts) and accept no inbound connections.
 * By default a VPC with public subnets and no NAT gateway (runners get a public IP; nothing can
 * reach them); {@code -c privateSubnets=true} builds private subnets behind a NAT gateway instead,
 * and {@code -c vpcId=...} uses an existing VPC's private subnets.
 */
public final class RunnerTasks extends Construct {
    public static final String CONTAINER = "runner";

    final Cluster cluster;
    final FargateTaskDefinition taskDefinition;
    final SecurityGroup securityGroup;
    final List<String> subnetIds;
    final boolean publicIp;

    public RunnerTasks(Construct scope, String id, String prefix, DataLayer data, MessagingLayer messaging,
                       software.amazon.awscdk.services.secretsmanager.ISecret sealingKey, String runnerDir) {
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
        } else {
            vpc = Vpc.Builder.create(this, "Vpc").maxAzs(2).natGateways(0)
                    .subnetConfiguration(List.of(SubnetConfiguration.builder().name("runners").subnetType(SubnetType.PUBLIC).build()))
                    .build();
            subnets = SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build();
            publicIp = true;
        }
        subnetIds = vpc.selectSubnets(subnets).getSubnetIds();
        securityGroup = SecurityGroup.Builder.create(this, "RunnerSecurityGroup").vpc(vpc)
                .description("Towerless runners: outbound only").allowAllOutbound(true).build();
        cluster = Cluster.Builder.create(this, "Cluster").vpc(vpc).clusterName(prefix + "runners").containerInsights(true).build();

        LogGroup logs = LogGroup.Builder.create(this, "RunnerLogs").logGroupName("/towerless/" + prefix + "runners")
                .retention(RetentionDays.ONE_MONTH).removalPolicy(RemovalPolicy.DESTROY).build();
        taskDefinition = FargateTaskDefinition.Builder.create(this, "TaskDefinition").family(prefix + "runner")
                .cpu(1024).memoryLimitMiB(2048).build();
        taskDefinition.addContainer(CONTAINER, ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromAsset(runnerDir))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix("job").build()))
                .environment(Map.of(
                        TowerlessConfig.PREFIX, prefix,
                        TowerlessConfig.LIFECYCLE_TOPIC_ARN, messaging.topic(Messaging.LIFECYCLE).getTopicArn(),
                        "AWS_REGION", Stack.of(this).getRegion()))
                .secrets(Map.of(TowerlessConfig.SECRET_KEY, Secret.fromSecretsManager(sealingKey)))
                .build());

        // A run claims and finishes its job, heartbeats, ships events, reads what it runs, updates a project's
        // revision or an inventory's hosts, deletes what cleanup_jobs removes, and says it finished.
        data.table(Tables.JOBS).grantReadWriteData(taskDefinition.getTaskRole());
        data.table(Tables.EVENTS).grantReadWriteData(taskDefinition.getTaskRole());
        data.table(Tables.RESOURCES).grantReadWriteData(taskDefinition.getTaskRole());
        data.table(Tables.SEQUENCES).grantReadWriteData(taskDefinition.getTaskRole());
        messaging.topic(Messaging.LIFECYCLE).grantPublish(taskDefinition.getTaskRole());
    }
}
