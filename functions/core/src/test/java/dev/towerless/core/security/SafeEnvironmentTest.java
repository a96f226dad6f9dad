package dev.towerless.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeEnvironmentTest {
    @Test
    void hidesWhatAwxHidesAndEveryValueOfTheJobsSecrets() {
        Map<String, String> safe = SafeEnvironment.of(Map.of(
                "API_TOKEN", "abc", "MY_PASSWORD", "x", "AWS_ACCESS_KEY_ID", "AKIA1", "AWS_SECRET_ACCESS_KEY", "s",
                "ANSIBLE_FORCE_COLOR", "True", "ANSIBLE_NET_PASSWORD", "n", "PROXY", "http://u:p@proxy:3128",
                "HOME", "/runner", "CONFIG", "token=hunter2hunter2;x"), List.of("hunter2hunter2"));
        assertThat(safe).containsEntry("API_TOKEN", "**********").containsEntry("MY_PASSWORD", "**********")
                .containsEntry("AWS_ACCESS_KEY_ID", "AKIA1").containsEntry("AWS_SECRET_ACCESS_KEY", "**********")
                .containsEntry("ANSIBLE_FORCE_COLOR", "True").containsEntry("ANSIBLE_NET_PASSWORD", "**********")
                .containsEntry("PROXY", "**********").containsEntry("HOME", "/runner")
                .containsEntry("CONFIG", "token=**********;x");
    }
}
