package io.apexaudition.cli.bench;

import io.apexaudition.events.EventJson;
import io.apexaudition.events.LaneGroupRequested;
import io.apexaudition.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Watches the stages of one audition as they become visible to any read_committed consumer: the first and last
 * GenerationRequested (fan-out), BatchSubmitted (submission) and GenerationCompleted (result ingestion), read
 * from where each topic ended before the run command was published. Values are only scanned for their type, so
 * the watcher costs little next to the services.
 */
final class StageClock implements AutoCloseable {

    /** First and last time (epoch millis) a stage's events became visible, and how many. */
    static final class Stage {
        volatile long first;
        volatile long last;
        volatile long count;

        synchronized void seen(long now, long n) {
            if (count == 0) {
                first = now;
            }
            last = now;
            count += n;
        }
    }

    final Stage requested = new Stage();
    final Stage submitted = new Stage();
    final Stage completed = new Stage();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    StageClock(String servers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES + 1024,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.GENERATION_REQUESTS_OPENAI.name(), Topics.GENERATION_REQUESTS_ANTHROPIC.name(),
                Topics.BATCHES.name(), Topics.GENERATION_RESULTS.name())) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start before the command is published
        thread = new Thread(this::loop, "bench-stage-clock");
        thread.setDaemon(true);
    }

    StageClock start() {
        thread.start();
        return this;
    }

    /** Whether the watcher still reads the topics: a watcher that died counts nothing more. */
    boolean watching() {
        return thread.isAlive() && running;
    }

    private void loop() {
        try {
            watch();
        } catch (RuntimeException e) {
            System.err.println("bench: the stage watcher stopped (" + e + "); the stages' times of this run stop "
                    + "where it did, and the run's rows are counted every " + BenchCommand.COUNT_PAUSE_MS
                    + " ms from now on");
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
        }
    }

    private void watch() {
        while (running) {
            long req = 0;
            long sub = 0;
            long res = 0;
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                String topic = r.topic();
                if (topic.equals(Topics.GENERATION_RESULTS.name())) {
                    res++;
                } else if (topic.equals(Topics.BATCHES.name())) {
                    sub += isType(r.value(), "BatchSubmitted") ? 1 : 0;
                } else {
                    req += requests(r.value());
                }
            }
            long now = System.currentTimeMillis();
            if (req > 0) {
                requested.seen(now, req);
            }
            if (sub > 0) {
                submitted.seen(now, sub);
            }
            if (res > 0) {
                completed.seen(now, res);
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }

    /** How many requests a request record carries: a lane group's part many, an older single request one. */
    static int requests(byte[] value) {
        if (!isType(value, "LaneGroupRequested")) {
            return 1;
        }
        try {
            return EventJson.read(value, EnumSet.of(EventJson.Skip.SHARED_CONTEXT)) instanceof LaneGroupRequested part
                    ? part.size() : 1;
        } catch (EventJson.UnreadableEventException e) {
            return 1; // parked by the dispatcher; counted as the record it is
        }
    }

    /** Events carry their record name first: {@code {"type":"BatchSubmitted",...}}. */
    static boolean isType(byte[] value, String type) {
        if (value == null) {
            return false;
        }
        String head = new String(value, 0, Math.min(value.length, 64), StandardCharsets.UTF_8);
        return head.contains("\"type\":\"" + type + "\"");
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
