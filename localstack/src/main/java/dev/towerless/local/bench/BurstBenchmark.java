package dev.towerless.local.bench;

import dev.towerless.local.ApiClient;
import dev.towerless.local.EmbeddedStack;
import dev.towerless.local.EmulatorProcess;
import dev.towerless.local.LocalCapacity;
import dev.towerless.local.SampleRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./towerless bench burst}: the burst that twice killed the local stack's DynamoDB emulator.
 * On the stack {@code ./towerless up} runs (dynalite persisting to its LevelDB directory, the
 * default instance group sized for this machine by {@link LocalCapacity}), 100 real playbook jobs
 * are launched at once through the API by 20 clients, and awaited; three rounds in a row. What a
 * user would notice is reported: did every job end successfully, did an emulator die, how many
 * jobs ran at once (the capacity is what keeps the machine from swapping), and the least memory
 * the machine had left meanwhile.
 */
final class BurstBenchmark {
    private static final Set<String> ACTIVE = Set.of("new", "pending", "waiting", "running");

    private BurstBenchmark() {
    }

    static String run(EmbeddedStack stack, Path state, int jobs, int rounds) throws Exception {
        List<EmulatorProcess.Death> deaths = new CopyOnWriteArrayList<>();
        stack.onEmulatorDeath(deaths::add);
        LocalCapacity capacity = stack.sizeForThisMachine();
        ApiClient api = new ApiClient(stack.apiUrl(), stack.adminToken());
        String repo = SampleRepository.create(SampleRepository.sampleDir(), state.resolve("burst-sample.git"));
        long org = id(api.create("organizations/", Map.of("name", "burst")));
        long project = id(api.create("projects/", Map.of("name", "burst", "organization", org, "scm_url", repo)));
        long inventory = id(api.create("inventories/", Map.of("name", "burst", "organization", org)));
        api.create("inventories/" + inventory + "/hosts/", Map.of("name", "localhost",
                "variables", "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3"));
        await(api, List.of(project), "projects/", Duration.ofMinutes(5));
        long template = id(api.create("job_templates/", Map.of("name", "burst", "project", project, "inventory", inventory,
                "playbook", "hello.yml", "allow_simultaneous", true)));

        StringBuilder out = new StringBuilder();
        out.append("## A burst of ").append(jobs).append(" jobs, ").append(rounds).append(" rounds in a row (")
                .append(BenchmarkReport.today()).append(")\n\n")
                .append("`./towerless bench burst` (`-Dbench.jobs=").append(jobs).append(" -Dbench.rounds=").append(rounds)
                .append("`). The stack `./towerless up` runs: dynalite persisting to its LevelDB directory, fauxqs, the ")
                .append("default instance group sized for this machine (").append(capacity).append("; `SYSTEM_TASK_ABS_MEM`=")
                .append(System.getenv().getOrDefault("SYSTEM_TASK_ABS_MEM", "unset")).append("). Each round: ").append(jobs)
                .append(" launches of a real playbook (`hello.yml` on localhost) posted by 20 clients at once, then awaited. ")
                .append("Load average before the first round: ").append(load()).append(" (a 2-core machine shared with ")
                .append("other builds).\n\n")
                .append("| round | launches accepted | all finished after | successful | other ends | most seen running (sampled once a sweep) | ")
                .append("least memory available | emulator deaths |\n|---|---|---|---|---|---|---|---|\n");
        boolean allGood = true;
        for (int round = 1; round <= rounds; round++) {
            Instant start = Instant.now();
            List<Long> launched = launch(api, template, jobs);
            Sampler sampler = new Sampler(api);
            Map<String, Integer> ends = await(api, launched, "jobs/", Duration.ofMinutes(30), sampler);
            Duration took = Duration.between(start, Instant.now());
            int ok = ends.getOrDefault("successful", 0);
            Map<String, Integer> others = new TreeMap<>(ends);
            others.remove("successful");
            boolean alive = api.get("ping/").status() == 200;
            allGood &= ok == jobs && deaths.isEmpty() && alive;
            out.append("| ").append(round).append(" | ").append(launched.size()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0)).append(" | ").append(ok).append(" | ")
                    .append(others.isEmpty() ? "none" : others.toString()).append(" | ").append(sampler.maxRunning).append(" | ")
                    .append(sampler.minAvailableMib).append(" MiB | ").append(deaths.isEmpty() && alive ? "0" : deaths.toString())
                    .append(" |\n");
            System.out.println(out);
        }
        out.append("\nGoal (issue 14): every round completes with the emulators alive: **")
                .append(allGood ? "met" : "not met").append("**. The cause of the earlier deaths (dynalite exiting on a request ")
                .append("its client aborted under load) is fixed and tested (`EmulatorSurvivesAbortedRequestTest`); the ")
                .append("capacity bounds how many runner JVMs exist at once, so the rest of a burst waits in `pending`.\n\n");
        return out.toString();
    }

    private static List<Long> launch(ApiClient api, long template, int jobs) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<Future<Long>> posts = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                posts.add(clients.submit(() -> {
                    ApiClient.Response r = api.post("job_templates/" + template + "/launch/", Map.of());
                    if (r.status() != 201) {
                        throw new IllegalStateException("launch answered " + r.status() + ": " + r.body());
                    }
                    return ((Number) r.json().get("job")).longValue();
                }));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<Long> f : posts) {
                ids.add(f.get());
            }
            return ids;
        } finally {
            clients.shutdownNow();
        }
    }

    private static Map<String, Integer> await(ApiClient api, List<Long> ids, String endpoint, Duration limit) throws Exception {
        return await(api, ids, endpoint, limit, null);
    }

    private static Map<String, Integer> await(ApiClient api, List<Long> ids, String endpoint, Duration limit, Sampler sampler)
            throws Exception {
        Map<Long, String> ends = new ConcurrentHashMap<>();
        Instant deadline = Instant.now().plus(limit);
        while (ends.size() < ids.size() && Instant.now().isBefore(deadline)) {
            int running = 0;
            for (long id : ids) {
                if (ends.containsKey(id)) {
                    continue;
                }
                String status = String.valueOf(api.get(endpoint + id + "/").json().get("status"));
                if (!ACTIVE.contains(status)) {
                    ends.put(id, status);
                } else if (status.equals("running")) {
                    running++;
                }
            }
            if (sampler != null) {
                sampler.sample(running);
            }
            Thread.sleep(1000);
        }
        Map<String, Integer> counts = new TreeMap<>();
        ends.values().forEach(s -> counts.merge(s, 1, Integer::sum));
        if (ends.size() < ids.size()) {
            counts.put("still active after " + limit.toMinutes() + " min", ids.size() - ends.size());
        }
        return counts;
    }

    /** What the machine looked like during a round: jobs running at once, the least memory left. */
    private static final class Sampler {
        final ApiClient api;
        int maxRunning;
        long minAvailableMib = Long.MAX_VALUE;

        Sampler(ApiClient api) {
            this.api = api;
        }

        void sample(int running) {
            maxRunning = Math.max(maxRunning, running);
            try {
                for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                    if (line.startsWith("MemAvailable:")) {
                        long kib = Long.parseLong(line.replaceAll("\\D+", ""));
                        minAvailableMib = Math.min(minAvailableMib, kib / 1024);
                    }
                }
            } catch (java.io.IOException | NumberFormatException notLinux) {
                minAvailableMib = -1;
            }
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static long id(Map<String, Object> o) {
        return ((Number) o.get("id")).longValue();
    }
}
