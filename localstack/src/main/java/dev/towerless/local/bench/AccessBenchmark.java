package dev.towerless.local.bench;

import static dev.towerless.local.bench.BenchmarkReport.ms;

import dev.towerless.api.auth.Authenticator;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What an access check costs as the number of objects grows. One organization of job templates
 * (with their projects and inventories), grown from 10 to 10,000; a user who may run five of them
 * through a team; and, at each size, (1) the check itself as every request makes it (the user's
 * roles and teams read, then "may they see and run this template"), counted in store calls and
 * timed, and (2) over HTTP: that template's detail, and the first page of {@code job_templates/}
 * for that user and for a superuser.
 */
final class AccessBenchmark {
    private static final int[] SIZES = {10, 1_000, 10_000};
    private static final int ROUNDS = 50;

    private final EmbeddedStack stack;
    private final ResourceStore resources;
    private final JobStore jobs;
    private final ApiClient admin;
    private long org;
    private long project;
    private long inventory;
    private final List<Long> templates = new ArrayList<>();

    private AccessBenchmark(EmbeddedStack stack) {
        this.stack = stack;
        this.resources = stack.context().getBean(ResourceStore.class);
        this.jobs = stack.context().getBean(JobStore.class);
        this.admin = new ApiClient(stack.apiUrl(), stack.adminToken());
    }

    static String run(EmbeddedStack stack) throws Exception {
        return new AccessBenchmark(stack).measure();
    }

    private String measure() throws Exception {
        org = resources.create(ResourceTypes.ORGANIZATION, Map.of("name", "access-bench")).id();
        project = resources.create(ResourceTypes.PROJECT, Map.of("name", "bench", "organization", org,
                "scm_type", "git", "scm_url", "file:///nonexistent")).id();
        inventory = resources.create(ResourceTypes.INVENTORY, Map.of("name", "bench", "organization", org)).id();
        Resource team = resources.create(ResourceTypes.TEAM, Map.of("name", "runners", "organization", org));
        Resource user = resources.create(ResourceTypes.USER, Map.of("username", "runner", "is_superuser", false));
        Memberships memberships = new Memberships(resources, jobs);
        memberships.grant(user, Role.of(ResourceTypes.TEAM, team.id(), RoleCatalogue.MEMBER));
        grow(10);
        for (int i = 0; i < 5; i++) {
            memberships.grantToTeam(resources.get(ResourceTypes.TEAM, team.id()).orElseThrow(),
                    Role.of(ResourceTypes.JOB_TEMPLATE, templates.get(i * 2), RoleCatalogue.EXECUTE));
        }
        long checked = templates.get(4);
        String userToken = stack.context().getBean(Authenticator.class)
                .issue(resources.get(ResourceTypes.USER, user.id()).orElseThrow(), "bench", "write").token();
        ApiClient asUser = new ApiClient(stack.apiUrl(), userToken);

        StringBuilder rows = new StringBuilder();
        for (int size : SIZES) {
            grow(size);
            Metered metered = new Metered();
            Memberships counted = new Memberships(metered.wrap(ResourceStore.class, resources), metered.wrap(JobStore.class, jobs));
            List<Double> checkMs = new ArrayList<>();
            long calls = 0;
            for (int i = 0; i < ROUNDS; i++) {
                metered.reset();
                long t0 = System.nanoTime();
                Resource u = resources.get(ResourceTypes.USER, user.id()).orElseThrow(); // the authenticator reads the user
                Access a = counted.accessFor(u, true);
                Resource jt = a.lookup().find(ResourceTypes.JOB_TEMPLATE, checked).orElseThrow();
                boolean ok = AccessPolicies.JOB_TEMPLATES.canSee(a, jt) && AccessPolicies.JOB_TEMPLATES.canStart(a, jt)
                        && !AccessPolicies.JOB_TEMPLATES.canChange(a, jt, Map.of());
                checkMs.add((System.nanoTime() - t0) / 1e6);
                calls = metered.calls.get() + 1;
                if (!ok) {
                    throw new IllegalStateException("the benchmark user should run, not change, template " + checked);
                }
            }
            List<Double> detail = timed(() -> require(asUser.get("job_templates/" + checked + "/"), 200, -1));
            List<Double> userList = timed(() -> require(asUser.get("job_templates/?page_size=20"), 200, 5));
            List<Double> adminList = timed(() -> require(admin.get("job_templates/?page_size=20"), 200, templates.size()));
            rows.append("| ").append(String.format(java.util.Locale.ROOT, "%,d", templates.size())).append(" | ")
                    .append(calls).append(" | ").append(ms(Benchmarks.percentile(checkMs, 50))).append(" / ")
                    .append(ms(Benchmarks.percentile(checkMs, 99))).append(" | ")
                    .append(ms(Benchmarks.percentile(detail, 50))).append(" | ")
                    .append(ms(Benchmarks.percentile(userList, 50))).append(" / ").append(ms(Benchmarks.percentile(userList, 99)))
                    .append(" | ").append(ms(Benchmarks.percentile(adminList, 50))).append(" / ")
                    .append(ms(Benchmarks.percentile(adminList, 99))).append(" | ")
                    .append(String.format(java.util.Locale.ROOT, "%.2f×",
                            Benchmarks.percentile(userList, 50) / Benchmarks.percentile(adminList, 50))).append(" |\n");
        }
        return "## Access checks as objects grow (" + BenchmarkReport.today() + ")\n\n"
                + "One organization of job templates, grown from 10 to 10,000. The user may run 5 of them through a team. "
                + "\"Check\": what every request does before it answers, on dynalite (the user's own roles and teams read, "
                + "then \"may they see and run template N\"), over " + ROUNDS + " rounds; HTTP figures are medians (p50 / p99) "
                + "of " + ROUNDS + " requests.\n\n"
                + "| job templates | store calls per check | check p50 / p99 | `GET job_templates/N/` as the user | "
                + "`GET job_templates/` as the user (5 visible) | same list as a superuser | user ÷ superuser |\n"
                + "|---|---|---|---|---|---|---|\n" + rows
                + "\nTargets: the check costs the same at 10 and 10,000 objects (it reads the user, their team and the "
                + "template, whatever else exists); a restricted user's list within 2× of a superuser's. The user's list "
                + "reads only the templates their roles name (one batch read) and asks each one's policy; a superuser's "
                + "page is one query plus a count of the whole type, which is what grows (the reads-that-stay-fast issue).\n\n";
    }

    /** Adds job templates until there are {@code size}, 8 writers at a time. */
    private void grow(int size) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> made = new ArrayList<>();
            for (int i = templates.size(); i < size; i++) {
                int n = i;
                made.add(pool.submit(() -> {
                    Map<String, Object> f = new HashMap<>();
                    f.put("name", "jt-" + n);
                    f.put("project", project);
                    f.put("inventory", inventory);
                    f.put("organization", org);
                    f.put("playbook", "hello.yml");
                    f.put("created", "2026-12-01T00:00:00Z");
                    f.put("modified", "2026-12-01T00:00:00Z");
                    return resources.create(ResourceTypes.JOB_TEMPLATE, f).id();
                }));
            }
            for (Future<Long> f : made) {
                templates.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void require(ApiClient.Response r, int status, int count) {
        if (r.status() != status) {
            throw new IllegalStateException("answered " + r.status() + ": " + r.body());
        }
        if (count >= 0 && ((Number) r.json().get("count")).intValue() != count) {
            throw new IllegalStateException("expected " + count + " in the list: " + r.body().substring(0, 200));
        }
    }

    private static List<Double> timed(Runnable request) {
        request.run(); // warm
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            request.run();
            out.add((System.nanoTime() - t0) / 1e6);
        }
        return out;
    }

}
