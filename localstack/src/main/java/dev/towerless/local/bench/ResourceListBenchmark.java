package dev.towerless.local.bench;

import static dev.towerless.local.bench.BenchmarkReport.ms;

import dev.towerless.api.auth.Authenticator;
import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.access.Memberships;
import dev.towerless.core.access.Role;
import dev.towerless.core.access.RoleCatalogue;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.ApiClient;
import dev.towerless.local.EmbeddedStack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Resource lists through the HTTP API as a type grows: hosts in 10 inventories of 5
 * organizations, grown to each size, and a tenth as many job templates (at least 1,000). Items
 * are written as the resource store writes them (type, id, natural and parent keys) in batches,
 * then each type is recounted once, as the nightly repair does. For each request, as a superuser
 * and as a user who may read one inventory and run 20 templates: p50 and p99 of 10, store items
 * read per request ({@link ItemsRead}), and the ratio to one raw Query of 20 items on the same
 * dynalite in the same run.
 */
final class ResourceListBenchmark {
    private static final int INVENTORIES = 10;
    private static final int ORGANIZATIONS = 5;

    private ResourceListBenchmark() {
    }

    static String run(EmbeddedStack stack, List<Integer> sizes) throws Exception {
        ResourceStore resources = stack.context().getBean(ResourceStore.class);
        DynamoDbClient dynamo = stack.context().getBean(DynamoDbClient.class);
        ApiClient admin = new ApiClient(stack.apiUrl(), stack.adminToken());
        List<Long> orgs = new ArrayList<>();
        for (int i = 0; i < ORGANIZATIONS; i++) {
            orgs.add(resources.create(ResourceTypes.ORGANIZATION, Map.of("name", "rl-org-" + i)).id());
        }
        List<Long> inventories = new ArrayList<>();
        for (int i = 0; i < INVENTORIES; i++) {
            inventories.add(resources.create(ResourceTypes.INVENTORY, Map.of("name", "rl-inv-" + i,
                    "organization", orgs.get(i % ORGANIZATIONS), "kind", "")).id());
        }
        long project = resources.create(ResourceTypes.PROJECT, Map.of("name", "rl-project", "organization", orgs.get(0),
                "scm_type", "git", "scm_url", "file:///nonexistent")).id();
        Resource user = resources.create(ResourceTypes.USER, Map.of("username", "rl-reader", "is_superuser", false));
        Memberships memberships = new Memberships(resources, stack.context().getBean(JobStore.class));
        memberships.grant(user, Role.of(ResourceTypes.INVENTORY, inventories.get(0), RoleCatalogue.READ));
        ApiClient restricted = new ApiClient(stack.apiUrl(), stack.context().getBean(Authenticator.class)
                .issue(resources.get(ResourceTypes.USER, user.id()).orElseThrow(), "bench", "read").token());

        StringBuilder out = new StringBuilder("## Resource lists as a type grows (" + BenchmarkReport.today() + ")\n\n"
                + "`./towerless bench resource-lists` (sizes: `-Dbench.hosts=1000,10000,100000`). Hosts spread over 10 "
                + "inventories of 5 organizations, a tenth as many job templates (at least 1,000); read through the HTTP "
                + "API, 10 requests each: p50 / p99, store items read per request, and p50 over the p50 of one raw Query of "
                + "20 items on the same store in the same run. *restricted*: a user who may read one inventory and run 20 "
                + "templates. `name__icontains` reads at most the list budget (10,000) and says so in a `Warning`.\n\n"
                + "| hosts | templates | request | as | p50 | p99 | items read | × one Query of 20 |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        int hosts = 0;
        int templates = 0;
        long nextId = 5_000_000;
        boolean granted = false;
        for (int size : sizes) {
            int wantTemplates = Math.max(1_000, size / 10);
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (int i = hosts; i < size; i++) {
                long inv = inventories.get(i % INVENTORIES);
                items.add(item(ResourceTypes.HOST, nextId++, "host-" + i, Map.of("inventory", inv),
                        ResourceTypes.HOST + "|inventory#" + inv));
            }
            List<Long> newTemplates = new ArrayList<>();
            for (int i = templates; i < wantTemplates; i++) {
                long org = orgs.get(i % ORGANIZATIONS);
                newTemplates.add(nextId);
                items.add(item(ResourceTypes.JOB_TEMPLATE, nextId++, "template-" + i, Map.of("organization", org,
                        "project", project, "inventory", inventories.get(0), "playbook", "ok.yml"),
                        ResourceTypes.JOB_TEMPLATE + "|organization#" + org));
            }
            write(dynamo, items);
            hosts = size;
            templates = Math.max(templates, wantTemplates);
            resources.recount(ResourceTypes.HOST);
            resources.recount(ResourceTypes.JOB_TEMPLATE);
            if (!granted) {
                for (int i = 0; i < 20; i++) {
                    memberships.grant(resources.get(ResourceTypes.USER, user.id()).orElseThrow(),
                            Role.of(ResourceTypes.JOB_TEMPLATE, newTemplates.get(i * 7), RoleCatalogue.EXECUTE));
                }
                granted = true;
            }

            List<Double> raw = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                dynamo.query(r -> r.tableName(Tables.RESOURCES.physicalName("towerless-")).keyConditionExpression("#t = :t")
                        .expressionAttributeNames(Map.of("#t", "type"))
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(ResourceTypes.HOST))).limit(20));
                raw.add((System.nanoTime() - t0) / 1e6);
            }
            double rawP50 = Benchmarks.percentile(raw, 50);
            String prefix = "| " + fmt(size) + " | " + fmt(templates) + " | ";
            out.append(prefix).append("one Query of 20 items (the limit) | — | ").append(ms(rawP50)).append(" | ")
                    .append(ms(Benchmarks.percentile(raw, 99))).append(" | 20 | 1× |\n");
            Map<String, String> requests = new LinkedHashMap<>();
            requests.put("`GET /hosts/?page_size=20`", "hosts/?page_size=20");
            requests.put("`GET /hosts/?name=X`", "hosts/?name=host-" + (size / 2) + "&page_size=20");
            requests.put("`GET /inventories/N/hosts/?page_size=20`", "inventories/" + inventories.get(0) + "/hosts/?page_size=20");
            requests.put("`GET /hosts/?inventory=N&page_size=20`", "hosts/?inventory=" + inventories.get(0) + "&page_size=20");
            requests.put("`GET /job_templates/?organization=N&page_size=20`",
                    "job_templates/?organization=" + orgs.get(0) + "&page_size=20");
            requests.put("`GET /job_templates/?name=X`", "job_templates/?name=template-7&page_size=20");
            requests.put("`GET /hosts/?name__icontains=x&page_size=20` (bounded)", "hosts/?name__icontains=st-12&page_size=20");
            for (Map.Entry<String, String> r : requests.entrySet()) {
                for (Map.Entry<String, ApiClient> as : List.of(Map.entry("superuser", admin), Map.entry("restricted", restricted))) {
                    List<Double> times = new ArrayList<>();
                    long read = 0;
                    for (int i = 0; i < 10; i++) {
                        ItemsRead.ITEMS.set(0);
                        ItemsRead.on = true;
                        long t0 = System.nanoTime();
                        ApiClient.Response resp = as.getValue().get(r.getValue());
                        times.add((System.nanoTime() - t0) / 1e6);
                        ItemsRead.on = false;
                        read = ItemsRead.ITEMS.get();
                        if (resp.status() != 200) {
                            throw new IllegalStateException(r.getValue() + " answered " + resp.status() + ": " + resp.body());
                        }
                    }
                    double p50 = Benchmarks.percentile(times, 50);
                    out.append(prefix).append(r.getKey()).append(" | ").append(as.getKey()).append(" | ").append(ms(p50))
                            .append(" | ").append(ms(Benchmarks.percentile(times, 99))).append(" | ").append(fmt(read))
                            .append(" | ").append(String.format(Locale.ROOT, "%.0f×", p50 / rawP50)).append(" |\n");
                }
            }
        }
        return out.append("\n").toString();
    }

    /** An item as DynamoResourceStore stores it: its fields, the type and id, the natural key and the parent key. */
    private static Map<String, AttributeValue> item(String type, long id, String name, Map<String, Object> fields, String parentKey) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("type", AttributeValue.fromS(type));
        item.put("id", AttributeValue.fromN(Long.toString(id)));
        item.put("name", AttributeValue.fromS(name));
        item.put("natural_key", AttributeValue.fromS(name));
        item.put("parent_key", AttributeValue.fromS(parentKey));
        item.put("description", AttributeValue.fromS(""));
        item.put("created", AttributeValue.fromS("2026-06-01T00:00:00Z"));
        item.put("modified", AttributeValue.fromS("2026-06-01T00:00:00Z"));
        fields.forEach((k, v) -> item.put(k, v instanceof Number n ? AttributeValue.fromN(n.toString()) : AttributeValue.fromS(v.toString())));
        return item;
    }

    private static void write(DynamoDbClient dynamo, List<Map<String, AttributeValue>> items) throws Exception {
        String table = Tables.RESOURCES.physicalName("towerless-");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < items.size(); i += 25) {
            List<Map<String, AttributeValue>> batch = items.subList(i, Math.min(items.size(), i + 25));
            done.add(pool.submit(() -> {
                Map<String, List<WriteRequest>> request = Map.of(table, batch.stream()
                        .map(it -> WriteRequest.builder().putRequest(PutRequest.builder().item(it).build()).build()).toList());
                while (request != null && !request.isEmpty()) {
                    var toWrite = request;
                    var resp = dynamo.batchWriteItem(r -> r.requestItems(toWrite));
                    request = resp.hasUnprocessedItems() && !resp.unprocessedItems().isEmpty() ? resp.unprocessedItems() : null;
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }

    private static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

}
