package io.apexaudition.dispatcher.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionOffsetsTest {

    @Test
    void shouldKeepAFinishedGroupsEntryWhileAnOlderGroupHoldsTheOffsetBelowItsRecords() {
        // given a partition where lane group a (offsets 0 and 2) interleaves with group b (1 and 3)
        PartitionOffsets offsets = new PartitionOffsets(0);
        offsets.arrived("a", 0);
        offsets.arrived("b", 1);
        offsets.arrived("b", 3);

        // when b is complete and dispatched first
        offsets.done("b");

        // then the offset stays at a's first record and b's entry is kept: a redelivery from 0 brings b's back
        assertThat(offsets.committable()).isZero();
        assertThat(offsets.letGo(offsets.committable())).isEmpty();

        // and once a is dispatched too, both go with the offset past every record read
        offsets.arrived("a", 2);
        offsets.done("a");
        assertThat(offsets.committable()).isEqualTo(4);
        assertThat(offsets.letGo(4)).containsExactlyInAnyOrder("a", "b");
        assertThat(offsets.kept()).isZero();
    }

    @Test
    void shouldNeverMoveTheOffsetBackWhenALaterRecordJoinsAKeptGroupAgain() {
        // given a kept group k (offsets 0 and 2, dispatched) whose entry stays while group g (offset 1) holds the
        // offset, committed at 1
        PartitionOffsets offsets = new PartitionOffsets(0);
        offsets.arrived("k", 0);
        offsets.arrived("g", 1);
        offsets.arrived("k", 2);
        offsets.done("k");
        offsets.letGo(offsets.committable());
        assertThat(offsets.committed()).isEqualTo(1);

        // when a later record joins k again (a retry under its key) and g is dispatched
        offsets.arrived("k", 3);
        offsets.done("g");

        // then the offset holds at what was committed, not at k's first record (0), which would bring back records
        // of groups whose entries went
        assertThat(offsets.committable()).isEqualTo(1);
    }

    /**
     * Any interleaving of lane groups in a partition, dispatched as each completes, with a crash at any point and a
     * restore from the committed offset and the kept entries: no record that can be delivered again (at or above the
     * committed offset) belongs to a finished group whose entry is gone (it would be paid for again), no record
     * below the committed offset belongs to a group not yet dispatched (it would be lost), and once every group is
     * dispatched nothing is kept (the state is bounded by what is open).
     */
    @Property(tries = 2000, seed = "20261202")
    void shouldNeverLetGoOfAGroupWhoseRecordsCanBeDeliveredAgain(@ForAll("partitions") List<Integer> records,
                                                                  @ForAll @IntRange(min = 0, max = 60) int crashAt) {
        Map<Integer, Integer> sizes = new HashMap<>();
        records.forEach(g -> sizes.merge(g, 1, Integer::sum));
        Set<Integer> dispatched = new HashSet<>();
        Set<Integer> entries = new HashSet<>();
        Map<Integer, Long> lastOffsets = new HashMap<>();
        long committed = 0;
        PartitionOffsets offsets = new PartitionOffsets(0);
        Map<Integer, Integer> arrived = new HashMap<>();
        boolean crashed = false;
        int steps = 0;
        for (long offset = 0; offset < records.size(); offset++) {
            if (!crashed && steps++ == crashAt) {
                // the process dies: the next life restores what was committed and reads again from there
                crashed = true;
                offsets = new PartitionOffsets(committed);
                for (int g : entries) {
                    offsets.restored("g" + g, lastOffsets.get(g));
                }
                arrived.clear();
                offset = committed - 1;
                continue;
            }
            int g = records.get((int) offset);
            offsets.arrived("g" + g, offset);
            lastOffsets.merge(g, offset, Math::max);
            entries.add(g);
            // a group is complete once every record of it is here; a redelivered record of a group already seen
            // through completes at once (LaneGroup.Finished counts the others), and its dispatch sends nothing
            boolean complete = dispatched.contains(g) || arrived.merge(g, 1, Integer::sum).equals(sizes.get(g));
            if (complete) {
                dispatched.add(g);
                offsets.done("g" + g);
                committed = offsets.committable();
                offsets.letGo(committed).forEach(k -> entries.remove(Integer.parseInt(k.substring(1))));
                arrived.remove(g);
                assertInvariants(records, committed, dispatched, entries);
            }
        }
        if (dispatched.size() == sizes.size()) {
            assertThat(committed).isEqualTo(records.size());
            assertThat(entries).isEmpty();
            assertThat(offsets.kept()).isZero();
        }
    }

    private static void assertInvariants(List<Integer> records, long committed, Set<Integer> dispatched,
                                         Set<Integer> entries) {
        for (int o = 0; o < records.size(); o++) {
            int g = records.get(o);
            if (o >= committed && dispatched.contains(g)) {
                assertThat(entries).as("group %d has record %d at or above the committed offset %d", g, o, committed)
                        .contains(g);
            }
            if (o < committed) {
                assertThat(dispatched).as("record %d below the committed offset %d", o, committed).contains(g);
            }
        }
    }

    @Provide
    Arbitrary<List<Integer>> partitions() {
        return Arbitraries.integers().between(0, 5).list().ofMinSize(1).ofMaxSize(40);
    }

    @Test
    void shouldHoldBackNothingForARecordThatJoinsNoGroup() {
        PartitionOffsets offsets = new PartitionOffsets(10);
        offsets.read(10);
        offsets.read(11);

        assertThat(offsets.committable()).isEqualTo(12);
        assertThat(new ArrayList<>(offsets.letGo(12))).isEmpty();
    }
}
