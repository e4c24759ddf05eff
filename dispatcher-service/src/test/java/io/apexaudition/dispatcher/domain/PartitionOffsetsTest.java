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
import java.util.Random;
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
     * Any interleaving of lane groups in a partition, dispatched as each completes, some joined again by a later wave
     * of records under their key once dispatched (a retry), parked records between them, the offset committed after
     * random polls too, and a crash at any point with a restore from the committed offset and the entries as last
     * committed: no record that can be delivered again (at or above the committed offset) belongs to a dispatched
     * wave whose group's entry is gone (it would be paid for again), no record below the committed offset belongs to
     * a wave not yet dispatched (it would be lost), the offset never moves back, and once every wave is dispatched
     * nothing is kept (the state is bounded by what is open).
     */
    @Property(tries = 3000, seed = "20261203")
    void shouldNeverLetGoOfAGroupWhoseRecordsCanBeDeliveredAgain(@ForAll("partitions") List<Integer> firstWave,
                                                                  @ForAll("retries") List<Integer> secondWave,
                                                                  @ForAll Random placing,
                                                                  @ForAll @IntRange(min = 0, max = 80) int crashAt) {
        List<String> records = withSecondWave(firstWave, secondWave, placing);
        Map<String, Integer> sizes = new HashMap<>();
        records.stream().filter(r -> !r.equals(PARKED)).forEach(r -> sizes.merge(r, 1, Integer::sum));
        Set<String> dispatched = new HashSet<>();
        // the state topic: each group's entry with the last offset it was committed with
        Map<String, Long> entries = new HashMap<>();
        long committed = 0;
        PartitionOffsets offsets = new PartitionOffsets(0);
        Map<String, Integer> arrived = new HashMap<>();
        boolean crashed = false;
        int steps = 0;
        for (long offset = 0; offset < records.size(); offset++) {
            if (!crashed && steps++ == crashAt) {
                // the process dies: the next life restores what was committed and reads again from there
                crashed = true;
                offsets = new PartitionOffsets(committed);
                for (Map.Entry<String, Long> entry : entries.entrySet()) {
                    offsets.restored(entry.getKey(), entry.getValue());
                }
                arrived.clear();
                offset = committed - 1;
                continue;
            }
            String wave = records.get((int) offset);
            if (wave.equals(PARKED)) {
                offsets.read(offset);
            } else {
                String key = keyOf(wave);
                offsets.arrived(key, offset);
                // a wave is complete once every record of it is here; a redelivered record of a wave already seen
                // through completes at once (LaneGroup.Finished counts the others), and its dispatch sends nothing
                boolean complete = dispatched.contains(wave)
                        || arrived.merge(wave, 1, Integer::sum).equals(sizes.get(wave));
                if (complete) {
                    boolean redelivered = !dispatched.add(wave);
                    offsets.done(key);
                    arrived.remove(wave);
                    if (!redelivered) {
                        // the dispatch's transaction: the group's entry (with its last offset read), the offset, and
                        // the tombstones of the entries it passes; a redelivered wave sends nothing and commits no
                        // entry, only the offset after the poll
                        entries.put(key, offsets.last(key));
                    }
                    committed = commit(offsets, committed, entries);
                    assertInvariants(records, committed, dispatched, entries.keySet());
                }
            }
            if (placing.nextInt(3) == 0 && offsets.committable() != offsets.committed()) {
                // after a poll: the offset moved (parked records, groups done), committed with its tombstones
                committed = commit(offsets, committed, entries);
                assertInvariants(records, committed, dispatched, entries.keySet());
            }
        }
        if (dispatched.size() == sizes.size()) {
            committed = commit(offsets, committed, entries);
            assertThat(committed).isEqualTo(records.size());
            assertThat(entries).isEmpty();
            assertThat(offsets.kept()).isZero();
        }
    }

    /** One transaction: the committable offset, and the tombstones of the entries it passes; returns the offset. */
    private static long commit(PartitionOffsets offsets, long committed, Map<String, Long> entries) {
        long next = offsets.committable();
        assertThat(next).as("the offset moves back from %d", committed).isGreaterThanOrEqualTo(committed);
        offsets.passedBy(next).forEach(entries::remove);
        offsets.letGo(next);
        return next;
    }

    /**
     * The partition's records, each named "group:wave": the first wave as generated, and each record of the second
     * placed at random after the last first-wave record of its group (a retry comes once its lane was dispatched).
     */
    private static List<String> withSecondWave(List<Integer> firstWave, List<Integer> secondWave, Random placing) {
        List<String> records = new ArrayList<>();
        firstWave.forEach(g -> records.add(g == PARKED_GROUP ? PARKED : g + ":1"));
        for (int g : secondWave) {
            int last = records.lastIndexOf(g + ":1");
            if (last >= 0) {
                int at = last + 1 + placing.nextInt(records.size() - last);
                records.add(at, g + ":2");
            }
        }
        return records;
    }

    private static String keyOf(String wave) {
        return "g" + wave.substring(0, wave.indexOf(':'));
    }

    private static void assertInvariants(List<String> records, long committed, Set<String> dispatched,
                                         Set<String> entries) {
        for (int o = 0; o < records.size(); o++) {
            String wave = records.get(o);
            if (wave.equals(PARKED)) {
                continue;
            }
            if (o >= committed && dispatched.contains(wave)) {
                assertThat(entries).as("%s has record %d at or above the committed offset %d", wave, o, committed)
                        .contains(keyOf(wave));
            }
            if (o < committed) {
                assertThat(dispatched).as("record %d below the committed offset %d", o, committed).contains(wave);
            }
        }
    }

    /** A record that joins no group (parked, or refused): drawn as group 6. */
    private static final int PARKED_GROUP = 6;
    private static final String PARKED = "parked";

    @Provide
    Arbitrary<List<Integer>> partitions() {
        return Arbitraries.integers().between(0, PARKED_GROUP).list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Integer>> retries() {
        return Arbitraries.integers().between(0, 5).list().ofMaxSize(12);
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
