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
    void shouldCountThePostgresBackendsThePostmasterReapedSoThatAnEndedBackendKeepsItsTime() {
        // given the postmaster (utime 100, stime 20 ticks) that reaped backends worth 900 + 80 ticks (cutime, cstime)
        String postmaster = "77 (postgres) S 1 77 77 0 -1 4194560 100 0 0 0 100 20 900 80 20 0 1 0 500 1000 200";

        // when
        double seconds = CpuClock.withReapedChildren(postmaster);

        // then its own 1.2 s and the ended backends' 9.8 s both count
        assertThat(seconds).isCloseTo(11.0, within(1e-9));
    }

    @Test
    void shouldReadThisProcessAndCountOnlyWhatWasSpentBetweenTwoReadings(@org.junit.jupiter.api.io.TempDir Path pids)
            throws Exception {
        // given a reading with no stack running (no pid files): only the bench itself and any postgres are read
        Map<String, Double> before = CpuClock.read(pids);
        // spin until this thread itself has had 300 ms of CPU: wall time would give less on a loaded machine
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long x = 0;
        long until = threads.getCurrentThreadCpuTime() + 300_000_000L;
        while (threads.getCurrentThreadCpuTime() < until) {
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
