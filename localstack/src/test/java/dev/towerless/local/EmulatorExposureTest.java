package dev.towerless.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local stack's listeners are reachable from this machine's loopback only, and the emulators
 * answer only the stack's own access key: a neighbour on the network, or a process on this
 * machine that found the ports, gets nothing.
 */
class EmulatorExposureTest {

    private static List<Integer> ports() {
        Emulators e = SharedEmulators.get();
        EmbeddedStack stack = LocalStackFixture.stack();
        return List.of(URI.create(e.dynamoDbEndpoint()).getPort(), URI.create(e.sqsEndpoint()).getPort(), stack.port());
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (!a.isLoopbackAddress() && !(a instanceof Inet6Address && a.isLinkLocalAddress())) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    @Test
    void noListenerOfTheStackAcceptsAConnectionOnANonLoopbackAddress() throws Exception {
        List<InetAddress> addresses = nonLoopbackAddresses();
        Assumptions.assumeFalse(addresses.isEmpty(), "this machine has no non-loopback address to connect to");
        for (int port : ports()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000); // it is there, on loopback
            }
            for (InetAddress a : addresses) {
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(a, port), 2000);
                    }
                }).as("port %d on %s", port, a.getHostAddress())
                        .isInstanceOfAny(ConnectException.class, SocketTimeoutException.class);
            }
        }
    }

    @Test
    void theEmulatorsRefuseRequestsWithoutTheStacksAccessKey() throws Exception {
        Emulators e = SharedEmulators.get();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(e.dynamoDbEndpoint()))
                .header("X-Amz-Target", "DynamoDB_20120810.ListTables").header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).contains("UnrecognizedClientException").doesNotContain("TableNames");

        StaticCredentialsProvider guessed = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        try (DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(guessed)
                .endpointOverride(URI.create(e.dynamoDbEndpoint())).build();
             SqsClient sqs = SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(guessed)
                     .endpointOverride(URI.create(e.sqsEndpoint())).build()) {
            assertThatThrownBy(dynamo::listTables).hasMessageContaining("security token included in the request is invalid");
            assertThatThrownBy(sqs::listQueues).hasMessageContaining("403");
        }
        StaticCredentialsProvider right = StaticCredentialsProvider.create(AwsBasicCredentials.create(Emulators.accessKeyId(), "x"));
        try (DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(right)
                .endpointOverride(URI.create(e.dynamoDbEndpoint())).build()) {
            assertThat(dynamo.listTables().tableNames()).isNotNull();
        }
    }
}
