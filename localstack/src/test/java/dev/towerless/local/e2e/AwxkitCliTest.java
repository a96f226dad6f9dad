package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.towerless.local.LocalStackFixture;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * AWX's own CLI ({@code awx}, from awxkit) lists every resource type of {@code /api/v2/}. awxkit is
 * not packaged for this machine's registries, so the test runs only where Python can import it
 * (README, "Driving it with awxkit", says how to put AWX's 21.14.0 awxkit on the path).
 */
class AwxkitCliTest {

    private static List<String> awx(String... args) {
        String api = LocalStackFixture.stack().apiUrl();
        URI host = URI.create(api);
        List<String> cmd = new ArrayList<>(List.of("python3", "-c",
                "import sys; from awxkit.cli import run; sys.argv = ['awx'] + sys.argv[1:]; run()",
                "--conf.host", host.getScheme() + "://" + host.getAuthority(), "--conf.token", LocalStackFixture.stack().adminToken()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private record Result(int exit, String output) {
    }

    @Test
    void awxListsEveryResourceTypeOfTheApiRoot() throws Exception {
        Result probe = run(List.of("python3", "-c", "import awxkit.cli"));
        assumeTrue(probe.exit() == 0, "awxkit is not importable here: " + probe.output());
        Map<String, Object> root = LocalStackFixture.admin().get("").json();
        List<String> failed = new ArrayList<>();
        for (String resource : root.keySet()) {
            Result r = run(awx("-f", "json", resource, "list"));
            if (r.exit() != 0) {
                failed.add(resource + ": " + r.output().lines().reduce((a, b) -> b).orElse(""));
            }
        }
        assertThat(failed).as("awx <resource> list that failed").isEmpty();
        Result template = run(awx("-f", "json", "job_templates", "list", "--name", "Demo Job Template"));
        assertThat(template.output()).contains("\"Demo Job Template\"");
    }
}
