package io.apexaudition.core.judging;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RubricSummariesTest {

    @Test
    void shouldGiveTheMeanAndTheStudentTIntervalOverPrompts() {
        // given one lane scored 6, 7, 8, 9 on four prompts: mean 7.5, s = sqrt(5/3), t(0.975, 3) = 3.182446
        List<RubricScore> scores = List.of(score("p1", "j", "x", 6), score("p2", "j", "x", 7),
                score("p3", "j", "x", 8), score("p4", "j", "x", 9));

        // when
        List<CriterionSummary> summaries = RubricSummaries.summarise(scores, 0.95);

        // then
        double halfWidth = 3.182446305 * Math.sqrt(5.0 / 3) / 2;
        assertThat(summaries).singleElement().satisfies(s -> {
            assertThat(s.lane()).isEqualTo("x");
            assertThat(s.criterion()).isEqualTo("imagery");
            assertThat(s.n()).isEqualTo(4);
            assertThat(s.mean()).isCloseTo(7.5, within(1e-12));
            assertThat(s.lower()).isCloseTo(7.5 - halfWidth, within(1e-6));
            assertThat(s.upper()).isCloseTo(7.5 + halfWidth, within(1e-6));
        });
    }

    @Test
    void shouldAverageTheJudgesOfAPromptBeforeCountingPrompts() {
        // given two judges on p1 (4 and 8: 6 on average) and one judge on p2 (8)
        List<RubricScore> scores = List.of(score("p1", "a", "x", 4), score("p1", "b", "x", 8),
                score("p2", "a", "x", 8));

        // when
        CriterionSummary summary = RubricSummaries.summarise(scores, 0.95).get(0);

        // then two prompts, mean of 6 and 8, t(0.975, 1) = 12.7062 times s/sqrt(2) = 1
        assertThat(summary.n()).isEqualTo(2);
        assertThat(summary.mean()).isCloseTo(7.0, within(1e-12));
        assertThat(summary.upper() - summary.mean()).isCloseTo(12.7062047, within(1e-6));
    }

    @Test
    void shouldGiveNoIntervalForOnePromptAndSortByLaneThenCriterion() {
        List<RubricScore> scores = List.of(
                new RubricScore("p1", "j", "y", Map.of("voice", 3.0, "imagery", 5.0)),
                new RubricScore("p1", "j", "x", Map.of("voice", 4.0)));

        List<CriterionSummary> summaries = RubricSummaries.summarise(scores, 0.95);

        assertThat(summaries).extracting(s -> s.lane() + "/" + s.criterion())
                .containsExactly("x/voice", "y/imagery", "y/voice");
        assertThat(summaries).allSatisfy(s -> {
            assertThat(s.n()).isEqualTo(1);
            assertThat(s.lower()).isNull();
            assertThat(s.upper()).isNull();
        });
    }

    private static RubricScore score(String prompt, String judge, String lane, double imagery) {
        return new RubricScore(prompt, judge, lane, Map.of("imagery", imagery));
    }
}
