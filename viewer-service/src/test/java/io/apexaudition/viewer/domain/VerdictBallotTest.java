package io.apexaudition.viewer.domain;

import io.apexaudition.events.VerdictRecorded;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerdictBallotTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final String VERDICT = "6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e";

    /** Three completed outputs and one still running, labelled as the blind page labels them. */
    private static List<LaneOutput> outputs() {
        return BlindShuffler.shuffle("run-1", "p01", List.of(output("g-4o", "4o.t1-0", "completed"),
                output("g-gpt5", "gpt5.reason-med", "completed"), output("g-opus", "opus.t0-8.std", "completed"),
                output("g-sonnet", "sonnet.t0-8.std", "submitted")));
    }

    private static LaneOutput output(String id, String lane, String status) {
        return new LaneOutput(null, id, lane, null, null, null, null, 1, status, null, null, null, null, null, null,
                null, false, null, null, null);
    }

    private static String label(String generationId) {
        return outputs().stream().filter(o -> o.generationId().equals(generationId)).findFirst().orElseThrow().label();
    }

    private static VerdictRequest pairwise(String a, String b, String winner) {
        return new VerdictRequest(VERDICT, "p01", "pairwise", a, b, winner, null, "ada", true, 4);
    }

    private static VerdictRequest ranking(List<String> ranking) {
        return new VerdictRequest(VERDICT, "p01", "ranking", null, null, null, ranking, null, true, null);
    }

    @Test
    void shouldRecordAPairwiseVerdictCastByBlindLabelsWithTheGenerationIdsBehindThem() {
        // given a blind reader who saw the gpt5 output as one label and the opus output as another
        VerdictRequest body = pairwise(label("g-gpt5"), label("g-opus").toLowerCase(), "b");

        // when the ballot is checked
        VerdictRecorded verdict = VerdictBallot.check("run-1", body, outputs(), NOW);

        // then it is recorded with the generation ids, the winner, the reader and the blind flag
        assertThat(verdict.kind()).isEqualTo(VerdictRecorded.Kind.PAIRWISE);
        assertThat(verdict.generationA()).isEqualTo("g-gpt5");
        assertThat(verdict.generationB()).isEqualTo("g-opus");
        assertThat(verdict.winner()).isEqualTo(VerdictRecorded.Winner.B);
        assertThat(verdict.verdictId()).isEqualTo(VERDICT);
        assertThat(verdict.runId()).isEqualTo("run-1");
        assertThat(verdict.key()).isEqualTo("run-1");
        assertThat(verdict.reader()).isEqualTo("ada");
        assertThat(verdict.blind()).isTrue();
        assertThat(verdict.ranking()).isEmpty();
        assertThat(verdict.occurredAt()).isEqualTo(NOW);
    }

    @Test
    void shouldGiveTheSameVerdictTheSameEventIdSoASecondSendIsRecognised() {
        VerdictRequest body = pairwise("g-4o", "g-opus", "TIE");

        VerdictRecorded first = VerdictBallot.check("run-1", body, outputs(), NOW);
        VerdictRecorded second = VerdictBallot.check("run-1", body, outputs(), NOW.plusSeconds(3));

        assertThat(second.eventId()).isEqualTo(first.eventId());
        VerdictRequest other = new VerdictRequest(UUID.randomUUID().toString(), "p01", "pairwise", "g-4o", "g-opus",
                "TIE", null, null, false, null);
        assertThat(VerdictBallot.check("run-1", other, outputs(), NOW).eventId()).isNotEqualTo(first.eventId());
    }

    @Test
    void shouldRecordARankingOfEveryCompletedOutputBestFirst() {
        VerdictRecorded verdict = VerdictBallot.check("run-1", ranking(List.of(label("g-opus"), "g-4o",
                label("g-gpt5"))), outputs(), NOW);

        assertThat(verdict.kind()).isEqualTo(VerdictRecorded.Kind.RANKING);
        assertThat(verdict.ranking()).containsExactly("g-opus", "g-4o", "g-gpt5");
        assertThat(verdict.generationA()).isNull();
        assertThat(verdict.winner()).isNull();
        assertThat(verdict.reader()).isNull();
    }

    @Test
    void shouldRefuseAVerdictWithoutIdsKindOrWinnerNamingEachProblem() {
        VerdictRequest body = new VerdictRequest(null, null, "best-of", null, null, null, null, null, null, null);

        assertThatThrownBy(() -> VerdictBallot.check("run-1", body, List.of(), NOW))
                .isInstanceOfSatisfying(VerdictRefusedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("verdictId is missing")
                            .contains("UUID"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("promptId is missing"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("kind is 'best-of'")
                            .contains("'pairwise'").contains("'ranking'"));
                });
    }

    @Test
    void shouldRefuseAPairwiseVerdictOnOneOutputAnUnknownOneOrOneNotCompleted() {
        String a = label("g-4o");

        assertThatThrownBy(() -> VerdictBallot.check("run-1", pairwise(a, a, "A"), outputs(), NOW))
                .hasMessageContaining("a and b are both " + a + ": compare two different outputs");
        assertThatThrownBy(() -> VerdictBallot.check("run-1", pairwise(a, "Lane Q", "A"), outputs(), NOW))
                .hasMessageContaining("b is 'Lane Q', which is not an output of this prompt")
                .hasMessageContaining("Lane A to Lane D");
        assertThatThrownBy(() -> VerdictBallot.check("run-1", pairwise(a, label("g-sonnet"), "A"), outputs(), NOW))
                .hasMessageContaining("which is submitted, not completed");
        assertThatThrownBy(() -> VerdictBallot.check("run-1", pairwise(a, "g-opus", "maybe"), outputs(), NOW))
                .hasMessageContaining("winner is 'maybe': use 'A'");
    }

    @Test
    void shouldNameOutputsByLabelNeverByLaneInARefusal() {
        VerdictRequest body = pairwise("g-4o", "g-4o", "A");

        assertThatThrownBy(() -> VerdictBallot.check("run-1", body, outputs(), NOW))
                .isInstanceOf(VerdictRefusedException.class)
                .hasMessageNotContaining("4o.t1-0").hasMessageContaining(label("g-4o"));
    }

    @Test
    void shouldRefuseARankingThatLeavesAnOutputOutOrNamesOneTwice() {
        String opus = label("g-opus");

        assertThatThrownBy(() -> VerdictBallot.check("run-1", ranking(List.of(opus, label("g-4o"))), outputs(), NOW))
                .hasMessageContaining("ranking leaves out " + label("g-gpt5"));
        assertThatThrownBy(() -> VerdictBallot.check("run-1", ranking(List.of(opus, opus, "g-4o", "g-gpt5")),
                outputs(), NOW)).hasMessageContaining("ranking names " + opus + " twice");
        assertThatThrownBy(() -> VerdictBallot.check("run-1", new VerdictRequest(VERDICT, "p01", "ranking", "g-4o",
                null, "A", List.of("g-4o", "g-opus", "g-gpt5"), null, true, null), outputs(), NOW))
                .hasMessageContaining("a, b and winner are only for kind 'pairwise'");
    }

    @Test
    void shouldRefuseAReaderWithControlCharactersOrAKey() {
        VerdictRequest bell = new VerdictRequest(VERDICT, "p01", "pairwise", "g-4o", "g-opus", "A", null,
                "ada\u0007", true, null);
        VerdictRequest key = new VerdictRequest(VERDICT, "p01", "pairwise", "g-4o", "g-opus", "A", null,
                "sk-proj-abcdefghijklmnop", true, null);
        VerdictRequest longName = new VerdictRequest(VERDICT, "p01", "pairwise", "g-4o", "g-opus", "A", null,
                "a".repeat(VerdictBallot.MAX_READER_CHARS + 1), true, null);

        assertThatThrownBy(() -> VerdictBallot.check("run-1", bell, outputs(), NOW))
                .hasMessageContaining("reader holds the control character U+0007");
        assertThatThrownBy(() -> VerdictBallot.check("run-1", key, outputs(), NOW))
                .hasMessageContaining("reader looks like a key").hasMessageNotContaining("abcdefghijklmnop");
        assertThatThrownBy(() -> VerdictBallot.check("run-1", longName, outputs(), NOW))
                .hasMessageContaining("reader is 201 characters long");
    }

    @Test
    void shouldRefuseAVerdictCastOnAPageThatShowedOtherOutputsAsAConflict() {
        VerdictRequest stale = new VerdictRequest(VERDICT, "p01", "pairwise", "Lane A", "Lane B", "A", null, null,
                true, 3);

        assertThatThrownBy(() -> VerdictBallot.check("run-1", stale, outputs(), NOW))
                .isInstanceOfSatisfying(VerdictRefusedException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("showed 3 outputs").contains("Reload the page");
                });
    }

    @Test
    void shouldRefuseAVerdictOnAPromptTheRunDoesNotHave() {
        VerdictRequest body = new VerdictRequest(VERDICT, "p99", "pairwise", "Lane A", "Lane B", "A", null, null,
                true, null);

        assertThatThrownBy(() -> VerdictBallot.check("run-1", body, List.of(), NOW))
                .hasMessageContaining("run 'run-1' has no output for prompt 'p99'");
    }
}
