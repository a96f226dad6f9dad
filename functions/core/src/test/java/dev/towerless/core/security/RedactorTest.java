package dev.towerless.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void replacesEverySecretValueWithEncrypted() {
        Redactor r = new Redactor(List.of("hunter22", "hunter22-longer"));
        assertThat(r.redact("pw=hunter22-longer and hunter22")).isEqualTo("pw=$encrypted$ and $encrypted$");
    }

    @Test
    void hidesCredentialsInUrlsLikeAwxsUriCleaner() {
        assertThat(Redactor.redactUrlCredentials("fatal: could not read https://bob:s3cret@git.example.com/x.git"))
                .isEqualTo("fatal: could not read https://$encrypted$:$encrypted$@git.example.com/x.git");
        assertThat(Redactor.redactUrlCredentials("https://ghp_token@github.com/o/r")).isEqualTo("https://$encrypted$@github.com/o/r");
        assertThat(Redactor.redactUrlCredentials("file:///srv/repo.git and git@github.com:o/r.git"))
                .isEqualTo("file:///srv/repo.git and git@github.com:o/r.git");
    }

    @Test
    void ignoresValuesTooShortToBeMeaningful() {
        assertThat(new Redactor(List.of("a", "")).redact("a banana")).isEqualTo("a banana");
    }

    @Test
    void sealedSecretsRoundTripAndNeedTheRightKey() {
        SecretBox box = SecretBox.fromBase64(SecretBox.newBase64Key());
        String sealed = box.seal("p@ss");
        assertThat(sealed).startsWith("$encrypted$").doesNotContain("p@ss");
        assertThat(SecretBox.isSealed(sealed)).isTrue();
        assertThat(box.open(sealed)).isEqualTo("p@ss");
        SecretBox other = SecretBox.fromBase64(SecretBox.newBase64Key());
        assertThatThrownBy(() -> other.open(sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void passwordsVerifyOnlyWithTheRightPassword() {
        String hash = Passwords.hash("correct horse");
        assertThat(Passwords.matches("correct horse", hash)).isTrue();
        assertThat(Passwords.matches("wrong horse", hash)).isFalse();
        assertThat(hash).doesNotContain("correct horse");
    }
}
