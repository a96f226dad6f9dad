package dev.towerless.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The local default group's size follows AWX's capacity formula over this machine. */
class LocalCapacityTest {
    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void memoryBoundsForksAsAwxDoesAndJobsByRunnerSize() {
        LocalCapacity c = LocalCapacity.of(2, 8 * GIB);
        assertThat(c.maxForks()).as("(8 GiB − 2 GiB) / MiB // 100").isEqualTo(61);
        assertThat(c.maxConcurrentJobs()).as("6 GiB in 256 MiB runners").isEqualTo(24);
    }

    @Test
    void cpuWinsWhenItIsTheLarger() {
        LocalCapacity c = LocalCapacity.of(16, 3 * GIB);
        assertThat(c.maxForks()).as("16 × 4 beats 1 GiB / 100 MiB").isEqualTo(64);
        assertThat(LocalCapacity.of(1, GIB).maxForks()).as("never below the CPU's 4").isEqualTo(4);
        assertThat(LocalCapacity.of(1, GIB).maxConcurrentJobs()).as("at least one job").isEqualTo(1);
    }

    @Test
    void awxsOverridesAreRead() {
        Map<String, String> env = Map.of("SYSTEM_TASK_ABS_CPU", "1500m", "SYSTEM_TASK_ABS_MEM", "4Gi");
        LocalCapacity c = LocalCapacity.measured(k -> Optional.ofNullable(env.get(k)));
        assertThat(c.cpus()).isEqualTo(1.5);
        assertThat(c.memoryBytes()).isEqualTo(4 * GIB);
        assertThat(c.maxForks()).isEqualTo(20);
        assertThat(LocalCapacity.parseMemory("512M")).isEqualTo(512_000_000L);
    }

    @Test
    void aBurstOf500JobsOnThisMachineQueuesWithinItsMemory() {
        LocalCapacity here = LocalCapacity.measured(k -> Optional.empty());
        assertThat(here.maxConcurrentJobs()).as(here.toString()).isLessThan(500);
        assertThat(here.maxConcurrentJobs() * 180L * 1024 * 1024).as("the runners' JVMs fit in memory")
                .isLessThan(here.memoryBytes());
    }
}
