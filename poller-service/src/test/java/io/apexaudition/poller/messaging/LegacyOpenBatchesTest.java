package io.apexaudition.poller.messaging;

import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.Topics;
import io.apexaudition.poller.ScriptedProviders;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-time migration of a stack whose open batches exist only in apex.batches and apex.batch-status. */
class LegacyOpenBatchesTest {

    @Test
    void shouldFindTheBatchesStillOpenAndNotOnesClosedBeforeTheUpgrade() {
        String servers = KafkaInfra.bootstrapServers();
        String run = UUID.randomUUID().toString();
        try (KafkaTestClient kafka = new KafkaTestClient(servers)) {
            // given an old poller's history: one batch closed by its terminal status, one still open
            BatchSubmitted closed = ScriptedProviders.batch("closed-" + run, "run-legacy");
            BatchSubmitted open = ScriptedProviders.batch("open-" + run, "run-legacy");
            kafka.publish(Topics.BATCHES.name(), closed);
            kafka.publish(Topics.BATCHES.name(), open);
            kafka.publish(Topics.BATCH_STATUS.name(), new BatchStatusChanged("s-" + run, 1, Instant.now(),
                    closed.batchId(), "openai", "run-legacy", "completed", true, Map.of(), null));
            Set<TopicPartition> all = IntStream.range(0, Topics.BATCHES.partitions())
                    .mapToObj(p -> new TopicPartition(Topics.BATCHES.name(), p)).collect(Collectors.toSet());

            // when a poller migrates every partition
            LegacyOpenBatches.Found found = LegacyOpenBatches.read(servers, all, Duration.ofSeconds(60));

            // then it finds the open batch once, and not the closed one
            assertThat(found.open()).filteredOn(o -> o.batch().batchId().endsWith(run))
                    .extracting(o -> o.batch().batchId()).containsExactly(open.batchId());
            // and the end of every partition is what it commits, so the intake copies only what comes after
            assertThat(found.ends()).containsOnlyKeys(all);
        }
    }
}
