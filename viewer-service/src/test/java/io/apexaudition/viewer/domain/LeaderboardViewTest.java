package io.apexaudition.viewer.domain;

import io.apexaudition.viewer.domain.LeaderboardView.Advice;
import io.apexaudition.viewer.domain.LeaderboardView.Judgments;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LeaderboardViewTest {

    @Test
    void shouldSayWhatToRunWhenNothingIsRankedYet() {
        Advice pending = LeaderboardView.nothingJudged("r", List.of("r.judge-1"), false, new Judgments(0, 3, 1));
        assertThat(pending.message()).contains("3 judge request(s) without an answer yet");
        assertThat(pending.command()).isEqualTo("apex status r.judge-1");

        Advice unreadable = LeaderboardView.nothingJudged("r", List.of("r.judge-1"), false, new Judgments(0, 0, 2));
        assertThat(unreadable.message()).contains("only unreadable judge answers (2)");
        assertThat(unreadable.command()).isEqualTo("apex retry r.judge-1 --wait");

        Advice dry = LeaderboardView.nothingJudged("r", List.of("r.judge-2"), true, new Judgments(0, 0, 0));
        assertThat(dry.message()).contains("Judging run r.judge-2 has no judgments of run r", "dry run");

        Advice never = LeaderboardView.nothingJudged("r", List.of(), false, new Judgments(0, 0, 0));
        assertThat(never.message()).contains("has not been judged", "config/judging/judges.yaml");
        assertThat(never.command()).isEqualTo("apex judge r --judge-lane judge.4o --pairwise --batch-mode --wait");
    }

    @Test
    void shouldSeedTheIntervalsAsTheCliDoes() {
        assertThat(LeaderboardView.seed("r", List.of("r.judge-1", "r.judge-2")))
                .isEqualTo("leaderboard\nr\nr.judge-1,r.judge-2");
    }
}
