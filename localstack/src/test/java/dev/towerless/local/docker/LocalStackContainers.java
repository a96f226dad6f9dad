package dev.towerless.local.docker;

import dev.towerless.local.AwsBackends;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** The LocalStack image docker-compose.yml pins, as a Testcontainers backend. */
final class LocalStackContainers {
    static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.14.0");

    private LocalStackContainers() {
    }

    static LocalStackContainer create() {
        return new LocalStackContainer(IMAGE).withServices("dynamodb", "sqs", "sns");
    }

    /** Endpoints of a running container; closing them leaves the container to Testcontainers. */
    static AwsBackends backends(LocalStackContainer c) {
        String endpoint = c.getEndpoint().toString();
        return new AwsBackends() {
            @Override
            public String dynamoDbEndpoint() {
                return endpoint;
            }

            @Override
            public String sqsEndpoint() {
                return endpoint;
            }

            @Override
            public String snsEndpoint() {
                return endpoint;
            }

            @Override
            public void close() {
            }
        };
    }
}
