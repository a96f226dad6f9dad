package dev.towerless.local.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSSH server on 127.0.0.1 for Machine-credential tests: its own host key, config and
 * free port, and a test user with a password, two authorized keys (one protected by a
 * passphrase) and sudo that asks for the password. Needs root (sshd checks passwords against
 * /etc/shadow, and the user must be created); {@link #unavailable()} says why it cannot run.
 */
final class LocalSshd implements AutoCloseable {
    static final String PASSPHRASE = "the key's passphrase";

    /** The test user: named per run, so two runs on one machine (another worktree's) never share one. */
    final String user;
    private final Path sudoers;

    final int port;
    final String password;
    final String plainKey;
    final String encryptedKey;
    private final Path dir;
    private final Process sshd;

    private LocalSshd(String user, int port, String password, String plainKey, String encryptedKey, Path dir, Process sshd) {
        this.user = user;
        this.sudoers = sudoersFor(user);
        this.port = port;
        this.password = password;
        this.plainKey = plainKey;
        this.encryptedKey = encryptedKey;
        this.dir = dir;
        this.sshd = sshd;
    }

    /** Why this machine cannot run the server, or empty when it can. */
    static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("the local sshd needs root (password logins are checked against /etc/shadow, and its user is created)");
        }
        for (String tool : List.of("/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/bin/sshpass", "/usr/bin/sudo", "/usr/sbin/useradd")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return Optional.of(tool + " is missing (./towerless test installs openssh-server, sshpass and sudo)");
            }
        }
        return Optional.empty();
    }

    static LocalSshd start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("towerless-sshd-");
        SecureRandom random = new SecureRandom();
        String password = "pw-" + HexFormat.of().formatHex(random.generateSeed(8));
        String user = "tl-ssh-" + HexFormat.of().formatHex(random.generateSeed(3));
        Path sudoers = sudoersFor(user);
        check("useradd", "-m", "-s", "/bin/bash", user);
        Process chpasswd = new ProcessBuilder("chpasswd").start();
        chpasswd.getOutputStream().write((user + ":" + password + "\n").getBytes());
        chpasswd.getOutputStream().close();
        if (chpasswd.waitFor() != 0) {
            throw new IOException("chpasswd failed");
        }
        Files.writeString(sudoers, user + " ALL=(ALL) ALL\n");
        Files.setPosixFilePermissions(sudoers, java.nio.file.attribute.PosixFilePermissions.fromString("r--r-----"));

        check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
        check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "plain", "-f", dir.resolve("plain").toString());
        check("ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-C", "encrypted", "-f", dir.resolve("encrypted").toString());
        Path ssh = Path.of("/home", user, ".ssh");
        Files.createDirectories(ssh);
        Files.writeString(ssh.resolve("authorized_keys"), Files.readString(dir.resolve("plain.pub"))
                + Files.readString(dir.resolve("encrypted.pub")));
        check("chown", "-R", user + ":", ssh.toString());
        check("chmod", "700", ssh.toString());

        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd.pid"), "PasswordAuthentication yes", "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes", "UsePAM no", "StrictModes no", "AuthorizedKeysFile .ssh/authorized_keys",
                "AllowUsers " + user, "MaxStartups 50", "Subsystem sftp internal-sftp", ""));
        Files.createDirectories(Path.of("/run/sshd"));
        Process sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException notYet) {
                if (!sshd.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(50);
            }
        }
        return new LocalSshd(user, port, password, Files.readString(dir.resolve("plain")), Files.readString(dir.resolve("encrypted")),
                dir, sshd);
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    @Override
    public void close() throws Exception {
        sshd.destroy();
        sshd.waitFor(5, TimeUnit.SECONDS);
        run("userdel", "-f", "-r", user); // -f: even if a session of a run is still closing
        Files.deleteIfExists(sudoers);
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path sudoersFor(String user) {
        return Path.of("/etc/sudoers.d", user.replace('-', '_')); // sudo skips files whose names have a dot
    }

    private static void check(String... command) throws IOException, InterruptedException {
        if (run(command) != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
