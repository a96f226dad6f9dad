package dev.towerless.local.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.api.auth.Authenticator;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Users, their clients and their roles, made through the API as an administrator would. */
final class Accounts {
    final ApiClient admin = LocalStackFixture.admin();
    final String tag = Long.toString(System.nanoTime(), 36);

    long user(String name) {
        return ((Number) admin.create("users/", Map.of("username", name + "-" + tag, "password", password(name)))
                .get("id")).longValue();
    }

    static String password(String name) {
        return "pw-of-" + name;
    }

    /** A client that authenticates with the user's username and password, as AWX's basic auth. */
    ApiClient basic(String name) {
        return new ApiClient(LocalStackFixture.stack().apiUrl(), null, "Basic " + Base64.getEncoder()
                .encodeToString((name + "-" + tag + ":" + password(name)).getBytes(StandardCharsets.UTF_8)));
    }

    /** A client with a fresh token of the user's. */
    ApiClient token(long userId, String scope) {
        var user = LocalStackFixture.stack().context().getBean(ResourceStore.class).get(ResourceTypes.USER, userId).orElseThrow();
        String token = LocalStackFixture.stack().context().getBean(Authenticator.class).issue(user, "test", scope).token();
        return new ApiClient(LocalStackFixture.stack().apiUrl(), token);
    }

    long create(String endpoint, Map<String, Object> body) {
        return ((Number) admin.create(endpoint, body).get("id")).longValue();
    }

    @SuppressWarnings("unchecked")
    long role(String endpoint, long object, String field) {
        Map<String, Object> o = admin.get(endpoint + object + "/").json();
        Map<String, Object> roles = (Map<String, Object>) ((Map<String, Object>) o.get("summary_fields")).get("object_roles");
        return ((Number) ((Map<String, Object>) roles.get(field)).get("id")).longValue();
    }

    void grant(String endpoint, long object, String field, long user) {
        ApiClient.Response r = admin.post("roles/" + role(endpoint, object, field) + "/users/", Map.of("id", user));
        assertThat(r.status()).as(r.body()).isEqualTo(204);
    }
}
