package io.apexaudition.dispatcher.domain;

import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.Providers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LaneGroupStateTest {
    private static final String GROUP = "run-1/4o.t0-8/1";

    private static DispatchIntended intent(String id, int secondsIn, String... customIds) {
        return new DispatchIntended("e-" + id, 1, Instant.parse("2026-12-02T00:00:00Z").plusSeconds(secondsIn), id,
                Providers.OPENAI, "run-1", "4o.t0-8", "gpt-4o", DispatchIntended.Kind.BATCH, 0, List.of(customIds));
    }

    private static BatchSubmitted submitted(String intentId, String batchId) {
        return new BatchSubmitted("e-b-" + batchId, 1, Instant.EPOCH, batchId, Providers.OPENAI, "run-1", "gpt-4o",
                intentId, "file-1", List.of());
    }

    private static DispatchSettled settled(String intentId, DispatchSettled.Resolution resolution) {
        return new DispatchSettled("e-s-" + intentId, 1, Instant.EPOCH, intentId, Providers.OPENAI, "run-1", false,
                "settled", resolution);
    }

    @Test
    void shouldCountAsFinishedOnlyTheIdsOfSubmittedOrSettledIntentsNotThoseInDoubt() {
        // given a group with one submitted intent, one settled as a refusal, and one in doubt
        LaneGroupState state = LaneGroupState.empty(GROUP, 41)
                .with(intent("i-1", 0, "g1-a1", "g2-a1")).with(submitted("i-1", "b-1"))
                .with(intent("i-2", 1, "g3-a1")).with(settled("i-2", null))
                .with(intent("i-3", 2, "g4-a1"));

        // then the ids of the first two are finished, the third's is in doubt and not finished
        LaneGroup.Finished finished = state.finished();
        assertThat(finished.count()).isEqualTo(3);
        assertThat(List.of("g1-a1", "g2-a1", "g3-a1")).allMatch(finished.contains());
        assertThat(finished.contains().test("g4-a1")).isFalse();
        assertThat(state.inDoubt()).extracting(DispatchIntended::intentId).containsExactly("i-3");
        assertThat(state.settled()).isFalse();
    }

    @Test
    void shouldGiveACustomIdToTheNewestIntentNamingItWhateverOrderTheyWereWrittenIn() {
        // given a request whose first intent was found never created and sent again under a newer intent, read
        // newest first
        LaneGroupState state = LaneGroupState.empty(GROUP, 7)
                .with(intent("i-new", 90, "g1-a1")).with(submitted("i-new", "b-2"))
                .with(intent("i-old", 10, "g1-a1")).with(settled("i-old", DispatchSettled.Resolution.NOT_CREATED));

        // then it belongs to the newer, submitted one: finished, never pending again
        assertThat(state.intentOf("g1-a1")).get().extracting(i -> i.intended().intentId()).isEqualTo("i-new");
        assertThat(state.finished().contains().test("g1-a1")).isTrue();
        assertThat(state.settled()).isTrue();
    }

    @Test
    void shouldLeaveANotCreatedIntentsIdsUnfinishedSoTheyGoOutAgain() {
        LaneGroupState state = LaneGroupState.empty(GROUP, 7)
                .with(intent("i-1", 0, "g1-a1")).with(settled("i-1", DispatchSettled.Resolution.NOT_CREATED));

        assertThat(state.finished()).isSameAs(LaneGroup.Finished.NONE);
        assertThat(state.inDoubt()).isEmpty();
    }

    @Test
    void shouldReadBackWhatItWroteWithEveryFate() {
        LaneGroupState state = LaneGroupState.empty(GROUP, 12)
                .with(intent("i-1", 0, "g1-a1")).with(submitted("i-1", "b-1"))
                .with(intent("i-2", 1, "g2-a1")).with(settled("i-2", DispatchSettled.Resolution.UNKNOWN_OUTCOME))
                .with(intent("i-3", 2, "g3-a1"));

        assertThat(LaneGroupState.read(GROUP, state.toBytes())).isEqualTo(state);
    }

    @Test
    void shouldRefuseAnUnreadableEntryNamingItRatherThanForgetTheIntentsItHolds() {
        // given entries no dispatcher wrote: malformed, a newer schema, another group's, empty, not an object, a
        // null custom id
        byte[] newer = ("{\"schemaVersion\":99,\"groupKey\":\"" + GROUP + "\",\"lastOffset\":1,\"intents\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] other = LaneGroupState.empty("run-2/x/1", 1).toBytes();
        // an intent naming a null custom id: the ledger's indexes could not hold it
        byte[] nullId = new String(LaneGroupState.empty(GROUP, 1).with(intent("i-1", 0, "g1-a1")).toBytes(),
                StandardCharsets.UTF_8).replace("\"g1-a1\"", "null").getBytes(StandardCharsets.UTF_8);
        for (byte[] garbage : new byte[][] {"{\"groupKey\": oops".getBytes(StandardCharsets.UTF_8), newer, other,
                new byte[0], "[1,2]".getBytes(StandardCharsets.UTF_8), nullId}) {
            // when each is read, then the read fails naming the entry: a skipped entry could hide an intent in doubt
            assertThatThrownBy(() -> LaneGroupState.read(GROUP, garbage))
                    .as(new String(garbage, StandardCharsets.UTF_8))
                    .isInstanceOf(LaneGroupState.UnreadableStateException.class)
                    .hasMessageContaining("'" + GROUP + "'").hasMessageContaining("paid for twice");
        }
    }
}
