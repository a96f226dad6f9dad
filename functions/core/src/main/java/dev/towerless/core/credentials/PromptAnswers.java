package dev.towerless.core.credentials;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run answers at ansible's (and ssh-add's) prompts, as AWX's {@code RunJob.build_passwords}
 * and {@code get_password_prompts} decide it: the passwords by AWX's names (a launch-time value
 * beats the credential's own; {@code ASK} and empty mean none), the flags that make ansible ask
 * for them, and ansible-runner's prompt → answer table. Every known prompt is in the table, with
 * an empty answer when there is no password: an unanswerable prompt (a passphrase-protected key
 * with no passphrase) then ends at once instead of waiting forever.
 */
public final class PromptAnswers {
    /** AWX's PRIVILEGE_ESCALATION_METHODS: each method's prompt is a become password prompt. */
    private static final List<String> BECOME_METHODS = List.of("sudo", "su", "pbrun", "pfexec", "dzdo", "pmrun", "runas",
            "enable", "doas", "ksu", "machinectl", "sesu");

    private PromptAnswers() {
    }

    /**
     * The passwords of a run by AWX's names. {@code vaults} are the Vault credentials' inputs
     * (ad hoc commands have none).
     *
     * @throws IllegalArgumentException when two Vault credentials share a vault id (AWX's error)
     */
    public static Map<String, String> passwords(Map<String, String> machine, List<Map<String, String>> vaults,
                                                Map<String, String> runtime) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String field : List.of("ssh_key_unlock", "ssh_password", "become_password")) {
            String value = runtime.getOrDefault(field, machine.getOrDefault(field.equals("ssh_password") ? "password" : field, ""));
            if (present(value)) {
                out.put(field, value);
            }
        }
        for (Map<String, String> vault : vaults) {
            String id = vault.getOrDefault("vault_id", "");
            String field = id.isEmpty() ? "vault_password" : "vault_password." + id;
            if (!id.isEmpty() && out.containsKey(field)) {
                throw new IllegalArgumentException("multiple vault credentials were specified with --vault-id " + id + "@prompt");
            }
            String value = runtime.getOrDefault(field, vault.getOrDefault("vault_password", ""));
            if (present(value)) {
                out.put(field, value);
            }
        }
        return out;
    }

    /** The flags that make ansible prompt for the passwords there are. */
    public static List<String> args(Map<String, String> passwords) {
        List<String> args = new ArrayList<>();
        if (passwords.containsKey("ssh_password")) {
            args.add("--ask-pass");
        }
        if (passwords.containsKey("become_password")) {
            args.add("--ask-become-pass");
        }
        for (String name : passwords.keySet()) {
            if (name.equals("vault_password")) {
                args.add("--ask-vault-pass");
            } else if (name.startsWith("vault_password.")) {
                args.addAll(List.of("--vault-id", name.substring("vault_password.".length()) + "@prompt"));
            }
        }
        return args;
    }

    /**
     * ansible-runner's {@code passwords}: each prompt pattern with its answer (empty when there is
     * no password for it). {@code withVault} is false for ad hoc commands, as in AWX.
     */
    public static Map<String, String> expect(Map<String, String> passwords, boolean withVault) {
        Map<String, String> prompts = new LinkedHashMap<>();
        prompts.put("Enter passphrase for .*:\\s*?$", "ssh_key_unlock");
        prompts.put("Bad passphrase, try again for .*:\\s*?$", "");
        for (String method : BECOME_METHODS) {
            prompts.put(method + " password.*:\\s*?$", "become_password");
            prompts.put(method.toUpperCase(java.util.Locale.ROOT) + " password.*:\\s*?$", "become_password");
        }
        prompts.put("BECOME password.*:\\s*?$", "become_password");
        prompts.put("SSH password:\\s*?$", "ssh_password");
        prompts.put("Password:\\s*?$", "ssh_password");
        if (withVault) {
            prompts.put("Vault password:\\s*?$", "vault_password");
            for (String name : passwords.keySet()) {
                if (name.startsWith("vault_password.")) {
                    String id = name.substring("vault_password.".length());
                    prompts.put("Vault password \\(" + pythonRegexLiteral(id) + "\\):\\s*?$", name);
                }
            }
        }
        Map<String, String> answers = new LinkedHashMap<>();
        prompts.forEach((pattern, name) -> answers.put(pattern, name.isEmpty() ? "" : passwords.getOrDefault(name, "")));
        return answers;
    }

    /** The patterns are Python regular expressions (pexpect): escape as Python's {@code re.escape} does. */
    private static String pythonRegexLiteral(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (!Character.isLetterOrDigit(c) && c != '_') {
                out.append('\\');
            }
            out.appendCodePoint(c);
        });
        return out.toString();
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty() && !CredentialPasswords.ASK.equals(value);
    }
}
