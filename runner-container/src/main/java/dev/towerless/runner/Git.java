package dev.towerless.runner;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Real git, as AWX's project updates use it. It never prompts (a missing credential fails at once
 * instead of hanging), and an http(s) credential reaches it only through {@code GIT_ASKPASS}: a
 * script in the private data dir that reads the username and password from 0600 files beside it,
 * all removed when the clone is done. So the password is never in an argument list (any local
 * user reads {@code /proc/*}{@code /cmdline}), in the remote URL or in the checkout's
 * {@code .git/config} (the playbook reads those). The environment is built from nothing: no
 * system or user git configuration, no credential helper that could keep the password.
 */
final class Git implements AutoCloseable {
    private final Map<String, String> env = new LinkedHashMap<>();
    private final String username;
    private final String password;
    private final Path privateDir;
    private final List<Path> credentialFiles = new ArrayList<>();
    private List<String> lastCommand = List.of();

    Git(Map<String, String> scmCredential, Path privateDir, Map<String, String> baseEnv) throws IOException {
        this.privateDir = privateDir;
        env.putAll(baseEnv);
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_ASKPASS", "/bin/false");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        String ssh = "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile="
                + privateDir.resolve("scm_known_hosts");
        String key = scmCredential.get("ssh_key_data");
        if (key != null && !key.isBlank()) {
            Path keyFile = PrivateFiles.write(privateDir.resolve("scm_key"), key.endsWith("\n") ? key : key + "\n");
            credentialFiles.add(keyFile);
            ssh += " -i " + keyFile + " -o IdentitiesOnly=yes";
        }
        env.put("GIT_SSH_COMMAND", ssh);
        this.username = scmCredential.get("username");
        this.password = scmCredential.get("password");
    }

    /** The URL git is given: never with a username or password in it. */
    static String withoutCredentials(String url) {
        if (!(url.startsWith("http://") || url.startsWith("https://"))) {
            return url;
        }
        URI u = URI.create(url);
        if (u.getRawUserInfo() == null) {
            return url;
        }
        return u.getScheme() + "://" + u.getRawAuthority().replaceFirst("^[^@]*@", "") + u.getRawPath()
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    /**
     * Hands the credential to git through GIT_ASKPASS. As in AWX, a username or password written
     * in the project's URL wins over the credential's.
     */
    private void answerPrompts(String url) throws IOException {
        if (!(url.startsWith("http://") || url.startsWith("https://"))) {
            return;
        }
        String user = username;
        String pass = password;
        String userInfo = URI.create(url).getRawUserInfo();
        if (userInfo != null) {
            String[] parts = userInfo.split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            if (parts.length > 1) {
                pass = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
            }
        }
        if ((user == null || user.isEmpty()) && (pass == null || pass.isEmpty())) {
            return;
        }
        Path userFile = PrivateFiles.write(privateDir.resolve(".scm-username"), user == null ? "" : user);
        Path passFile = PrivateFiles.write(privateDir.resolve(".scm-password"), pass == null ? "" : pass);
        Path script = privateDir.resolve(".scm-askpass");
        PrivateFiles.write(script, "#!/bin/sh\n# git asks \"Username for '...': \" and \"Password for '...': \"\n"
                + "case \"$1\" in\n  Username*) exec cat " + PlaybookRun.shellQuote(userFile.toString()) + " ;;\n"
                + "  *) exec cat " + PlaybookRun.shellQuote(passFile.toString()) + " ;;\nesac\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        credentialFiles.addAll(List.of(userFile, passFile, script));
        env.put("GIT_ASKPASS", script.toString());
    }

    /** The command of the last clone and the environment git runs with: the project update's job_args and job_env. */
    List<String> lastCommand() {
        return lastCommand;
    }

    Map<String, String> environment() {
        return Map.copyOf(env);
    }

    ProcessRunner.Result clone(String url, String branch, Path into, Duration timeout, Consumer<String> output,
                               ProcessControl control) throws IOException, InterruptedException {
        answerPrompts(url);
        List<String> cmd = new ArrayList<>(List.of("git", "clone"));
        if (branch != null && !branch.isBlank()) {
            cmd.addAll(List.of("--branch", branch));
        }
        cmd.addAll(List.of("--", withoutCredentials(url), into.toString()));
        lastCommand = List.copyOf(cmd);
        try {
            return ProcessRunner.run(cmd, into.getParent(), env, timeout, output, true, control);
        } finally {
            removeCredentialFiles();
        }
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

    private void removeCredentialFiles() {
        for (Path f : credentialFiles) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // the private data dir is removed with everything in it at the end of the run
            }
        }
        credentialFiles.clear();
        env.put("GIT_ASKPASS", "/bin/false");
    }

    @Override
    public void close() {
        removeCredentialFiles();
    }
}
