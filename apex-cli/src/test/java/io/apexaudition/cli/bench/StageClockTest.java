package io.apexaudition.cli.bench;

import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneGroupRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunMode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench's fan-out clock counts requests, not records: a lane group's record counts as the requests it carries. */
class StageClockTest {

    @Test
    void shouldCountALaneGroupsRecordAsItsRequestsAndAnyOtherRecordAsOne() {
        // given a lane of 1,203 requests as the planner publishes it (two records), and an older single request
        List<GenerationRequested> lane = new ArrayList<>();
        Instant at = Instant.parse("2026-12-05T03:00:00Z");
        for (int i = 0; i < 1_203; i++) {
            String id = EventIds.generationId("run-b", "4o.t0-6", "p" + i, 1);
            lane.add(new GenerationRequested("e-" + i, 1, at, "run-b", id, 1, "c", "4o.t0-6", Providers.OPENAI,
                    "gpt-4o", "gpt-4o", new LaneParameters(0.6, 100, null, null, null), "p" + i, 1, null, null, 1,
                    RunMode.BATCH, false, false, true, 1_203));
        }
        List<byte[]> records = LaneGroupRequested.pack(lane).stream().map(EventJson::writeBytes).toList();

        // when the clock counts them
        long counted = records.stream().mapToLong(StageClock::requests).sum();

        // then it counts every request once, a single request as one, and an unreadable record as the one it is
        assertThat(records).hasSize(2);
        assertThat(counted).isEqualTo(1_203);
        assertThat(StageClock.requests(EventJson.writeBytes(lane.get(0)))).isEqualTo(1);
        assertThat(StageClock.requests("{\"type\":\"LaneGroupRequested\",oops".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(1);
    }
}
