package io.apexaudition.messaging;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads topics from their first offset (committed records only) on a thread of its own and keeps following
 * them: how a service rebuilds state it derives from the topics (the dispatcher's intents, the poller's open
 * batches) after a restart, without a consumer group. It says when it has read everything that existed when it
 * started, and can wait until it has read everything that exists now. Values arrive as the record's bytes, so a
 * reader can parse only the fields it needs without first decoding the whole record into a String.
 */
public final class TopicTail implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TopicTail.class);

    private final String name;
    private final String bootstrapServers;
    private final List<String> topics;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private volatile boolean running = true;
    private volatile boolean caughtUpAtStart;
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Throwable died;
    /**
     * Every tail of this process that was started and not closed: the state they derive is the process's, so its
     * health checks ({@link TopicTailsCheck}) look at all of them, whichever bean started them.
     */
    private static final java.util.Set<TopicTail> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public TopicTail(String name, String bootstrapServers, List<String> topics,
                     Consumer<ConsumerRecord<String, byte[]>> handler) {
        this.name = name;
        this.bootstrapServers = bootstrapServers;
        this.topics = List.copyOf(topics);
        this.handler = handler;
    }

    public TopicTail start() {
        OPEN.add(this);
        Thread thread = new Thread(this::tailUntilError, name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * An {@link Error} (out of memory, say) ends the thread: it is kept so that liveness reports it, since state half
     * read would otherwise look like state that is simply small.
     */
    private void tailUntilError() {
        try {
            tail();
        } catch (Error e) {
            // not rethrown: the thread ends here either way, and liveness now says so
            died = e;
            LOG.errorf(e, "%s stopped for good reading %s: the service must be restarted", name, topics);
        }
    }

    private void tail() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config())) {
                consumer = c;
                List<TopicPartition> partitions = partitions(c, Duration.ofMinutes(5));
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> startEnd = c.endOffsets(partitions);
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        handle(r);
                    }
                    Map<TopicPartition, Long> seen = new HashMap<>();
                    partitions.forEach(tp -> seen.put(tp, c.position(tp)));
                    positions = seen;
                    if (!caughtUpAtStart && reached(startEnd)) {
                        caughtUpAtStart = true;
                        LOG.infof("%s has read %s up to where they ended at start", name, topics);
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("%s stopped reading %s (%s); starting over in 2 s", name, topics, e.getMessage());
                sleep(2000);
            }
        }
    }

    /**
     * Hands a record to the handler; a record the handler cannot take is skipped with a warning. Starting over would
     * meet it again at the same offset, and the tail would never catch up: the state derived here then misses one
     * unusable record, which its topic's other consumers park (the recorder in apex_audition.dead_letters).
     */
    private void handle(ConsumerRecord<String, byte[]> r) {
        try {
            handler.accept(r);
        } catch (RuntimeException e) {
            if (KafkaUnavailableException.isOutage(e)) {
                // the handler could not park it while Kafka is down: start over once it is back, losing nothing
                throw e;
            }
            LOG.warnf("%s skipped a record it cannot use (%s-%d@%d): %s", name, r.topic(), r.partition(), r.offset(),
                    e);
        }
    }

    public String name() {
        return name;
    }

    /** The error that ended the tail's thread, or null while it reads. */
    public Throwable died() {
        return died;
    }

    /** Every tail of this process started and not yet closed. */
    public static java.util.List<TopicTail> open() {
        return java.util.List.copyOf(OPEN);
    }

    /** Everything that existed in the topics when the tail started has been handled. */
    public boolean caughtUpAtStart() {
        return caughtUpAtStart;
    }

    /** Blocks until everything committed to the topics before this call has been handled. */
    public void awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> end;
        try (KafkaConsumer<String, byte[]> probe = new KafkaConsumer<>(config())) {
            end = probe.endOffsets(partitions(probe, timeout));
        }
        while (!reached(end)) {
            if (System.nanoTime() > deadline) {
                throw new KafkaUnavailableException(name + " is behind " + topics + " after " + timeout.toSeconds()
                        + " s: is Kafka reachable?", null);
            }
            sleep(20);
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> seen = positions;
        return end.entrySet().stream().allMatch(e -> seen.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, Duration timeout) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            c.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        return partitions;
    }

    private Map<String, Object> config() {
        Map<String, Object> settings = KafkaSettings.consumer(bootstrapServers);
        // a 7 MB BatchSubmitted compresses to a few hundred KB: few records per poll keep what one poll hands over
        // (decompressed) small
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 4);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return settings;
    }

    @Override
    public void close() {
        running = false;
        OPEN.remove(this);
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
