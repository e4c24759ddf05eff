package io.apexaudition.core;

import io.apexaudition.core.judging.JudgePrompts;
import io.apexaudition.events.JudgingRubric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RubricConfigTest {
    static final Path RUBRIC = Configs.CONFIG.resolve("judging/rubric.yaml");

    @Test
    void shouldReadTheShippedRubricWithItsFiveCriteriaAndBothInstructions() {
        JudgingRubric rubric = RubricConfig.load(RUBRIC);

        assertThat(rubric.name()).isEqualTo("creative-writing-v1");
        assertThat(rubric.criterionNames()).containsExactly("imagery", "voice", "structure", "prompt_fit",
                "originality");
        assertThat(rubric.scaleMin()).isEqualTo(1);
        assertThat(rubric.scaleMax()).isEqualTo(10);
        assertThat(rubric.pairwiseInstruction()).contains("A and B");
        assertThat(RubricConfig.problems(rubric)).isEmpty();
    }

    @Test
    void shouldRegisterTheShippedJudgeLanesAsValidLanes() {
        LaneConfig judges = LaneConfig.load(Configs.CONFIG.resolve("judging/judges.yaml"));

        assertThat(judges.lanes()).extracting(LaneDefinition::slug).containsExactly("judge.4o", "judge.sonnet");
        assertThat(new LaneValidator(Configs.catalog()).validate(judges.lanes())).isEmpty();
    }

    @Test
    void shouldNameEveryProblemOfABadRubricAndItsFix(@TempDir Path dir) throws IOException {
        // given a rubric with an upside-down scale, a criterion named twice and one without a description
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                name: bad
                scale: {min: 10, max: 1}
                instruction: Judge it.
                criteria:
                  - {name: voice, description: "a voice"}
                  - {name: Voice, description: "again"}
                  - {name: "two words", description: ""}
                answer_format: JSON
                """);

        // then loading it names each problem
        assertThatThrownBy(() -> RubricConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad.yaml is not a usable rubric")
                .hasMessageContaining("'scale' must run from a minimum up to a larger maximum, not 10..1")
                .hasMessageContaining("criterion 'Voice' is named twice")
                .hasMessageContaining("criterion 'two words' is not a plain name")
                .hasMessageContaining("criterion 'two words' has no description")
                .hasMessageContaining("'pairwise' needs an instruction and an answer_format");
    }

    @Test
    void shouldRefuseAnUnknownKeyAsATypo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, Files.readString(RUBRIC).replace("answer_format:", "answer_fromat:"));

        assertThatThrownBy(() -> RubricConfig.load(file)).hasMessageContaining("unknown key 'answer_fromat'");
    }

    @Test
    void shouldRefuseControlCharactersInARubricSentByHand() {
        JudgingRubric rubric = new JudgingRubric("r", "Judge\u0000 it", List.of(new JudgingRubric.Criterion("a", "b")),
                1, 5, "JSON", "Compare", "JSON");

        assertThat(RubricConfig.problems(rubric)).singleElement().asString()
                .contains("the rubric's instruction holds the control character");
        assertThat(RubricConfig.problems(null)).singleElement().asString().contains("has no rubric");
    }

    @Test
    void shouldBuildABlindJudgeRequestWhoseContextIsTheSameForEveryPieceOfAPass() {
        JudgingRubric rubric = RubricConfig.load(RUBRIC);

        String context = JudgePrompts.rubricContext(rubric);
        String one = JudgePrompts.rubricPrompt("Write a sonnet.", "Piece one");
        String pair = JudgePrompts.pairwisePrompt("Write a sonnet.", "First piece", "Second piece");

        assertThat(context).startsWith(JudgePrompts.RUBRIC_MARKER + "\n")
                .contains("- imagery: Concrete", "- originality: Surprises", "integer from 1 to 10");
        assertThat(JudgePrompts.pairwiseContext(rubric)).startsWith(JudgePrompts.PAIRWISE_MARKER + "\n")
                .contains("\"winner\"");
        assertThat(one).contains("Write a sonnet.", JudgePrompts.PIECE + "\nPiece one\n" + JudgePrompts.END);
        assertThat(pair.indexOf("First piece")).isGreaterThan(pair.indexOf(JudgePrompts.PIECE_A))
                .isLessThan(pair.indexOf(JudgePrompts.PIECE_B));
        assertThat(pair.indexOf("Second piece")).isGreaterThan(pair.indexOf(JudgePrompts.PIECE_B));
    }
}
