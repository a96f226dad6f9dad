package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.core.ports.EventStore;
import dev.towerless.local.GitHttpServer;
import dev.towerless.local.LocalStackFixture;
import dev.towerless.local.SampleRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A Source Control credential against a real git server that requires HTTP Basic auth: the
 * project update and a job's checkout both succeed, and the password is never in any process's
 * argument list while git runs, in the checkout's .git/config, or in anything the jobs stored.
 */
class ScmCredentialEndToEndTest {

    static Path playbooks() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path c : List.of(p.resolve("src/test/resources/playbooks"), p.resolve("localstack/src/test/resources/playbooks"))) {
                if (Files.isDirectory(c)) {
                    return c;
                }
            }
        }
        throw new IllegalStateException("localstack/src/test/resources/playbooks not found");
    }

    /** Reads every process's command line, over and over, while the clone runs. */
    static final class CommandLineWatch implements AutoCloseable {
        final Map<String, Boolean> seen = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        CommandLineWatch() {
            thread = new Thread(() -> {
                while (running.get()) {
                    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                        for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                            try {
                                seen.putIfAbsent(new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                                        .replace('\0', ' '), true);
                            } catch (java.io.IOException gone) {
                                // the process ended meanwhile
                            }
                        }
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "cmdline-watch");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anScmPasswordReachesGitOnlyThroughAskpassAndIsNeverInArgvTheCheckoutOrOutput() throws Exception {
        Scenario s = new Scenario();
        String password = "Scm-Pa55-" + Long.toString(System.nanoTime(), 36);
        Path root = Files.createTempDirectory("towerless-git-http-");
        SampleRepository.create(playbooks(), root.resolve("private.git"));
        try (GitHttpServer git = new GitHttpServer(root, "deploy", password, Duration.ofMillis(1500));
             CommandLineWatch watch = new CommandLineWatch()) {
            long credential = Scenario.id(s.api.create("credentials/", Map.of("name", "scm-" + s.tag, "credential_type", 2,
                    "organization", s.org, "inputs", Map.of("username", "deploy", "password", password))));
            long project = Scenario.id(s.api.create("projects/", Map.of("name", "private-" + s.tag, "organization", s.org,
                    "scm_type", "git", "scm_url", git.repo("private.git"), "credential", credential)));
            Map<String, Object> p = s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(2));
            assertThat(p).containsEntry("status", "successful");

            long job = s.launch(s.template(project, "scm_config.yml", Map.of()), Map.of());
            Map<String, Object> done = s.awaitFinished("jobs/" + job + "/", Duration.ofMinutes(2));
            assertThat(done).containsEntry("status", "successful");
            watch.close();

            // The server really demanded the password, and got it: git asked GIT_ASKPASS after a 401.
            assertThat(git.refused.get()).isGreaterThanOrEqualTo(2);
            assertThat(git.served.get()).isGreaterThanOrEqualTo(4);
            // The watch saw git at work (so it could have seen the password) and never the password.
            assertThat(watch.seen.keySet()).anyMatch(c -> c.contains("git") && c.contains("private.git"));
            assertThat(watch.seen.keySet()).noneMatch(c -> c.contains(password));

            String stdout = s.api.get("jobs/" + job + "/stdout/?format=txt").body();
            Matcher m = Pattern.compile("GITCONFIG ([A-Za-z0-9+/=]+)").matcher(stdout);
            assertThat(m.find()).as(stdout).isTrue();
            String gitConfig = new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
            assertThat(gitConfig).contains("url = " + git.repo("private.git")).doesNotContain(password).doesNotContain("deploy@");

            List<Object> everything = new ArrayList<>();
            Map<String, Object> update = (Map<String, Object>) ((Map<String, Object>) p.get("summary_fields")).get("last_update");
            long updateId = ((Number) update.get("id")).longValue();
            everything.add(s.api.get("project_updates/" + updateId + "/").body());
            everything.add(s.api.get("project_updates/" + updateId + "/stdout/?format=txt").body());
            everything.add(s.api.get("jobs/" + job + "/").body());
            everything.add(stdout);
            EventStore events = LocalStackFixture.stack().context().getBean(EventStore.class);
            everything.addAll(events.all(updateId));
            everything.addAll(events.all(job));
            assertThat(everything).allSatisfy(o -> assertThat(String.valueOf(o)).doesNotContain(password));
            Map<String, Object> u = s.api.get("project_updates/" + updateId + "/").json();
            assertThat((String) u.get("job_args")).startsWith("[\"git\",\"clone\"").contains(git.repo("private.git"));
            assertThat((Map<String, Object>) u.get("job_env")).containsEntry("GIT_TERMINAL_PROMPT", "0")
                    .doesNotContainKey("TOWERLESS_SECRET_KEY");
            try (Stream<Path> logs = Files.list(LocalStackFixture.stateDir().resolve("logs"))) {
                for (Path f : logs.toList()) {
                    assertThat(Files.readString(f)).as(f.toString()).doesNotContain(password);
                }
            }
        }
    }
}
