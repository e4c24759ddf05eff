package io.apexaudition.simulator.domain;

import io.apexaudition.simulator.JudgeTexts;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class JudgeRequestTest {
    private static final String PIECE = "Salt Lantern Harbor\n\nThe keeper walked the road.\n\n=== not a marker ===\n"
            + "She waited by the door.";

    @Test
    void shouldReadARubricRequestsCriteriaScaleAndPiece() {
        // when a rubric request is read
        Optional<JudgeRequest> read = JudgeRequest.read(JudgeTexts.rubricContext(),
                JudgeTexts.rubricPrompt("Write a sonnet about a harbor.", PIECE));

        // then it names the shipped criteria, the scale and the whole piece
        assertThat(read).hasValueSatisfying(r -> {
            assertThat(r.kind()).isEqualTo(JudgeRequest.Kind.RUBRIC);
            assertThat(r.criteria()).containsExactly("imagery", "voice", "structure", "prompt_fit", "originality");
            assertThat(r.scaleMin()).isEqualTo(1);
            assertThat(r.scaleMax()).isEqualTo(10);
            assertThat(r.pieces()).containsExactly(PIECE);
        });
    }

    @Test
    void shouldReadAnotherScaleAndCriteria() {
        Optional<JudgeRequest> read = JudgeRequest.read(
                JudgeTexts.rubricContext(JudgeTexts.criteria("pace", "Moves", "wit", "Funny: at times"), 0, 4),
                JudgeTexts.rubricPrompt("A joke.", "Knock knock."));

        assertThat(read).hasValueSatisfying(r -> {
            assertThat(r.criteria()).containsExactly("pace", "wit");
            assertThat(r.scaleMin()).isZero();
            assertThat(r.scaleMax()).isEqualTo(4);
        });
    }

    @Test
    void shouldReadBothPiecesOfAPairwiseRequest() {
        Optional<JudgeRequest> read = JudgeRequest.read(JudgeTexts.pairwiseContext(),
                JudgeTexts.pairwisePrompt("Write about rain.", PIECE, "Rain Rain\n\nIt rained."));

        assertThat(read).hasValueSatisfying(r -> {
            assertThat(r.kind()).isEqualTo(JudgeRequest.Kind.PAIRWISE);
            assertThat(r.criteria()).isEmpty();
            assertThat(r.pieces()).containsExactly(PIECE, "Rain Rain\n\nIt rained.");
        });
    }

    @Test
    void shouldReadCarriageReturnLineEndsLikeNewLines() {
        Optional<JudgeRequest> read = JudgeRequest.read(JudgeTexts.pairwiseContext().replace("\n", "\r\n"),
                JudgeTexts.pairwisePrompt("Rain.", "One.", "Two.").replace("\n", "\r\n"));

        assertThat(read).hasValueSatisfying(r -> assertThat(r.pieces()).containsExactly("One.", "Two."));
    }

    @Test
    void shouldNotTakeAnOrdinaryRequestOrAnotherVersionForAJudgeRequest() {
        assertThat(JudgeRequest.read("House style: plain words.", "Write a short story about a lighthouse."))
                .isEmpty();
        assertThat(JudgeRequest.read("", JudgeTexts.pairwisePrompt("Rain.", "One.", "Two."))).isEmpty();
        assertThat(JudgeRequest.read(JudgeTexts.pairwiseContext().replace("v1", "v2"),
                JudgeTexts.pairwisePrompt("Rain.", "One.", "Two."))).isEmpty();
    }

    @Test
    void shouldLeaveAMissingPieceEmptyAndTheScaleAtItsDefault() {
        Optional<JudgeRequest> read = JudgeRequest.read("[apex-judge:rubric v1]\nScore it.", "No markers here.");

        assertThat(read).hasValueSatisfying(r -> {
            assertThat(r.criteria()).isEmpty();
            assertThat(r.scaleMin()).isEqualTo(JudgeRequest.DEFAULT_MIN);
            assertThat(r.scaleMax()).isEqualTo(JudgeRequest.DEFAULT_MAX);
            assertThat(r.pieces()).containsExactly("");
        });
    }
}
