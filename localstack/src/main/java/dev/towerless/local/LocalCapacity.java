package dev.towerless.local;

import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The local stack's default instance group sized for this machine, so a burst of jobs queues
 * instead of swapping: on one machine every job is a runner JVM (96–180 MB measured) plus its
 * ansible forks, unlike on AWS where each is its own Fargate task and the groups' budgets are
 * whatever the operator set.
 *
 * <p>{@code max_forks} is AWX's instance capacity (awx/main/utils/common.py, research §3.1):
 * {@code cpu_capacity = max(1, int(cpu × 4))}, {@code mem_capacity = max(1, (memory − 2 GiB) / MiB
 * // 100)}, capacity the larger of the two ({@code capacity_adjustment} 1.0). AWX counts only the
 * forks; here each job also holds a JVM, so {@code max_concurrent_jobs} is the same free memory
 * in {@link #RUNNER_MIB} slices. {@code SYSTEM_TASK_ABS_CPU} and {@code SYSTEM_TASK_ABS_MEM}
 * override what is measured, as in AWX ("1500m", "8Gi", "512M" …).
 */
public record LocalCapacity(long maxForks, long maxConcurrentJobs, double cpus, long memoryBytes) {
    private static final long MIB = 1024L * 1024;
    private static final long RESERVE = 2048 * MIB;
    /** A runner JVM (up to 180 MB measured) and ansible's controller process, rounded up. */
    public static final long RUNNER_MIB = 256;

    public static LocalCapacity of(double cpus, long memoryBytes) {
        long cpuCapacity = Math.max(1, (long) (cpus * 4));
        long free = Math.max(0, memoryBytes - RESERVE);
        long memCapacity = Math.max(1, free / MIB / 100);
        return new LocalCapacity(Math.max(cpuCapacity, memCapacity), Math.max(1, free / MIB / RUNNER_MIB), cpus, memoryBytes);
    }

    /** This machine's, or the overrides {@code env} names. */
    public static LocalCapacity measured(Function<String, Optional<String>> env) {
        double cpus = env.apply("SYSTEM_TASK_ABS_CPU").map(LocalCapacity::parseCpu)
                .orElse((double) Runtime.getRuntime().availableProcessors());
        long memory = env.apply("SYSTEM_TASK_ABS_MEM").map(LocalCapacity::parseMemory).orElseGet(() ->
                ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize());
        return of(cpus, memory);
    }

    /** AWX's convert_cpu_str_to_decimal_cpu: "1500m" is 1.5; at least 0.1, rounded to 0.1. */
    static double parseCpu(String s) {
        String t = s.trim();
        double v = t.endsWith("m") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 1000 : Double.parseDouble(t);
        return Math.max(0.1, Math.round(v * 10) / 10.0);
    }

    /** AWX's convert_mem_str_to_bytes: Ki/Mi/Gi/Ti (binary), K/M/G/T (decimal), or bytes. */
    static long parseMemory(String s) {
        String t = s.trim();
        String[][] units = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
                {"K", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"T", "1000000000000"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                return (long) (Double.parseDouble(t.substring(0, t.length() - u[0].length())) * Long.parseLong(u[1]));
            }
        }
        return Long.parseLong(t);
    }

    /**
     * Gives the default group this capacity if it is still the unlimited one Bootstrap creates;
     * a group an operator has changed is left as it is. Returns whether it changed.
     */
    public boolean applyTo(ResourceStore resources, long defaultGroup) {
        Optional<Resource> g = resources.get(ResourceTypes.INSTANCE_GROUP, defaultGroup);
        if (g.isEmpty() || number(g.get(), "max_forks") != 0 || number(g.get(), "max_concurrent_jobs") != 0) {
            return false;
        }
        return resources.update(ResourceTypes.INSTANCE_GROUP, defaultGroup,
                Map.of("max_forks", maxForks, "max_concurrent_jobs", maxConcurrentJobs)).isPresent();
    }

    private static long number(Resource r, String field) {
        return r.get(field) instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d forks, %d jobs at once (%.1f CPUs, %d MiB)", maxForks, maxConcurrentJobs,
                cpus, memoryBytes / MIB);
    }
}
