package io.apexaudition.simulator.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Settings.Phases MINUTES = new Settings.Phases(Duration.ofMinutes(1), Duration.ofMinutes(4),
            Duration.ofMinutes(1));

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void shouldMoveThroughEveryPhaseAsTimePasses() {
        Timeline t = new Timeline(T0, MINUTES, 4, false, 0.5, false);

        assertThat(t.phaseAt(T0)).isEqualTo(Timeline.Phase.VALIDATING);
        assertThat(t.phaseAt(at(1))).isEqualTo(Timeline.Phase.IN_PROGRESS);
        assertThat(t.phaseAt(at(5))).isEqualTo(Timeline.Phase.FINALIZING);
        assertThat(t.phaseAt(at(6))).isEqualTo(Timeline.Phase.COMPLETED);
        assertThat(t.endedAt(at(7))).isEqualTo(at(6));
        assertThat(t.doneCount(at(0))).isZero();
        assertThat(t.doneCount(at(2))).isEqualTo(1);
        assertThat(t.doneCount(at(3))).isEqualTo(2);
        assertThat(t.doneCount(at(5))).isEqualTo(4);
    }

    @Test
    void shouldEndAFailedValidationWithNothingDone() {
        Timeline t = new Timeline(T0, MINUTES, 4, false, 0.5, true);

        assertThat(t.phaseAt(T0)).isEqualTo(Timeline.Phase.VALIDATING);
        assertThat(t.phaseAt(at(1))).isEqualTo(Timeline.Phase.FAILED);
        assertThat(t.doneCount(at(10))).isZero();
    }

    @Test
    void shouldExpireAtTheEndOfProcessingWithTheConfiguredShareDone() {
        Timeline t = new Timeline(T0, MINUTES, 4, true, 0.5, false);

        assertThat(t.phaseAt(at(4))).isEqualTo(Timeline.Phase.IN_PROGRESS);
        assertThat(t.phaseAt(at(5))).isEqualTo(Timeline.Phase.EXPIRED);
        assertThat(t.doneCount(at(100))).isEqualTo(2);
    }

    @Test
    void shouldExpireNaturallyWhenProcessingOutlastsTheCompletionWindow() {
        Timeline t = new Timeline(T0, new Settings.Phases(Duration.ZERO, Duration.ofHours(48), Duration.ZERO), 4,
                false, 1.0, false);

        assertThat(t.phaseAt(T0.plus(Duration.ofHours(23)))).isEqualTo(Timeline.Phase.IN_PROGRESS);
        assertThat(t.phaseAt(T0.plus(Duration.ofHours(24)))).isEqualTo(Timeline.Phase.EXPIRED);
        assertThat(t.doneCount(T0.plus(Duration.ofHours(30)))).isEqualTo(2);
    }

    @Test
    void shouldStopCountingAtCancellationAndEndAfterTheWindDown() {
        Timeline t = new Timeline(T0, MINUTES, 4, false, 0.5, false);

        assertThat(t.cancel(at(3))).isTrue();

        assertThat(t.phaseAt(at(3))).isEqualTo(Timeline.Phase.CANCELLING);
        assertThat(t.phaseAt(at(4))).isEqualTo(Timeline.Phase.CANCELLED);
        assertThat(t.doneCount(at(10))).isEqualTo(2);
        assertThat(t.cancel(at(5))).isFalse();
    }

    @Test
    void shouldDoEverythingAtOnceWithZeroDurations() {
        Timeline t = new Timeline(T0, new Settings.Phases(Duration.ZERO, Duration.ZERO, Duration.ZERO), 3, false,
                0.5, false);

        assertThat(t.phaseAt(T0)).isEqualTo(Timeline.Phase.COMPLETED);
        assertThat(t.doneCount(T0)).isEqualTo(3);
    }
}
