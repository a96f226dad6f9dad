package dev.towerless.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomCredentialTypesTest {
    private static final Map<String, Object> INPUTS = Map.of("fields", List.of(
            Map.of("id", "user", "label", "User"), Map.of("id", "key", "label", "Key", "secret", true),
            Map.of("id", "insecure", "label", "Insecure", "type", "boolean")), "required", List.of("user"));

    @Test
    void namedFilesAreWrittenFirstSoEnvAndVarsCanPointAtThem() {
        Map<String, String> written = new LinkedHashMap<>();
        CustomCredentialTypes.Injection injection = CustomCredentialTypes.inject(Map.of(
                "file", Map.of("template.cert", "{{ key }}", "template.conf", "user={{ user }}"),
                "env", Map.of("CERT", "{{ tower.filename.cert }}", "INSECURE", "{{ insecure }}"),
                "extra_vars", Map.of("conf_path", "{{ tower.filename.conf }}", "who", "{{ user }}")),
                Map.of("user", "ops", "key", "s3cret", "insecure", "false"), INPUTS, (name, content) -> {
                    written.put(name, content);
                    return "/private/" + name;
                });
        assertThat(written).containsEntry("cert", "s3cret").containsEntry("conf", "user=ops");
        assertThat(injection.env()).containsEntry("CERT", "/private/cert").containsEntry("INSECURE", "False");
        assertThat(injection.extraVars()).containsEntry("conf_path", "/private/conf").containsEntry("who", "ops");
    }

    @Test
    void definitionsAreCheckedAsAwxDoes() {
        assertThat(CustomCredentialTypes.problems(INPUTS, Map.of("env", Map.of("U", "{{ user }}")))).isEmpty();
        assertThat(CustomCredentialTypes.problems(Map.of("fields", List.of(Map.of("id", "1bad", "label", "x")),
                "required", List.of("missing")), Map.of()).get("inputs"))
                .containsExactly("Field id 1bad must be a name of letters, digits and underscores.",
                        "Required field 'missing' is not one of the fields.");
        assertThat(CustomCredentialTypes.problems(Map.of("fields", List.of(Map.of("id", "p", "label", "P",
                "ask_at_runtime", true))), Map.of()).get("inputs"))
                .containsExactly("ask_at_runtime is not supported for custom credentials.");
        assertThat(CustomCredentialTypes.problems(INPUTS, Map.of(
                "env", Map.of("PATH", "{{ user }}", "X", "{{ tower.filename }}"),
                "extra_vars", Map.of("y", "{% if user %}yes{% endif %}"),
                "secrets", Map.of())).get("injectors")).containsExactlyInAnyOrder(
                "'secrets' is not an injector: use env, extra_vars or file.",
                "Environment variable PATH is not allowed to be used in credentials.",
                "Syntax error rendering template for env inside of injectors: 'tower.filename' is undefined",
                "extra_vars: Only {{ variable }} substitutions are supported; {% %} statements are not.");
    }

    @Test
    void reservedVariablesAreRefusedOnSaveInAwxsWords() {
        for (String name : List.of("TOWERLESS_SECRET_KEY", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "LD_PRELOAD", "LD_LIBRARY_PATH", "PATH", "PYTHONPATH", "PYTHONSTARTUP", "HOME", "JOB_ID", "AWX_HOST",
                "REST_API_TOKEN", "SSH_AUTH_SOCK", "GIT_ASKPASS")) {
            assertThat(CustomCredentialTypes.problems(INPUTS, Map.of("env", Map.of(name, "{{ user }}"))).get("injectors"))
                    .as(name).containsExactly("Environment variable " + name + " is not allowed to be used in credentials.");
        }
        assertThat(CustomCredentialTypes.problems(INPUTS, Map.of("env", Map.of("ANSIBLE_CONFIG", "{{ user }}"))).get("injectors"))
                .containsExactly("Environment variable ANSIBLE_CONFIG may affect Ansible configuration so its use is not "
                        + "allowed in credentials.");
        // What ordinary cloud types inject stays allowed.
        assertThat(CustomCredentialTypes.problems(INPUTS, Map.of("env", Map.of("AWS_ACCESS_KEY_ID", "{{ user }}",
                "AWS_SECRET_ACCESS_KEY", "{{ key }}", "AWS_REGION", "eu-west-1", "VAULT_TOKEN", "{{ key }}")))).isEmpty();
    }

    @Test
    void aReservedVariableInATypeSavedBeforeTheRuleIsNeverInjected() {
        CustomCredentialTypes.Injection injection = CustomCredentialTypes.inject(Map.of("env", Map.of(
                "LD_PRELOAD", "/tmp/evil.so", "TOWERLESS_SECRET_KEY", "x", "ANSIBLE_CALLBACK_PLUGINS", "/tmp", "TOKEN", "{{ key }}")),
                Map.of("user", "ops", "key", "s3cret"), INPUTS, (name, content) -> "/private/" + name);
        assertThat(injection.env()).containsOnlyKeys("TOKEN");
        assertThat(injection.refused()).containsExactlyInAnyOrder("LD_PRELOAD", "TOWERLESS_SECRET_KEY", "ANSIBLE_CALLBACK_PLUGINS");
    }
}
