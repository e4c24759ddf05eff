package io.apexaudition.cli.bench;

import org.junit.jupiter.api.Test;

import static io.apexaudition.cli.bench.BenchCommand.COUNT_PAUSE_MS;
import static io.apexaudition.cli.bench.BenchCommand.PROGRESS_COUNT_MS;
import static io.apexaudition.cli.bench.BenchCommand.QUIET_MS;
import static io.apexaudition.cli.bench.BenchCommand.timeToCount;
import static org.assertj.core.api.Assertions.assertThat;

/** When the bench counts a run's rows in Postgres while it waits for the run's last row. */
class BenchCommandTest {

    @Test
    void shouldCountRowsOnlyEverySoOftenWhileResultsAreStillShortOfTheRunAndArriving() {
        // given a run of 100,000 generations of which 60,000 results are on Kafka, the last one 100 ms ago
        // when the rows were counted one pause ago, just under the progress interval ago, then at it
        // then they are counted again only at the progress interval
        assertThat(timeToCount(COUNT_PAUSE_MS, 60_000, 100, true, 100_000)).isFalse();
        assertThat(timeToCount(PROGRESS_COUNT_MS - 1, 60_000, 100, true, 100_000)).isFalse();
        assertThat(timeToCount(PROGRESS_COUNT_MS, 60_000, 100, true, 100_000)).isTrue();
    }

    @Test
    void shouldCountRowsAtEveryPauseOnceEveryResultIsOnKafka() {
        // given every result of the run on Kafka (or more: a redelivery is counted too)
        // when the rows were counted one pause ago
        // then they are counted again: the last row is seen within a pause of its writing
        assertThat(timeToCount(COUNT_PAUSE_MS, 100_000, 100, true, 100_000)).isTrue();
        assertThat(timeToCount(COUNT_PAUSE_MS, 100_001, 100, true, 100_000)).isTrue();
    }

    @Test
    void shouldCountRowsAtEveryPauseWhenTheWatcherCouldBeBehindOrHasStopped() {
        // given results short of the run, counted one pause ago
        // when no result came for the quiet interval, or the watcher stopped
        // then the rows are counted at every pause: a watcher behind the recorder does not delay the last row
        assertThat(timeToCount(COUNT_PAUSE_MS, 99_300, QUIET_MS, true, 100_000)).isTrue();
        assertThat(timeToCount(COUNT_PAUSE_MS, 60_000, 100, false, 100_000)).isTrue();
        // and before the first result, quiet is not a reason: nothing can be final yet
        assertThat(timeToCount(COUNT_PAUSE_MS, 0, Long.MAX_VALUE, true, 100_000)).isFalse();
    }
}
