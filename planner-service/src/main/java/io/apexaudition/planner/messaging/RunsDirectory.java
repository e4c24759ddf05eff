package io.apexaudition.planner.messaging;

import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import io.apexaudition.planner.PlannerConfig;
import io.apexaudition.planner.domain.RunStates;
import io.apexaudition.planner.domain.SourceRuns;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Every run's state from apex.runs, all partitions, read from the first offset on a thread of its own: how the
 * planner knows whether a judging command's source run exists and has completed.
 *
 * <p>Why not a Kafka Streams store: a judging command is keyed (and partitioned) by the judging run's id, so the
 * task that plans it holds the {@code planned-runs} and progress state of other runs than its source run (a store
 * lookup would be right one time in six, and always right in a one-partition test); and a global store cannot
 * read apex.runs, which the progress part of the topology already reads as a stream (a topic feeds one source
 * only). The dispatchers know accepted runs the same way (their IntentRegistry reads apex.runs too).
 *
 * <p>Committed records only, and {@link #state} first waits until everything committed before the call has been
 * read, so a source run that completed before its judging command was planned is seen completed.
 */
@ApplicationScoped
public class RunsDirectory implements SourceRuns {
    private static final Logger LOG = Logger.getLogger(RunsDirectory.class);
    /** Within the planner's transaction timeout (60 s): a command waits at most this long, then is planned again. */
    static final Duration CATCH_UP = Duration.ofSeconds(20);
    private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();
    private static final long RETRY_NANOS = Duration.ofSeconds(2).toNanos();

    private final String bootstrapServers;
    private final RunStates states = new RunStates();
    /** Questions asked and answered: answered reaches a question's number once the end offsets after it were read. */
    private final AtomicLong asked = new AtomicLong();
    private volatile long answered;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    @Inject
    public RunsDirectory(PlannerConfig config) {
        this(config.bootstrapServers());
    }

    RunsDirectory(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts reading (once; a question starts it too). */
    synchronized RunsDirectory start() {
        if (thread == null) {
            thread = new Thread(this::read, "runs-directory");
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    /**
     * @throws TimeoutException (a Kafka error: the command's transaction aborts and it is planned again) when
     *                          apex.runs cannot be read up to its end within {@link #CATCH_UP}
     */
    @Override
    public State state(String runId) {
        start();
        long question = asked.incrementAndGet();
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (answered < question) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the planner could not read " + Topics.RUNS.name() + " up to its end within "
                        + CATCH_UP.toSeconds() + " s to learn the state of run " + runId + ": is Kafka reachable?");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return states.state(runId);
    }

    private void read() {
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config())) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(Topics.RUNS.name(), Duration.ofMinutes(1)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                follow(c, partitions);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("The runs directory stopped reading %s (%s); reading it again in 2 s", Topics.RUNS.name(),
                        e.toString());
                LockSupport.parkNanos(RETRY_NANOS);
            }
        }
    }

    /** Reads on; when a question is waiting, takes the end offsets then and answers it once they are reached. */
    private void follow(KafkaConsumer<String, String> c, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> target = null;
        long question = 0;
        while (running) {
            if (target == null && asked.get() > answered) {
                question = asked.get();
                target = c.endOffsets(partitions); // the last stable offsets: read_committed
            }
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(target == null ? 500 : 20))) {
                apply(r);
            }
            if (target != null && target.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                answered = question;
                target = null;
            }
        }
    }

    private void apply(ConsumerRecord<String, String> r) {
        try {
            states.apply(EventJson.read(r.value()));
        } catch (RuntimeException e) {
            // unreadable: the recorder parks it, and it says nothing about a run here
            LOG.debugf("The runs directory skips %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    private Map<String, Object> config() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "apex-planner-runs-directory",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    }

    @PreDestroy
    void close() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
