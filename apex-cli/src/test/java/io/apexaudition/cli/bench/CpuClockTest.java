package io.apexaudition.cli.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CpuClockTest {

    @Test
    void shouldAddUserAndSystemTicksEvenWhenTheCommandNameHoldsSpacesAndParentheses() {
        // given a /proc/PID/stat line whose comm is "(java) x (y)": utime 1234 and stime 66 ticks
        String stat = "4242 ((java) x (y)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 66 0 0 20 0 30 0 500 1000 200";

        // when
        double seconds = CpuClock.parseSeconds(stat);

        // then
        assertThat(seconds).isCloseTo(13.00, within(1e-9));
    }

    @Test
    void shouldReadThisProcessAndCountOnlyWhatWasSpentBetweenTwoReadings(@org.junit.jupiter.api.io.TempDir Path pids)
            throws Exception {
        // given a reading with no stack running (no pid files): only the bench itself and any postgres are read
        Map<String, Double> before = CpuClock.read(pids);
        long x = 0;
        long until = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < until) {
            x += System.nanoTime() % 7;
        }

        // when
        Map<String, Double> spent = CpuClock.since(before, CpuClock.read(pids));

        // then
        assertThat(x).isPositive();
        assertThat(spent).containsOnlyKeys("postgres", "bench");
        assertThat(spent.get("bench")).isGreaterThan(0.1);
    }
}
