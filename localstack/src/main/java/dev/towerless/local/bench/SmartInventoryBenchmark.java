package dev.towerless.local.bench;

import static dev.towerless.local.bench.BenchmarkReport.ms;
import static dev.towerless.local.bench.BenchmarkReport.pct;

import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.ApiClient;
import dev.towerless.local.EmbeddedStack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Smart inventories as the install grows: an organization of 10 inventories whose hosts grow,
 * 50 of them named {@code web-…}, and a smart inventory {@code name__startswith=web}. Reads
 * (its hosts list, its detail, a host's {@code smart_inventories/}) should not grow with the
 * install; a rebuild (a save of the smart inventory) reads the organization's hosts.
 */
final class SmartInventoryBenchmark {
    private static final int MEMBERS = 50;

    private SmartInventoryBenchmark() {
    }

    static String run(EmbeddedStack stack, List<Integer> sizes) throws Exception {
        ApiClient api = new ApiClient(stack.apiUrl(), stack.adminToken());
        ResourceStore store = stack.context().getBean(ResourceStore.class);
        DynamoDbClient dynamo = stack.context().getBean(DynamoDbClient.class);
        long org = ((Number) api.create("organizations/", Map.of("name", "smart-bench")).get("id")).longValue();
        List<Long> inventories = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            inventories.add(((Number) api.create("inventories/", Map.of("name", "smart-bench-" + i, "organization", org)).get("id")).longValue());
        }
        StringBuilder out = new StringBuilder("## Smart inventories as hosts grow (" + BenchmarkReport.today() + ")\n\n"
                + "`./towerless bench smart-inventories`. One organization, 10 inventories, hosts stored as the API stores them; "
                + MEMBERS + " are named `web-…`, the smart inventory's filter is `name__startswith=web`. Through the HTTP API as a "
                + "superuser, 10 requests each: p50 / p99, store items read per request, and p50 over the p50 of one Query of 20 "
                + "host items on the same store in the same run (the limit).\n\n"
                + "| hosts | request | p50 | p99 | items read | × one Query of 20 |\n|---|---|---|---|---|---|\n");
        int have = 0;
        long smart = -1;
        long member = -1;
        for (int size : sizes) {
            List<Long> created = insertHosts(store, inventories, have, size);
            if (member < 0) {
                member = created.get(0);
            }
            have = size;
            if (smart < 0) {
                smart = ((Number) api.create("inventories/", Map.of("name", "smart-bench", "organization", org, "kind", "smart",
                        "host_filter", "name__startswith=web")).get("id")).longValue();
            }
            List<Double> raw = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                dynamo.query(r -> r.tableName("towerless-resources").keyConditionExpression("#t = :t")
                        .expressionAttributeNames(Map.of("#t", "type"))
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(ResourceTypes.HOST))).limit(20));
                raw.add((System.nanoTime() - t0) / 1e6);
            }
            double rawP50 = pct(raw, 50);
            out.append(row(size, "one Query of 20 host items (the limit)", raw, 20, rawP50));
            long s = smart;
            long m = member;
            Map<String, Supplier<ApiClient.Response>> requests = new LinkedHashMap<>();
            requests.put("`PATCH /inventories/S/` (a save: the membership rebuilt)",
                    () -> api.patch("inventories/" + s + "/", Map.of("description", "saved " + System.nanoTime())));
            requests.put("`GET /inventories/S/hosts/?page_size=20`", () -> api.get("inventories/" + s + "/hosts/?page_size=20"));
            requests.put("`GET /inventories/S/` (total_hosts)", () -> api.get("inventories/" + s + "/"));
            requests.put("`GET /hosts/N/smart_inventories/`", () -> api.get("hosts/" + m + "/smart_inventories/"));
            for (Map.Entry<String, Supplier<ApiClient.Response>> r : requests.entrySet()) {
                List<Double> times = new ArrayList<>();
                long items = 0;
                for (int i = 0; i < 10; i++) {
                    ItemsRead.ITEMS.set(0);
                    ItemsRead.on = true;
                    long t0 = System.nanoTime();
                    ApiClient.Response resp = r.getValue().get();
                    times.add((System.nanoTime() - t0) / 1e6);
                    ItemsRead.on = false;
                    items = ItemsRead.ITEMS.get();
                    if (resp.status() != 200) {
                        throw new IllegalStateException(r.getKey() + " answered " + resp.status() + ": " + resp.body());
                    }
                }
                out.append(row(size, r.getKey(), times, items, rawP50));
            }
            Map<String, Object> detail = api.get("inventories/" + smart + "/").json();
            if (((Number) detail.get("total_hosts")).intValue() != MEMBERS) {
                throw new IllegalStateException("the smart inventory counts " + detail.get("total_hosts") + " hosts, not " + MEMBERS);
            }
        }
        out.append("\nReads stay flat as hosts grow (one item, then the ").append(MEMBERS)
                .append(" members in batch reads); a save reads the organization's hosts and groups, as AWX's rebuild query does.\n\n");
        return out.toString();
    }

    /** Hosts up to {@code to}, spread over the inventories; the first {@value #MEMBERS} made are {@code web-…}. */
    private static List<Long> insertHosts(ResourceStore store, List<Long> inventories, int from, int to) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Long>> writes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int n = i;
            writes.add(pool.submit(() -> store.create(ResourceTypes.HOST, Map.of("name", (n < MEMBERS ? "web-" : "db-") + n,
                    "inventory", inventories.get(n % inventories.size()), "enabled", true, "variables", "rack: r" + (n % 40),
                    "created", "2026-12-01T00:00:00.000000Z", "modified", "2026-12-01T00:00:00.000000Z")).id()));
        }
        List<Long> ids = new ArrayList<>();
        for (Future<Long> f : writes) {
            ids.add(f.get());
        }
        pool.shutdown();
        return ids;
    }

    private static String row(int size, String what, List<Double> times, long items, double rawP50) {
        double p50 = pct(times, 50);
        return "| " + String.format(Locale.ROOT, "%,d", size) + " | " + what + " | " + ms(p50) + " | " + ms(pct(times, 99)) + " | "
                + String.format(Locale.ROOT, "%,d", items) + " | " + String.format(Locale.ROOT, "%.0f×", p50 / rawP50) + " |\n";
    }

}
