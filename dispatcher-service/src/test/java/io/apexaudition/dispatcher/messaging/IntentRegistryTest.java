package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.TestDispatcherConfig;
import io.apexaudition.dispatcher.domain.LaneGroup;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.EventIds;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class IntentRegistryTest {
    private static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
    private final IntentRegistry registry = new IntentRegistry(TestDispatcherConfig.openai());

    private static List<String> customIds(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(n -> EventIds.customId(EventIds.generationId("run-1", "lane", "p" + n, 1), 1)).toList();
    }

    private static DispatchIntended intent(String intentId, List<String> customIds) {
        return new DispatchIntended("e-" + intentId, 1, NOW, intentId, "openai", "run-1", "lane", "gpt-4o",
                DispatchIntended.Kind.BATCH, 0, customIds);
    }

    private static BatchSubmitted submitted(String intentId) {
        return new BatchSubmitted("b-" + intentId, 1, NOW, "batch-" + intentId, "openai", "run-1", "gpt-4o",
                intentId, "file-" + intentId, List.of());
    }

    @Test
    void shouldKeepACustomIdWithItsNewestIntentWhateverOrderTheTopicIsReadIn() {
        // given a first intent found never created, and the intent its requests went out under afterwards, read
        // back newest first (they sit on different partitions of apex.batches)
        List<String> ids = customIds(0, 5);
        DispatchIntended first = new DispatchIntended("e-old", 1, NOW, "i-old", "openai", "run-1", "lane", "gpt-4o",
                DispatchIntended.Kind.BATCH, 0, ids);
        DispatchIntended second = new DispatchIntended("e-new", 1, NOW.plusSeconds(90), "i-new", "openai", "run-1",
                "lane", "gpt-4o", DispatchIntended.Kind.BATCH, 1, ids);
        registry.remember(second);
        registry.remember(submitted("i-new"));
        registry.remember(first);
        registry.remember(new DispatchSettled("s-old", 1, NOW, "i-old", "openai", "run-1", false, "never created",
                DispatchSettled.Resolution.NOT_CREATED));

        // then the requests belong to the submitted intent: seen through, never pending again
        assertThat(registry.intentOf(ids.get(0))).get().extracting(DispatchIntended::intentId).isEqualTo("i-new");
        assertThat(registry.finished(IntentRegistry.groupKey("run-1", "lane", 1)).count()).isEqualTo(5);
    }

    @Test
    void shouldCountOnlyTheIdsOfIntentsThatWereSubmittedOrSettled() {
        // given three chunks of one lane group: one submitted, one settled (refused), one in doubt
        registry.remember(intent("i1", customIds(0, 700)));
        registry.remember(intent("i2", customIds(700, 1400)));
        registry.remember(intent("i3", customIds(1400, 2000)));
        registry.remember(submitted("i1"));
        registry.remember(new DispatchSettled("s-i2", 1, NOW, "i2", "openai", "run-1", false, "refused"));

        // when
        LaneGroup.Finished finished = registry.finished(IntentRegistry.groupKey("run-1", "lane", 1));

        // then the submitted and settled ids count, the ids in doubt do not
        assertThat(finished.count()).isEqualTo(1400);
        assertThat(finished.contains().test(customIds(0, 1).get(0))).isTrue();
        assertThat(finished.contains().test(customIds(1399, 1400).get(0))).isTrue();
        assertThat(finished.contains().test(customIds(1400, 1401).get(0))).isFalse();
        assertThat(registry.finished(IntentRegistry.groupKey("run-1", "lane", 2)).count()).isZero();
    }

    @Test
    void shouldKeepTheCustomIdsOfAnIntentOnlyWhileItIsInDoubt() {
        // given
        List<String> ids = customIds(0, 3);
        registry.remember(intent("i1", ids));
        assertThat(registry.intentOf(ids.get(1)).orElseThrow().customIds()).isEqualTo(ids);

        // when the batch is recorded (read back twice, as the tail does after a direct remember)
        registry.remember(submitted("i1"));
        registry.remember(intent("i1", ids));

        // then the intent is still found by each of its ids, without carrying them
        DispatchIntended found = registry.intentOf(ids.get(2)).orElseThrow();
        assertThat(found.intentId()).isEqualTo("i1");
        assertThat(found.customIds()).isEmpty();
        assertThat(registry.isSubmitted("i1")).isTrue();
        assertThat(registry.intentOf(customIds(3, 4).get(0))).isEmpty();
    }

    @Test
    void shouldNotCountAnIdTwiceWhenItIsReadAgain() {
        registry.remember(intent("i1", customIds(0, 10)));
        registry.remember(submitted("i1"));
        registry.remember(intent("i1", customIds(0, 10)));

        assertThat(registry.finished(IntentRegistry.groupKey("run-1", "lane", 1)).count()).isEqualTo(10);
    }
}
