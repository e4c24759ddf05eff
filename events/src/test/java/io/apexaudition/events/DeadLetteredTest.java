package io.apexaudition.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetteredTest {
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void shouldNameTheSameParkedRecordWithTheSameIdSoARereadParksItOnce() {
        // given a record parked once, then again after a restart re-read it
        DeadLettered first = DeadLettered.parked("poller-service", "apex.batches", 3, 42, "k", "bad", "{", AT);
        DeadLettered again = DeadLettered.parked("poller-service", "apex.batches", 3, 42, "k", "bad", "{",
                AT.plusSeconds(60));

        // then both carry one id
        assertThat(again.eventId()).isEqualTo(first.eventId());
    }

    @Test
    void shouldKeepTwoConsumersParkingOneRecordAsTwoDeadLetters() {
        DeadLettered byRecorder = DeadLettered.parked("recorder-service", "apex.batches", 3, 42, "k", "bad", "{", AT);
        DeadLettered byPoller = DeadLettered.parked("poller-service", "apex.batches", 3, 42, "k", "bad", "{", AT);
        DeadLettered nextRecord = DeadLettered.parked("poller-service", "apex.batches", 3, 43, "k", "bad", "{", AT);

        assertThat(byRecorder.eventId()).isNotEqualTo(byPoller.eventId());
        assertThat(nextRecord.eventId()).isNotEqualTo(byPoller.eventId());
    }

    @Test
    void shouldGiveARecordWithoutAPositionAnIdOfItsOwn() {
        DeadLettered one = DeadLettered.parked("planner-service", "apex.run-commands", -1, -1, null, "bad", null, AT);
        DeadLettered two = DeadLettered.parked("planner-service", "apex.run-commands", -1, -1, null, "bad", null, AT);

        assertThat(one.eventId()).isNotEqualTo(two.eventId());
        assertThat(one.partition()).isEqualTo(-1);
    }
}
