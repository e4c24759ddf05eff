package io.apexaudition.dispatcher.domain;

import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunMode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LaneGroupTest {

    private static GenerationRequested request(int i, String sharedContext) {
        return new GenerationRequested("e" + i, 1, Instant.EPOCH, "run-1", "gen-" + i, 1, "cond-1", "4o.t0-8",
                Providers.OPENAI, "gpt-4o", "gpt-4o", new LaneParameters(0.8, 6000, null, null, null, null),
                "p" + i, 1, "prompt " + i, sharedContext, 1, RunMode.BATCH, false, false, true, 3);
    }

    @Test
    void shouldBeCompleteWhenEveryRequestIsHereOrFinishedCountingARedeliveryOnce() {
        LaneGroup group = new LaneGroup("run-1/4o.t0-8/1", 3,
                LaneGroup.Finished.of(Set.of(request(2, null).customId())));

        group.add(request(0, null));
        group.add(request(0, null));
        assertThat(group.complete()).isFalse();
        group.add(request(1, null));

        assertThat(group.complete()).isTrue();
        assertThat(group.requests()).hasSize(3);
    }

    @Test
    void shouldKeepOneCopyOfAContextTheRequestsShare() {
        LaneGroup group = new LaneGroup("run-1/4o.t0-8/1", 3, LaneGroup.Finished.NONE);
        for (int i = 0; i < 3; i++) {
            group.add(request(i, new String("house style guide, about 9 KB")));
        }

        assertThat(group.requests().get(1).sharedContext()).isSameAs(group.requests().get(0).sharedContext());
        assertThat(group.requests().get(2).sharedContext()).isSameAs(group.requests().get(0).sharedContext());
        assertThat(group.requests().get(2).promptText()).isEqualTo("prompt 2");
    }
}
