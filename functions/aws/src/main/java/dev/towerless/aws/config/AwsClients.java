package dev.towerless.aws.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SDK clients built from the config. The URL-connection HTTP client starts faster than Apache's,
 * which matters for Lambda cold starts and for every runner's JVM.
 */
public final class AwsClients {
    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(TowerlessConfig config) {
        // Every store call is timed for the profiling switch (PROFILE_STORE_CALLS).
        return configure(DynamoDbClient.builder(), config, config.dynamodbEndpoint(),
                new dev.towerless.aws.profiling.DynamoCallTimer()).build();
    }

    public static SqsClient sqs(TowerlessConfig config) {
        return configure(SqsClient.builder(), config, config.sqsEndpoint()).build();
    }

    public static SnsClient sns(TowerlessConfig config) {
        return configure(SnsClient.builder(), config, config.snsEndpoint()).build();
    }

    /** S3 (the analytics bucket); path-style addressing where an endpoint is given (an emulator on 127.0.0.1). */
    public static software.amazon.awssdk.services.s3.S3Client s3(TowerlessConfig config, Optional<URI> endpoint) {
        return configure(software.amazon.awssdk.services.s3.S3Client.builder().forcePathStyle(endpoint.isPresent()), config, endpoint)
                .build();
    }

    public static EcsClient ecs(TowerlessConfig config) {
        return configure(EcsClient.builder(), config, config.ecsEndpoint()).build();
    }

    /** An ECS client whose every attempt also passes through {@code interceptors}, in order (the RunTask pacer). */
    public static EcsClient ecs(TowerlessConfig config, ExecutionInterceptor... interceptors) {
        return configure(EcsClient.builder(), config, config.ecsEndpoint(), interceptors).build();
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, TowerlessConfig config, Optional<URI> endpoint,
                                                                 ExecutionInterceptor... interceptors) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(30));
        for (ExecutionInterceptor i : interceptors) {
            override.addExecutionInterceptor(i);
        }
        builder.region(Region.of(config.region())).credentialsProvider(credentials(config))
                .overrideConfiguration(override.build());
        endpoint.ifPresent(builder::endpointOverride);
        if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)));
        }
        return builder;
    }

    /** A secret's value from Secrets Manager (the sealing key on AWS). */
    public static String secretValue(String region, String secretArn) {
        try (software.amazon.awssdk.services.secretsmanager.SecretsManagerClient sm =
                     software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder()
                             .region(Region.of(region)).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            return sm.getSecretValue(r -> r.secretId(secretArn)).secretString();
        }
    }

    /** Set by the embedded local stack: its emulators' key, held in memory rather than in a system property. */
    private static volatile AwsCredentialsProvider fixed;

    /**
     * Every client this JVM builds from now on signs with this key (the local stack's emulators
     * check it). Not a system property: those end up in test reports and diagnostic dumps.
     */
    public static void useCredentials(String accessKeyId, String secretAccessKey) {
        fixed = software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    /** The default chain: the task or function role on AWS, environment or system properties locally. */
    private static AwsCredentialsProvider credentials(TowerlessConfig config) {
        AwsCredentialsProvider f = fixed;
        return f != null ? f : DefaultCredentialsProvider.builder().build();
    }
}
