package dev.towerless.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the nightly repair remembers of the job_filters entries it read, and what it finds unclaimed. */
class ListedEntriesTest {

    @Test
    void anEntryReadIsClaimedOnceItsJobHasItAndTheRestAreUnclaimed() {
        ListedEntries listed = new ListedEntries();
        for (long id = 1; id <= 3_000; id++) { // past the first array's 1,024: it grows
            listed.add("job#inventory#" + (id % 7), id);
        }
        listed.add("job#launch#manual", 5);
        listed.seal();
        for (long id = 1; id <= 3_000; id++) {
            if (id != 700) {
                assertThat(listed.claim("job#inventory#" + (id % 7), id)).isTrue();
            }
        }
        assertThat(listed.claim("job#inventory#3", 5)).as("job 5 is listed under inventory 5, not 3").isFalse();
        assertThat(listed.claim("job#project#1", 5)).as("a key never read").isFalse();
        List<String> unclaimed = new ArrayList<>();
        listed.unclaimed((key, id) -> unclaimed.add(key + "|" + id));
        assertThat(unclaimed).containsExactlyInAnyOrder("job#inventory#0|700", "job#launch#manual|5");
    }

    @Test
    void anIdNoJobCanHaveIsLeftAloneRatherThanFailingTheRepair() {
        ListedEntries listed = new ListedEntries();
        listed.add("job#inventory#1", 1L << 40);
        listed.add("job#inventory#1", -3);
        listed.add("job#inventory#1", 9);
        listed.seal();
        assertThat(listed.claim("job#inventory#1", 1L << 40)).isFalse();
        List<Long> unclaimed = new ArrayList<>();
        listed.unclaimed((key, id) -> unclaimed.add(id));
        assertThat(unclaimed).as("neither claimed nor deleted: not kept").containsExactly(9L);
    }
}
