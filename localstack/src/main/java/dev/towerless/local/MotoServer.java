package dev.towerless.local;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * moto_server (the AWS protocol emulator on this machine image, TOOLCHAIN.md) on 127.0.0.1 for
 * one test class or benchmark; absent where moto is not installed, so the test can skip saying why.
 */
public final class MotoServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Optional<MotoServer> start() throws IOException, InterruptedException {
        Optional<Path> binary = which("moto_server");
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(binary.get().toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        MotoServer moto = new MotoServer(p, port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(moto.endpoint() + "/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() > 0) {
                    return Optional.of(moto);
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
            if (!p.isAlive()) {
                throw new IOException("moto_server exited with " + p.exitValue());
            }
        }
        moto.close();
        throw new IOException("moto_server did not answer within 60 s");
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** An S3 client of this server: path-style (moto serves no bucket host names), moto's test credentials. */
    public software.amazon.awssdk.services.s3.S3Client s3() {
        return software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(URI.create(endpoint())).forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("testing", "testing"))).build();
    }

    private static Optional<Path> which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
