package dev.towerless.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Why dynalite died under a burst of jobs: a client that gave up mid-request (an SDK timeout on a
 * busy machine) made dynalite rethrow the request's ECONNRESET "aborted" error and exit, and
 * every later call got "Connection refused". The emulator now logs such a request and goes on.
 */
class EmulatorSurvivesAbortedRequestTest {

    @Test
    void aClientThatHangsUpMidRequestDoesNotKillDynalite() throws Exception {
        Emulators.useEmulatorCredentials();
        var logs = Files.createTempDirectory("towerless-abort");
        try (Emulators e = Emulators.start(logs, Optional.empty())) {
            java.util.List<EmulatorProcess.Death> deaths = new java.util.concurrent.CopyOnWriteArrayList<>();
            e.onDeath(deaths::add);
            int port = java.net.URI.create(e.dynamoDbEndpoint()).getPort();
            for (int i = 0; i < 3; i++) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    OutputStream out = s.getOutputStream();
                    out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
                            + "X-Amz-Target: DynamoDB_20120810.ListTables\r\n"
                            + "Authorization: AWS4-HMAC-SHA256 Credential=" + Emulators.accessKeyId()
                            + "/20261201/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0\r\n"
                            + "Content-Length: 1000\r\n\r\n{\"Limit\":").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(200);
                    s.setSoLinger(true, 0); // a reset, as a client that times out and drops its connection
                }
            }
            Thread.sleep(1000);
            assertThat(deaths).as("dynalite exited").isEmpty();
            try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(java.net.URI.create(e.dynamoDbEndpoint()))
                    .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(Emulators.accessKeyId(), "local"))).build()) {
                assertThat(dynamo.listTables().tableNames()).isNotNull();
            }
            assertThat(Files.readString(logs.resolve("dynalite.log"))).contains("aborted its request");
        }
    }
}
