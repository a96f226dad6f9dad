package dev.towerless.local.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A token of scope {@code read} reads what its user may read and writes nothing (AWX: 403 for every other method). */
class ReadTokenTest {
    private final Accounts a = new Accounts();

    @Test
    @SuppressWarnings("unchecked")
    void aReadTokenCanReadButNeverWrite() {
        long org = a.create("organizations/", Map.of("name", "ro-" + a.tag));
        long reader = a.user("reader");
        a.grant("organizations/", org, "admin_role", reader);
        ApiClient write = a.token(reader, "write");
        ApiClient read = readToken(write, "read only").client();

        Map<String, Object> shown = read.get("organizations/" + org + "/").json();
        assertThat(shown).containsEntry("name", "ro-" + a.tag);
        assertThat((Map<String, Object>) ((Map<String, Object>) shown.get("summary_fields")).get("user_capabilities"))
                .containsEntry("edit", false).containsEntry("delete", false);
        for (ApiClient.Response r : List.of(
                read.patch("organizations/" + org + "/", Map.of("description", "x")),
                read.delete("organizations/" + org + "/"),
                read.post("inventories/", Map.of("name", "i", "organization", org)),
                read.post("tokens/", Map.of("scope", "write")),
                read.post("organizations/" + org + "/users/", Map.of("id", reader)))) {
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.json()).containsEntry("detail", "You do not have permission to perform this action.");
        }
        assertThat(a.admin.get("organizations/" + org + "/").json()).containsEntry("description", "");
        // the same user's write token may do all of it
        assertThat(write.patch("organizations/" + org + "/", Map.of("description", "x")).status()).isEqualTo(200);
    }

    @Test
    void aDeletedTokenFailsOnItsVeryNextRequest() {
        long user = a.user("revoked");
        ApiClient write = a.token(user, "write");
        Issued issued = readToken(write, "short-lived");
        ApiClient token = issued.client();
        assertThat(token.get("me/").status()).isEqualTo(200);
        assertThat(a.admin.delete("tokens/" + issued.id() + "/").status()).isEqualTo(204);
        ApiClient.Response after = token.get("me/");
        assertThat(after.status()).as(after.body()).isEqualTo(401);
        assertThat(write.get("me/").status()).as("the user's other token still works").isEqualTo(200);
    }

    /** A token the API has seen (and remembers) fails the moment its user is deleted, or its time is up. */
    @Test
    void aKnownTokenFailsOnTheNextRequestAfterItsUserIsDeletedOrItExpires() {
        long gone = a.user("leaver");
        ApiClient ofLeaver = a.token(gone, "write");
        assertThat(ofLeaver.get("me/").status()).isEqualTo(200);
        assertThat(ofLeaver.get("me/").status()).as("remembered now").isEqualTo(200);
        assertThat(a.admin.delete("users/" + gone + "/").status()).isEqualTo(204);
        assertThat(ofLeaver.get("me/").status()).isEqualTo(401);

        long user = a.user("expiring");
        ApiClient write = a.token(user, "write");
        Issued issued = readToken(write, "expiring");
        ApiClient token = issued.client();
        assertThat(token.get("me/").status()).isEqualTo(200);
        assertThat(token.get("me/").status()).isEqualTo(200);
        dev.towerless.local.LocalStackFixture.stack().context().getBean(dev.towerless.core.ports.ResourceStore.class).update(
                dev.towerless.core.resources.ResourceTypes.TOKEN, issued.id(), Map.of("expires", "2026-01-01T00:00:00Z"));
        assertThat(token.get("me/").status()).isEqualTo(401);
        assertThat(token.get("me/").status()).as("and stays refused").isEqualTo(401);
        assertThat(write.get("me/").status()).as("the user's other token still works").isEqualTo(200);
    }

    /**
     * A token the API remembers reads its user with itself, by the user id it remembered. Should the
     * stored token name another user (no API call can do that; a hand edit of the store can), the
     * request is that user's, never the remembered one's, and fails once that user is gone.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aKnownTokenWhoseStoredUserChangedActsAsThatUserOnly() {
        long first = a.user("first");
        long second = a.user("second");
        Issued issued = readToken(a.token(first, "write"), "moved");
        ApiClient token = issued.client();
        java.util.function.Supplier<Object> me = () -> ((List<Map<String, Object>>) token.get("me/").json().get("results")).get(0).get("username");
        assertThat(me.get()).isEqualTo("first-" + a.tag);
        assertThat(me.get()).as("remembered now").isEqualTo("first-" + a.tag);
        dev.towerless.local.LocalStackFixture.stack().context().getBean(dev.towerless.core.ports.ResourceStore.class).update(
                dev.towerless.core.resources.ResourceTypes.TOKEN, issued.id(), Map.of("user", second));
        assertThat(me.get()).as("the stored token's user, read again").isEqualTo("second-" + a.tag);
        assertThat(me.get()).isEqualTo("second-" + a.tag);
        assertThat(a.admin.delete("users/" + second + "/").status()).isEqualTo(204);
        assertThat(token.get("me/").status()).isEqualTo(401);
    }

    /** A token issued through tokens/, and a client that uses it. */
    private record Issued(long id, ApiClient client) {
    }

    private static Issued readToken(ApiClient owner, String description) {
        ApiClient.Response issued = owner.post("tokens/", Map.of("description", description, "scope", "read"));
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return new Issued(((Number) issued.json().get("id")).longValue(),
                new ApiClient(dev.towerless.local.LocalStackFixture.stack().apiUrl(), (String) issued.json().get("token")));
    }

    @Test
    void aScopeOtherThanReadOrWriteIsRefusedAsAwxWordsIt() {
        ApiClient.Response r = a.admin.post("tokens/", Map.of("scope", "admin"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("scope",
                List.of("Must be a simple space-separated string with allowed scopes ['read', 'write']."));
    }
}
