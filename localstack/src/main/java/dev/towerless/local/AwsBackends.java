package dev.towerless.local;

/**
 * Where the AWS-protocol services of a local run live: the embedded emulators, or a LocalStack
 * container where Docker exists. The stack and the tests only see endpoints.
 */
public interface AwsBackends extends AutoCloseable {
    String dynamoDbEndpoint();

    String sqsEndpoint();

    String snsEndpoint();

    @Override
    void close();
}
