package dev.towerless.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.security.SecretBox;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * AWX's ASK passwords, key rules and prompt answers. The keys under {@code keys/} were made
 * with ssh-keygen for these tests only (passphrase "secret phrase").
 */
class CredentialPasswordsTest {
    private final SecretBox box = new SecretBox(new byte[32]);

    private static String key(String name) {
        try (InputStream in = CredentialPasswordsTest.class.getResourceAsStream("keys/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Resource credential(String kind, Map<String, Object> inputs) {
        return new Resource("credential", 1, Map.of("kind", kind, "inputs", inputs));
    }

    @Test
    void encryptionIsReadFromTheKeyAsAwxReadsIt() {
        assertThat(SshPrivateKeys.encrypted(key("ed25519"))).isFalse();
        assertThat(SshPrivateKeys.encrypted(key("rsa-pem"))).isFalse();
        assertThat(SshPrivateKeys.encrypted(key("ed25519-encrypted"))).isTrue();
        assertThat(SshPrivateKeys.encrypted(key("rsa-openssh-encrypted"))).isTrue();
        assertThat(SshPrivateKeys.encrypted(key("rsa-pem-encrypted"))).isTrue();
        assertThat(SshPrivateKeys.encrypted(key("rsa-pkcs8-encrypted"))).isTrue();
        assertThat(SshPrivateKeys.parse(key("rsa-pem"))).containsExactly(new SshPrivateKeys.PrivateKey("rsa", false));
        assertThat(SshPrivateKeys.parse("  \n" + key("ed25519") + key("rsa-pem"))).hasSize(2);
    }

    @Test
    void aBadKeyIsRefusedWithoutQuotingIt() {
        String secretish = "not-a-key-but-maybe-a-secret";
        assertThatThrownBy(() -> SshPrivateKeys.parse(secretish))
                .hasMessage("Invalid certificate or key.").hasMessageNotContaining(secretish);
        assertThatThrownBy(() -> SshPrivateKeys.parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .hasMessage("At least one private key is required.");
        assertThatThrownBy(() -> SshPrivateKeys.parse("-----BEGIN FOO PRIVATE KEY-----\nAAAA\n-----END FOO PRIVATE KEY-----\n"))
                .hasMessage("Invalid private key: unsupported type \"FOO\"");
        assertThatThrownBy(() -> SshPrivateKeys.parse("-----BEGIN RSA PRIVATE KEY-----\n!!!!\n-----END RSA PRIVATE KEY-----\n"))
                .hasMessage("Invalid base64-encoded data");
        assertThat(SshPrivateKeys.encrypted(secretish)).isFalse();
    }

    @Test
    void anEncryptedKeyNeedsItsPassphraseAndAPlainKeyTakesNone() {
        assertThat(CredentialPasswords.keyProblems(Map.of("ssh_key_data", key("ed25519-encrypted"))))
                .isEqualTo(Map.of("ssh_key_unlock", List.of("must be set when SSH key is encrypted.")));
        assertThat(CredentialPasswords.keyProblems(Map.of("ssh_key_data", key("rsa-pem-encrypted"), "ssh_key_unlock", "")))
                .isEqualTo(Map.of("ssh_key_unlock", List.of("must be set when SSH key is encrypted.")));
        assertThat(CredentialPasswords.keyProblems(Map.of("ssh_key_data", key("ed25519-encrypted"), "ssh_key_unlock", "x")))
                .isEmpty();
        assertThat(CredentialPasswords.keyProblems(Map.of("ssh_key_data", key("ed25519-encrypted"), "ssh_key_unlock", "ASK")))
                .isEmpty();
        assertThat(CredentialPasswords.keyProblems(Map.of("ssh_key_data", key("ed25519"), "ssh_key_unlock", "x")))
                .isEqualTo(Map.of("ssh_key_unlock", List.of("should not be set when SSH key is not encrypted.")));
        assertThat(CredentialPasswords.keyProblems(Map.of("ssh_key_data", "garbage", "ssh_key_unlock", "x")))
                .isEqualTo(Map.of("ssh_key_data", List.of("Invalid certificate or key.")));
        assertThat(CredentialPasswords.keyProblems(Map.of("ssh_key_data", key("ed25519")))).isEmpty();
        assertThat(CredentialPasswords.keyProblems(Map.of("password", "p"))).isEmpty();
    }

    @Test
    void askInputsBecomeAwxsPasswordsNeededToStart() {
        String sealedKey = box.seal(key("ed25519-encrypted"));
        Resource machine = credential("ssh", Map.of("username", "u", "password", "ASK", "become_password", "ASK",
                "ssh_key_data", sealedKey, "ssh_key_unlock", "ASK"));
        assertThat(CredentialPasswords.needed(machine, box::open))
                .containsExactly("ssh_password", "become_password", "ssh_key_unlock");
        // A passphrase is needed only for an encrypted key.
        assertThat(CredentialPasswords.needed(credential("ssh", Map.of("ssh_key_data", box.seal(key("ed25519")),
                "ssh_key_unlock", "ASK")), box::open)).isEmpty();
        assertThat(CredentialPasswords.needed(credential("ssh", Map.of("password", box.seal("typed"))), box::open)).isEmpty();
        Resource alpha = credential("vault", Map.of("vault_password", "ASK", "vault_id", "alpha"));
        Resource plain = credential("vault", Map.of("vault_password", "ASK"));
        assertThat(CredentialPasswords.neededToStart(List.of(machine, alpha, plain), box::open)).containsExactly(
                "ssh_password", "become_password", "ssh_key_unlock", "vault_password.alpha", "vault_password");
        assertThat(CredentialPasswords.askable(new Resource("credential_type", 1, Map.of("managed", true, "kind", "ssh")),
                "become_password")).isTrue();
        assertThat(CredentialPasswords.askable(new Resource("credential_type", 1, Map.of("managed", true, "kind", "ssh")),
                "ssh_key_data")).isFalse();
        assertThat(CredentialPasswords.askable(new Resource("credential_type", 9, Map.of("managed", false, "kind", "cloud")),
                "password")).isFalse();
    }

    @Test
    void givenPasswordsAreCheckedAndSealedAndNothingElseIsKept() {
        List<String> needed = List.of("ssh_password", "vault_password.alpha");
        assertThat(CredentialPasswords.missing(needed, Map.of("ssh_password", ""))).containsExactly("ssh_password",
                "vault_password.alpha");
        Map<String, Object> given = Map.of("ssh_password", "pw-1", "vault_password.alpha", "pw-2", "extra_vars", "x");
        assertThat(CredentialPasswords.missing(needed, given)).isEmpty();
        Map<String, Object> sealed = CredentialPasswords.seal(needed, given, box);
        assertThat(sealed).containsOnlyKeys("ssh_password", "vault_password.alpha");
        assertThat(sealed.values()).allSatisfy(v -> assertThat(SecretBox.isSealed(v)).isTrue())
                .noneMatch(v -> v.toString().contains("pw-"));
        assertThat(box.open((String) sealed.get("ssh_password"))).isEqualTo("pw-1");
        assertThat(CredentialPasswords.given(Map.of("credential_passwords", Map.of("a", "b"), "a", "c")))
                .isEqualTo(Map.of("a", "b"));
        assertThat(CredentialPasswords.given(Map.of("a", "c"))).isEqualTo(Map.of("a", "c"));
    }

    @Test
    void theRunAnswersEveryKnownPromptAndALaunchTimeValueBeatsTheCredentials() {
        Map<String, String> machine = Map.of("password", "ASK", "become_password", "from-cred", "ssh_key_unlock", "phrase");
        Map<String, String> passwords = PromptAnswers.passwords(machine,
                List.of(Map.of("vault_password", "v0"), Map.of("vault_password", "ASK", "vault_id", "beta")),
                Map.of("ssh_password", "typed", "vault_password.beta", "typed-beta"));
        assertThat(passwords).containsExactly(Map.entry("ssh_key_unlock", "phrase"), Map.entry("ssh_password", "typed"),
                Map.entry("become_password", "from-cred"), Map.entry("vault_password", "v0"),
                Map.entry("vault_password.beta", "typed-beta"));
        assertThat(PromptAnswers.args(passwords)).containsExactly("--ask-pass", "--ask-become-pass", "--ask-vault-pass",
                "--vault-id", "beta@prompt");
        Map<String, String> expect = PromptAnswers.expect(passwords, true);
        assertThat(answer(expect, "SSH password: ")).isEqualTo("typed");
        // ansible's real become prompt, which "^BECOME [pP]assword:" never matched.
        assertThat(answer(expect, "BECOME password[defaults to SSH password]: ")).isEqualTo("from-cred");
        assertThat(answer(expect, "Enter passphrase for /runner/artifacts/7/ssh_key_data: ")).isEqualTo("phrase");
        assertThat(answer(expect, "Bad passphrase, try again for /runner/artifacts/7/ssh_key_data: ")).isEmpty();
        assertThat(answer(expect, "Vault password: ")).isEqualTo("v0");
        assertThat(answer(expect, "Vault password (beta): ")).isEqualTo("typed-beta");
        assertThat(answer(expect, "[sudo via ansible, key=abc] sudo password: ")).isEqualTo("from-cred");
        // Without passwords the same prompts are answered empty, so ssh-add gives up instead of waiting.
        Map<String, String> none = PromptAnswers.expect(Map.of(), false);
        assertThat(answer(none, "Enter passphrase for /x/ssh_key_data: ")).isEmpty();
        assertThat(none.keySet()).noneMatch(p -> p.startsWith("Vault"));
        assertThat(PromptAnswers.args(PromptAnswers.passwords(Map.of("password", "ASK"), List.of(), Map.of()))).isEmpty();
    }

    @Test
    void twoVaultCredentialsWithOneIdAreRefusedAsAwxRefusesThem() {
        assertThatThrownBy(() -> PromptAnswers.passwords(Map.of(), List.of(Map.of("vault_password", "a", "vault_id", "x"),
                Map.of("vault_password", "b", "vault_id", "x")), Map.of()))
                .hasMessage("multiple vault credentials were specified with --vault-id x@prompt");
    }

    /** The answer ansible-runner would give to this prompt (patterns are tried in order, as a dict is). */
    private static String answer(Map<String, String> expect, String prompt) {
        Map<String, String> ordered = new LinkedHashMap<>(expect);
        for (Map.Entry<String, String> e : ordered.entrySet()) {
            if (Pattern.compile(e.getKey(), Pattern.DOTALL).matcher(prompt).find()) {
                return e.getValue();
            }
        }
        throw new AssertionError("no pattern answers " + prompt);
    }
}
