package io.apexaudition.events;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTest {

    @Test
    void shouldNameTheRunCommandTopicAsThePublicContractSays() {
        assertThat(Topics.RUN_COMMANDS.name()).isEqualTo("apex.run-commands");
        assertThat(Topics.RUN_COMMANDS.events()).containsExactly(RunRequested.class, RetryRequested.class, JudgingRequested.class);
    }

    @Test
    void shouldRegisterEveryTopicOnceWithAUniqueName() {
        Set<String> names = Topics.ALL.stream().map(TopicSpec::name).collect(Collectors.toSet());

        assertThat(names).hasSameSizeAs(Topics.ALL);
        assertThat(names).allMatch(n -> n.startsWith("apex."));
    }

    @Test
    void shouldGiveEveryEventKindATopic() {
        Set<Class<?>> carried = new HashSet<>();
        Topics.ALL.forEach(t -> carried.addAll(t.events()));

        assertThat(carried).containsAll(Set.of(ApexEvent.class.getPermittedSubclasses()));
    }

    @Test
    void shouldKeepEventHistoryForeverAndCompactOnlyEntityTopics() {
        for (TopicSpec topic : Topics.ALL) {
            // request bodies are content-addressed: a key's value never changes, so compaction only folds repeats
            if (topic == Topics.LANES || topic == Topics.PROMPTS || topic == Topics.REQUEST_BODIES) {
                assertThat(topic.config()).containsEntry("cleanup.policy", "compact");
            } else if (topic == Topics.OPEN_BATCHES || topic == Topics.DISPATCH_STATE_OPENAI
                    || topic == Topics.DISPATCH_STATE_ANTHROPIC) {
                // state, not history: its deleted entries must go soon, so a restore reads what is open
                assertThat(topic.config()).containsEntry("cleanup.policy", "compact")
                        .containsEntry("delete.retention.ms", "3600000").containsEntry("segment.ms", "3600000");
            } else {
                assertThat(topic.config()).containsEntry("cleanup.policy", "delete")
                        .containsEntry("retention.ms", "-1")
                        .containsEntry("retention.bytes", "-1");
            }
        }
    }

    @Test
    void shouldRouteEachProviderToItsOwnRequestTopic() {
        assertThat(Topics.generationRequests(Providers.OPENAI)).isEqualTo(Topics.GENERATION_REQUESTS_OPENAI);
        assertThat(Topics.generationRequests(Providers.ANTHROPIC)).isEqualTo(Topics.GENERATION_REQUESTS_ANTHROPIC);
        assertThat(Topics.dispatchState(Providers.OPENAI)).isEqualTo(Topics.DISPATCH_STATE_OPENAI);
        assertThat(Topics.dispatchState(Providers.ANTHROPIC)).isEqualTo(Topics.DISPATCH_STATE_ANTHROPIC);
    }

    @Test
    void shouldKeyALanesRequestsOfOneRunTogether() {
        ApexEvent request = Samples.all().stream().filter(GenerationRequested.class::isInstance).findFirst().orElseThrow();
        ApexEvent group = Samples.all().stream().filter(LaneGroupRequested.class::isInstance).findFirst().orElseThrow();
        ApexEvent result = Samples.all().stream().filter(GenerationCompleted.class::isInstance).findFirst().orElseThrow();

        assertThat(request.key()).isEqualTo(result.key()).isEqualTo(group.key()).isEqualTo("run-1/gpt5.reason-min");
        assertThat(Keys.runOf(request.key())).isEqualTo("run-1");
    }

    @Test
    void shouldMakeCustomIdsValidForBothProviders() {
        String generationId = EventIds.generationId("run-1", "sonnet.t1-0.ext", "p21", 3);
        String customId = EventIds.customId(generationId, 12);

        assertThat(EventIds.isValidCustomId(customId)).isTrue();
        assertThat(customId).doesNotContain(".").doesNotContain(":");
        assertThat(EventIds.generationId("run-1", "sonnet.t1-0.ext", "p21", 3)).isEqualTo(generationId);
        assertThat(EventIds.generationId("run-1", "sonnet.t1-0.ext", "p21", 2)).isNotEqualTo(generationId);
    }
}
