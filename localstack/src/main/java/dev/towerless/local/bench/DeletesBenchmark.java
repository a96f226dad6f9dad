package dev.towerless.local.bench;

import dev.towerless.core.copying.DeepCopy;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.ApiClient;
import dev.towerless.local.EmbeddedStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The background halves of AWX's inventory copy and delete as the inventory grows: an inventory
 * of N hosts in N/10 groups (each host in one group, each group a child of the first), copied
 * through {@code POST inventories/N/copy/} (the 201, then until the copy is complete) and then the
 * original deleted through {@code DELETE inventories/N/} (the 202, then until it is gone). The
 * limit each background task must fit is one delivery: the housekeeping function's 60 s timeout
 * (a task cut short is redelivered and carries on where it stopped, but should not need to).
 */
final class DeletesBenchmark {
    private static final double LIMIT_SECONDS = 60;

    private final ResourceStore resources;
    private final ApiClient api;

    private DeletesBenchmark(EmbeddedStack stack) {
        this.resources = stack.context().getBean(ResourceStore.class);
        this.api = new ApiClient(stack.apiUrl(), stack.adminToken());
    }

    static String run(EmbeddedStack stack, List<Integer> sizes) throws Exception {
        DeletesBenchmark b = new DeletesBenchmark(stack);
        StringBuilder out = new StringBuilder("## Inventory copy and delete in the background (")
                .append(BenchmarkReport.today()).append(")\n\n")
                .append("`./towerless bench deletes` (`-Dbench.hosts=").append(String.join(",", sizes.stream().map(String::valueOf).toList()))
                .append("`): an inventory of N hosts in N/10 groups, copied (`POST copy/`) then deleted (`DELETE`), ")
                .append("through the API of the embedded local stack, the background task on the resource-tasks queue. ")
                .append("Ratio: the background time against the 60 s one delivery may take (the housekeeping function's timeout).\n\n")
                .append("| hosts | copy: 201 answered | copy complete | ratio | delete: 202 answered | inventory gone | ratio |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (int n : sizes) {
            out.append(b.measure(n));
        }
        return out.append("\nBoth grow linearly with the hosts and groups (one write each); the delete also reads every ")
                .append("job kind's history once to clear references, so it grows with the job history too.\n\n").toString();
    }

    private String measure(int hosts) throws Exception {
        long org = resources.create(ResourceTypes.ORGANIZATION, Map.of("name", "deletes-bench-" + hosts + "-" + System.nanoTime())).id();
        long inventory = resources.create(ResourceTypes.INVENTORY, Map.of("name", "bench-" + hosts + "-" + System.nanoTime(),
                "organization", org)).id();
        List<Long> groups = new ArrayList<>();
        for (int g = 0; g < Math.max(1, hosts / 10); g++) {
            groups.add(resources.create(ResourceTypes.GROUP, Map.of("name", "g" + g, "inventory", inventory)).id());
        }
        List<List<Long>> members = new ArrayList<>();
        groups.forEach(g -> members.add(new ArrayList<>()));
        for (int h = 0; h < hosts; h++) {
            long id = resources.create(ResourceTypes.HOST, Map.of("name", "h" + h, "inventory", inventory, "variables", "n: " + h)).id();
            members.get(h % groups.size()).add(id);
        }
        for (int g = 0; g < groups.size(); g++) {
            resources.update(ResourceTypes.GROUP, groups.get(g), g == 0
                    ? Map.of("hosts", members.get(g), "children", groups.subList(1, groups.size()))
                    : Map.of("hosts", members.get(g)));
        }

        Instant posted = Instant.now();
        ApiClient.Response copied = api.post("inventories/" + inventory + "/copy/", Map.of("name", "copy-" + System.nanoTime()));
        Instant answered = Instant.now();
        if (copied.status() != 201) {
            throw new IllegalStateException("copy answered " + copied.status() + ": " + copied.body());
        }
        long copy = copied.id();
        while (resources.get(ResourceTypes.INVENTORY, copy).map(r -> r.flag(DeepCopy.PENDING)).orElse(false)) {
            Thread.sleep(20);
        }
        Instant complete = Instant.now();
        int copiedHosts = resources.where(ResourceTypes.HOST, "inventory", copy).size();
        if (copiedHosts != hosts) {
            throw new IllegalStateException("the copy has " + copiedHosts + " hosts, not " + hosts);
        }

        Instant deleting = Instant.now();
        ApiClient.Response accepted = api.delete("inventories/" + inventory + "/");
        Instant acceptedAt = Instant.now();
        if (accepted.status() != 202) {
            throw new IllegalStateException("delete answered " + accepted.status() + ": " + accepted.body());
        }
        while (resources.get(ResourceTypes.INVENTORY, inventory).isPresent()) {
            Thread.sleep(20);
        }
        Instant gone = Instant.now();
        double copySeconds = seconds(answered, complete);
        double deleteSeconds = seconds(acceptedAt, gone);
        return "| " + hosts + " | " + fmt(seconds(posted, answered)) + " s | " + fmt(copySeconds) + " s | "
                + fmt(copySeconds / LIMIT_SECONDS) + " | " + fmt(seconds(deleting, acceptedAt)) + " s | " + fmt(deleteSeconds)
                + " s | " + fmt(deleteSeconds / LIMIT_SECONDS) + " |\n";
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
