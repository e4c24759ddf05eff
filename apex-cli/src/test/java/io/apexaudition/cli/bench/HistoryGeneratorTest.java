package io.apexaudition.cli.bench;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaInfra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history {@code apex bench} starts the dispatcher and the poller against, written to a real broker of its own
 * and read back as those services read it (committed records only): N generations' worth, every intent seen
 * through, every batch terminal, every record small enough for the broker.
 */
class HistoryGeneratorTest {
    private static KafkaInfra.Broker broker;

    @BeforeAll
    static void broker() {
        broker = KafkaInfra.isolatedBroker();
    }

    @AfterAll
    static void close() throws Exception {
        broker.close();
    }

    @Test
    void shouldWriteNGenerationsOfSettledIntentsAndTerminalBatchesWithBodiesChunkedAsTheDispatcherChunks()
            throws Exception {
        // given two runs of two lanes of 1,000 prompts, the second synchronous, with every request body as sent
        String context = Files.readString(Path.of("..", "config", "prompts", "shared", "house-style.md"));
        HistoryGenerator.Shape shape = new HistoryGenerator.Shape(4_000, 1_000, 2, 2, true);

        // when it is written
        HistoryGenerator.Summary summary = new HistoryGenerator(shape, context, line -> { }).write(
                broker.bootstrapServers());

        // then the topics hold 4,000 distinct generations, each under exactly one intent
        Map<String, List<ApexEvent>> topics = new HashMap<>();
        Map<String, Long> largest = new HashMap<>();
        for (String topic : List.of(Topics.BATCHES.name(), Topics.BATCH_STATUS.name(), Topics.RUNS.name())) {
            topics.put(topic, readAll(topic, largest));
        }
        List<DispatchIntended> intents = of(topics.get(Topics.BATCHES.name()), DispatchIntended.class);
        List<String> customIds = intents.stream().flatMap(i -> i.customIds().stream()).toList();
        assertThat(customIds).hasSize(4_000).doesNotHaveDuplicates();
        assertThat(summary.generations()).isEqualTo(4_000);

        // and every batch intent is submitted with exactly its requests, each naming its body by hash: ids only, so a
        // lane of 1,000 is one batch and its record a few hundred KB (it was 10 MB of bodies, in two chunks)
        Map<String, BatchSubmitted> submitted = new HashMap<>();
        of(topics.get(Topics.BATCHES.name()), BatchSubmitted.class).forEach(b -> submitted.put(b.intentId(), b));
        List<DispatchIntended> batchIntents = intents.stream()
                .filter(i -> i.kind() == DispatchIntended.Kind.BATCH).toList();
        assertThat(batchIntents).hasSize(2).hasSize((int) summary.batches());
        for (DispatchIntended i : batchIntents) {
            BatchSubmitted b = submitted.get(i.intentId());
            assertThat(b).as("the submission of %s", i.intentId()).isNotNull();
            assertThat(b.entries().stream().map(BatchEntry::customId).toList()).isEqualTo(i.customIds());
            assertThat(b.entries()).allSatisfy(e -> assertThat(e.requestBodyHash()).matches("[0-9a-f]{64}"));
        }
        assertThat(submitted).hasSize(batchIntents.size());
        assertThat(largest.get(Topics.BATCHES.name())).isLessThanOrEqualTo(512 * 1024);

        // and every synchronous intent is settled, successfully
        Map<String, DispatchSettled> settled = new HashMap<>();
        of(topics.get(Topics.BATCHES.name()), DispatchSettled.class).forEach(s -> settled.put(s.intentId(), s));
        List<DispatchIntended> syncIntents = intents.stream()
                .filter(i -> i.kind() == DispatchIntended.Kind.SYNC).toList();
        assertThat(syncIntents).hasSize(2_000).hasSize((int) summary.syncIntents());
        assertThat(syncIntents).allSatisfy(i -> assertThat(settled.get(i.intentId()))
                .as("the settlement of %s", i.intentId()).isNotNull()
                .satisfies(s -> assertThat(s.succeeded()).isTrue()));

        // and every submitted batch has a terminal status: nothing is left for the poller to poll
        Set<String> terminal = new HashSet<>();
        of(topics.get(Topics.BATCH_STATUS.name()), BatchStatusChanged.class).stream()
                .filter(BatchStatusChanged::terminal).forEach(s -> terminal.add(s.batchId()));
        assertThat(terminal).containsExactlyInAnyOrderElementsOf(
                submitted.values().stream().map(BatchSubmitted::batchId).toList());

        // and both runs were accepted and completed, with the generations they announced
        List<RunAccepted> accepted = of(topics.get(Topics.RUNS.name()), RunAccepted.class);
        assertThat(accepted).extracting(RunAccepted::runId).containsExactlyInAnyOrder("history-0", "history-1");
        assertThat(accepted.stream().mapToInt(RunAccepted::expectedGenerations).sum()).isEqualTo(4_000);
        assertThat(of(topics.get(Topics.RUNS.name()), RunCompleted.class)).extracting(RunCompleted::runId)
                .containsExactlyInAnyOrder("history-0", "history-1");
        assertThat(summary.records()).isEqualTo(IntStream.of(topics.values().stream().mapToInt(List::size).toArray())
                .sum());
    }

    private static <T> List<T> of(List<ApexEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Every committed record of the topic, as the services' topic tails read it. */
    private static List<ApexEvent> readAll(String topic, Map<String, Long> largest) {
        List<ApexEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    events.add(EventJson.read(r.value(), Set.of()));
                    largest.merge(topic, (long) r.value().length, Math::max);
                }
            }
        }
        return events;
    }
}
