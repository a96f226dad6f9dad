package dev.towerless.runner;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Real git, as AWX's project updates use it. Never prompts (a missing credential fails at once
 * instead of hanging), and credentials go into the URL or an ssh key file, never into output.
 */
final class Git {
    private final Map<String, String> env = new HashMap<>();
    private final String username;
    private final String password;

    Git(Map<String, String> scmCredential, Path privateDir) throws IOException {
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_ASKPASS", "/bin/false");
        String ssh = "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new";
        String key = scmCredential.get("ssh_key_data");
        if (key != null && !key.isBlank()) {
            Path keyFile = PrivateFiles.write(privateDir.resolve("scm_key"), key.endsWith("\n") ? key : key + "\n");
            ssh += " -i " + keyFile + " -o IdentitiesOnly=yes";
        }
        env.put("GIT_SSH_COMMAND", ssh);
        this.username = scmCredential.get("username");
        this.password = scmCredential.get("password");
    }

    /** The URL with the credential's username and password for http(s) remotes. */
    String authenticatedUrl(String url) {
        if (username == null || username.isBlank() || !(url.startsWith("http://") || url.startsWith("https://"))) {
            return url;
        }
        URI u = URI.create(url);
        String userinfo = enc(username) + (password == null || password.isEmpty() ? "" : ":" + enc(password));
        return u.getScheme() + "://" + userinfo + "@" + u.getRawAuthority().replaceFirst("^[^@]*@", "") + u.getRawPath()
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    ProcessRunner.Result clone(String url, String branch, Path into, Duration timeout, Consumer<String> output,
                               ProcessControl control) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "clone"));
        if (branch != null && !branch.isBlank()) {
            cmd.addAll(List.of("--branch", branch));
        }
        cmd.addAll(List.of("--", authenticatedUrl(url), into.toString()));
        return ProcessRunner.run(cmd, into.getParent(), env, timeout, output, true, control);
    }

    ProcessRunner.Result checkout(Path repo, String revision) throws IOException, InterruptedException {
        return ProcessRunner.run(List.of("git", "checkout", "--quiet", "--detach", revision), repo, env,
                Duration.ofMinutes(5), line -> { });
    }

    String head(Path repo) throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder();
        ProcessRunner.Result r = ProcessRunner.run(List.of("git", "rev-parse", "HEAD"), repo, env, Duration.ofMinutes(1),
                out::append);
        if (r.exitCode() != 0) {
            throw new IOException("git rev-parse HEAD failed: " + String.join(" ", r.stderrTail()));
        }
        return out.toString().trim();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
