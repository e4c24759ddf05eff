package io.apexaudition.cli.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the start-up against history is judged and said: a miss says by how much. */
class HistoryStartupTest {
    private static final HistoryStartup.Service POLLER = HistoryStartup.SERVICES.get(1);

    @Test
    void shouldSayByHowMuchATimeAndAMemoryTargetAreMissed() {
        // given a start that took 62.9 s and 271 MB where the empty one took 12.8 s and 177 MB
        HistoryStartup.Start start = new HistoryStartup.Start(8.2, 62.9, 271, null);

        // when it is judged
        String verdict = HistoryStartup.verdict(POLLER, start, 177, 12.8);

        // then both misses say by how much, against the target and against the empty start
        assertThat(verdict).contains("62.9 s, target <= 10 s MISSED by 52.9 s (6.3x the target, 4.9x the empty start)")
                .contains("271 MB, target <= 195 MB (empty 177 MB + 10%) MISSED by 76 MB (1.53x empty)");
    }

    @Test
    void shouldCountTheLaterOfReadinessAndCatchingUpAsReadyToWork() {
        // given a service ready before it has read the history, and one caught up before it is ready
        HistoryStartup.Start readyFirst = new HistoryStartup.Start(8.2, 62.9, 180, null);
        HistoryStartup.Start caughtUpFirst = new HistoryStartup.Start(9.0, 8.9, 180, null);

        // then each is ready to work at the later of the two, and within 10% of 170 MB is met
        assertThat(readyFirst.workingSeconds()).isEqualTo(62.9);
        assertThat(HistoryStartup.verdict(POLLER, caughtUpFirst, 170, 9.0)).contains("9.0 s, target <= 10 s met")
                .contains("180 MB, within 10% of empty (170 MB): met");
    }

    @Test
    void shouldJudgeAServiceThatNeverCaughtUpAMissOutright() {
        // given a dispatcher whose tail ran out of heap
        HistoryStartup.Start failed = new HistoryStartup.Start(Double.NaN, 77.7, 279, "java.lang.OutOfMemoryError");

        // then it is a miss outright, with its memory until then
        assertThat(HistoryStartup.verdict(HistoryStartup.SERVICES.get(0), failed, 175, 14.5))
                .contains("never ready to work (java.lang.OutOfMemoryError), target <= 10 s MISSED outright")
                .contains("279 MB, target <= 193 MB");
    }
}
