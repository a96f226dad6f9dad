package dev.towerless.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * List filters are as strict as AWX 21.14.0's (awx/api/filters.py): a mistake in a filter is a
 * 400 that says what is wrong, never a 200 with count 0 that reads as "nothing matches".
 */
class StrictFiltersTest {
    private static final ApiClient API = LocalStackFixture.admin();
    private static final String NAME = "Strict-" + UUID.randomUUID();

    @BeforeAll
    static void anOrganizationToList() {
        API.create("organizations/", Map.of("name", NAME, "description", "filters"));
    }

    @Test
    void anUnknownFieldIsRefusedWithAwxsMessage() {
        ApiClient.Response r = API.get("organizations/?nosuchfield=1");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("detail", "Organization has no field named 'nosuchfield'");
        assertThat(API.get("organizations/?not__nosuchfield=1").status()).as("negated too").isEqualTo(400);
        assertThat(API.get("unified_job_templates/?nosuchfield=1").json())
                .containsEntry("detail", "UnifiedJobTemplate has no field named 'nosuchfield'");
    }

    @Test
    void orderingByAMissingFieldIsRefused() {
        ApiClient.Response r = API.get("organizations/?order_by=-nosuchfield");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("detail", "Organization has no field named 'nosuchfield'");
    }

    @Test
    void aLookupAwxDoesNotKnowIsAPathThroughAFieldThatIsNoRelation() {
        ApiClient.Response r = API.get("organizations/?name__year=2020");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("detail", "No related model for field year.");
        assertThat(API.get("organizations/?name__in=").json()).containsEntry("detail", "cannot provide empty value for __in");
        assertThat(API.get("organizations/?name__regex=(unclosed").status()).isEqualTo(400);
    }

    @Test
    void awxsOtherLookupsMatch() {
        String tail = NAME.substring(NAME.length() - 8);
        assertThat(count("organizations/?name__endswith=" + tail)).isEqualTo(1);
        assertThat(count("organizations/?name__iendswith=" + tail.toUpperCase())).isEqualTo(1);
        assertThat(count("organizations/?name__regex=%5EStrict-" + NAME.substring(7, 15))).isEqualTo(1);
        assertThat(count("organizations/?name__iregex=%5ESTRICT-" + NAME.substring(7, 15).toUpperCase())).isEqualTo(1);
        assertThat(count("organizations/?name__iexact=" + NAME.toLowerCase())).isEqualTo(1);
        assertThat(count("organizations/?pk__gt=0&name=" + NAME)).isEqualTo(1);
        assertThat(count("organizations/?name=" + NAME + "&order_by=-name")).isEqualTo(1);
    }

    private static long count(String path) {
        ApiClient.Response r = API.get(path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return ((Number) r.json().get("count")).longValue();
    }
}
