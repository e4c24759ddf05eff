package io.apexaudition.dispatcher.domain;

import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LaneChunksTest {

    private static GenerationRequested request(int i, String sharedContext) {
        return new GenerationRequested("e" + i, 1, Instant.EPOCH, "run-1", "gen-" + i, 1, "cond-1", "4o.t0-8",
                Providers.OPENAI, "gpt-4o", "gpt-4o", new LaneParameters(0.8, 6000, null, null, null, null),
                "p" + i, 1, "Write a \"sonnet\" about a ferry, number " + i + ".\nKeep it plain.", sharedContext, 1,
                RunMode.BATCH, false, false, true, 2000);
    }

    @Test
    void shouldSplitALargeLaneSoThatEachBatchSubmittedFitsInOneKafkaRecord() {
        // entries carry ids and a body hash, no body: a record holds some 20,000 of them, so only a huge lane splits
        List<Prepared> requests = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            requests.add(Prepared.of(request(i, null)));
        }

        List<List<Prepared>> chunks = BatchSubmitter.chunks(requests, 50_000, 180_000_000L,
                BatchSubmitter.MAX_SUBMITTED_EVENT_BYTES);

        assertThat(chunks.size()).isGreaterThan(1);
        assertThat(chunks.stream().mapToInt(List::size).sum()).isEqualTo(40_000);
        assertThat(chunks.stream().flatMap(List::stream).map(p -> p.request().generationId()).toList())
                .isEqualTo(requests.stream().map(p -> p.request().generationId()).toList());
        for (List<Prepared> chunk : chunks) {
            BatchSubmitted submitted = new BatchSubmitted("e", 1, Instant.EPOCH, "batch_0123456789abcdef0123456789abcdef",
                    Providers.OPENAI, "run-1", "gpt-4o", "intent-0123456789", "file-0123456789", chunk.stream()
                    .map(p -> new BatchEntry(p.request().customId(), p.request().generationId(), 1, "cond-1", "4o.t0-8",
                            p.request().promptId(), 1, p.bodyHash())).toList());
            assertThat(EventJson.write(submitted).getBytes(StandardCharsets.UTF_8).length)
                    .isLessThan(Topics.MAX_MESSAGE_BYTES);
        }
    }

    @Test
    void shouldKeepTheProvidersRequestLimit() {
        List<Prepared> requests = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            requests.add(Prepared.of(request(i, null)));
        }

        assertThat(BatchSubmitter.chunks(requests, 10, 180_000_000L, BatchSubmitter.MAX_SUBMITTED_EVENT_BYTES))
                .extracting(List::size).containsExactly(10, 10, 5);
    }
}
