package dev.towerless.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.api.auth.Authenticator;
import dev.towerless.aws.definitions.Messaging;
import dev.towerless.aws.definitions.Tables;
import dev.towerless.aws.sns.SnsTopic;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Resource lists as a user sees them through the HTTP API while they are served from indexes:
 * {@code ?name=}, {@code ?organization=N} and {@code ?inventory=N} find exactly what the full
 * filter found, {@code count} follows creates and deletes, a drifted count is repaired by the
 * nightly sweep, and a filter no index serves says where it stopped reading.
 */
class ResourceListsTest {
    private static final ApiClient API = LocalStackFixture.admin();
    private static final String TAG = Long.toString(System.nanoTime(), 36);
    private static long org;
    private static long otherOrg;
    private static long inv1;
    private static long inv2;

    @BeforeAll
    static void twoOrganizationsWithInventoriesAndHosts() {
        org = id(API.create("organizations/", Map.of("name", "lists-" + TAG)));
        otherOrg = id(API.create("organizations/", Map.of("name", "lists-other-" + TAG)));
        inv1 = id(API.create("inventories/", Map.of("name", "inv1-" + TAG, "organization", org)));
        inv2 = id(API.create("inventories/", Map.of("name", "inv2-" + TAG, "organization", otherOrg)));
        for (long inv : List.of(inv1, inv2)) {
            API.create("hosts/", Map.of("name", "web-" + TAG, "inventory", inv));
            API.create("hosts/", Map.of("name", "db-" + TAG + "-" + inv, "inventory", inv));
        }
    }

    /**
     * awx.awx's get_all_endpoint and awxkit follow {@code next} until it is null: a link that drops
     * the filter or the order (as ours did) walks the whole type in the wrong order. AWX keeps the
     * whole query, sorted by name, with {@code page} replaced; {@code count_disabled} answers the
     * results alone.
     */
    @Test
    @SuppressWarnings("unchecked")
    void followingNextKeepsTheFiltersAndTheOrderAsAwxLinksThem() {
        String first = "hosts/?name__startswith=db-" + TAG + "&order_by=-name&page_size=1";
        Map<String, Object> page1 = API.get(first).json();
        assertThat(page1.get("next")).isEqualTo("/api/v2/hosts/?name__startswith=db-" + TAG + "&order_by=-name&page=2&page_size=1");
        List<String> names = new java.util.ArrayList<>();
        Map<String, Object> page = page1;
        while (true) {
            results(page).forEach(h -> names.add((String) h.get("name")));
            if (page.get("next") == null) {
                break;
            }
            page = API.get(((String) page.get("next")).substring("/api/v2/".length())).json();
        }
        assertThat(names).containsExactly("db-" + TAG + "-" + inv2, "db-" + TAG + "-" + inv1);
        assertThat(page.get("previous")).isEqualTo("/api/v2/hosts/?name__startswith=db-" + TAG + "&order_by=-name&page=1&page_size=1");
        assertThat(API.get(first + "&page_size=500").json().get("count")).isEqualTo(2);
        assertThat(API.get("hosts/?name=web-" + TAG + "&count_disabled=1").json()).containsOnlyKeys("results");
    }

    @Test
    void byNameListsEverySameNamedHostAndCombinesWithOtherFilters() {
        Map<String, Object> both = API.get("hosts/?name=web-" + TAG).json();
        assertThat(both.get("count")).isEqualTo(2);
        assertThat(results(both)).extracting(h -> ((Number) h.get("inventory")).longValue()).containsExactly(inv1, inv2);
        assertThat(API.get("hosts/?name__exact=web-" + TAG + "&inventory=" + inv2).json().get("count")).isEqualTo(1);
        assertThat(API.get("hosts/?name=web-" + TAG + "&page_size=1&page=2").json())
                .containsEntry("count", 2).containsEntry("next", null);
        assertThat(API.get("hosts/?name=nobody-" + TAG).json().get("count")).isEqualTo(0);
        assertThat(API.get("users/?username=admin").json().get("count")).isEqualTo(1);
        assertThat(API.get("hosts/?name=nobody-" + TAG + "&nosuchfield=1").status())
                .as("a filter on a missing field is still AWX's 400 when nothing matched the name").isEqualTo(400);
    }

    @Test
    void byOrganizationAndByInventoryListOnlyTheirChildren() {
        assertThat(results(API.get("inventories/?organization=" + org).json())).extracting(i -> i.get("name"))
                .containsExactly("inv1-" + TAG);
        assertThat(API.get("inventories/?organization=" + org + "&name__icontains=INV1").json().get("count")).isEqualTo(1);
        assertThat(results(API.get("hosts/?inventory=" + inv1).json())).extracting(h -> h.get("name"))
                .containsExactlyInAnyOrder("web-" + TAG, "db-" + TAG + "-" + inv1);
        assertThat(API.get("teams/?organization=" + otherOrg).json().get("count")).isEqualTo(0);
    }

    @Test
    void countFollowsCreatesAndDeletes() {
        long before = count("hosts/");
        long h = id(API.create("hosts/", Map.of("name", "transient-" + TAG, "inventory", inv1)));
        assertThat(count("hosts/")).isEqualTo(before + 1);
        assertThat(API.delete("hosts/" + h + "/").status()).isEqualTo(204);
        assertThat(count("hosts/")).isEqualTo(before);
    }

    @Test
    void aRestrictedUserFilteredByNameSeesOnlyTheHostsTheirRolesReach() {
        long user = id(API.create("users/", Map.of("username", "reader-" + TAG, "password", "pw-reader")));
        Map<String, Object> inventory = API.get("inventories/" + inv1 + "/").json();
        @SuppressWarnings("unchecked")
        long readRole = ((Number) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) inventory
                .get("summary_fields")).get("object_roles")).get("read_role")).get("id")).longValue();
        assertThat(API.post("roles/" + readRole + "/users/", Map.of("id", user)).status()).isEqualTo(204);
        var stored = LocalStackFixture.stack().context().getBean(ResourceStore.class).get(ResourceTypes.USER, user).orElseThrow();
        String token = LocalStackFixture.stack().context().getBean(Authenticator.class).issue(stored, "test", "read").token();
        ApiClient reader = new ApiClient(LocalStackFixture.stack().apiUrl(), token);
        assertThat(results(reader.get("hosts/?name=web-" + TAG).json()))
                .extracting(h -> ((Number) h.get("inventory")).longValue()).containsExactly(inv1);
        assertThat(reader.get("inventories/?organization=" + otherOrg).json().get("count")).isEqualTo(0);
        assertThat(reader.get("hosts/").json().get("count")).isEqualTo(2);
    }

    @Test
    void aDriftedCountIsRepairedByTheNightlySweep() throws Exception {
        var stack = LocalStackFixture.stack();
        long real = count("inventories/");
        DynamoDbClient dynamo = stack.context().getBean(DynamoDbClient.class);
        // a crash between an insert and its count, many times over
        dynamo.putItem(r -> r.tableName(Tables.SEQUENCES.physicalName("towerless-")).item(Map.of(
                "name", AttributeValue.fromS("count#resource#inventory"), "value", AttributeValue.fromN(Long.toString(real + 40)))));
        assertThat(count("inventories/")).as("the broken count is what the list shows").isEqualTo(real + 40);
        new SnsTopic(stack.context().getBean(SnsClient.class), stack.provisioned().topicArn(Messaging.HOUSEKEEPING))
                .publish("{\"reason\":\"nightly\"}");
        Instant deadline = Instant.now().plusSeconds(60);
        while (count("inventories/") != real && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(count("inventories/")).isEqualTo(real);
    }

    @Test
    void aFilterNoIndexServesReadsABudgetAndSaysSo() throws Exception {
        String previous = System.getProperty("towerless.list-read-budget");
        System.setProperty("towerless.list-read-budget", "2");
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            LocalStackFixture.stack().apiUrl() + "organizations/?name__icontains=lists-"))
                    .header("Authorization", "Bearer " + LocalStackFixture.stack().adminToken()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Warning")).get().asString()
                    .contains("Only the first 2 organizations (by id) were searched").contains("filter by name");
            HttpResponse<String> indexed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            LocalStackFixture.stack().apiUrl() + "organizations/?name=lists-" + TAG))
                    .header("Authorization", "Bearer " + LocalStackFixture.stack().adminToken()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(indexed.headers().firstValue("Warning")).as("an index read is whole").isEmpty();
            assertThat(indexed.body()).contains("\"count\":1");
        } finally {
            if (previous == null) {
                System.clearProperty("towerless.list-read-budget");
            } else {
                System.setProperty("towerless.list-read-budget", previous);
            }
        }
        assertThat(API.get("organizations/?name__icontains=" + TAG.toUpperCase()).json().get("count")).as("budget back to 10,000").isEqualTo(2);
    }

    private static long count(String path) {
        return ((Number) API.get(path).json().get("count")).longValue();
    }

    private static long id(Map<String, Object> o) {
        return ((Number) o.get("id")).longValue();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("results");
    }
}
