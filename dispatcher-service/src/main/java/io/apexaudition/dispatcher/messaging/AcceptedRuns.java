package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaUnavailableException;
import io.apexaudition.messaging.TopicTail;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which runs the planner accepted, read from {@code apex.runs} (a {@link TopicTail}: a run id per run, so it grows
 * with the number of runs, not of generations): only requests of those runs are ever paid for.
 */
@ApplicationScoped
public class AcceptedRuns {
    private static final Logger LOG = Logger.getLogger(AcceptedRuns.class);

    private final DispatcherConfig config;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private volatile TopicTail tail;

    public AcceptedRuns(DispatcherConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent ignored) {
        startReading();
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (tail != null) {
            tail.close();
        }
    }

    /** Starts reading apex.runs from its first offset. */
    public void startReading() {
        tail = new TopicTail("accepted-runs", config.bootstrapServers(), List.of(Topics.RUNS.name()), this::apply)
                .start();
    }

    void apply(ConsumerRecord<String, byte[]> r) {
        try {
            if (EventJson.read(r.value(), EnumSet.allOf(EventJson.Skip.class)) instanceof RunAccepted a) {
                accepted.add(a.runId());
            }
        } catch (EventJson.UnreadableEventException e) {
            LOG.warnf("Skipping unreadable record of %s (%d@%d): %s", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
        }
    }

    /** The planner accepted this run (as of the last catch-up); requests of any other run are poison. */
    public boolean isAccepted(String runId) {
        return accepted.contains(runId);
    }

    /** Blocks until everything committed to apex.runs before this call has been read. */
    public void awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (tail == null) {
            if (System.nanoTime() > deadline) {
                throw new KafkaUnavailableException("the dispatcher has not started reading apex.runs", null);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        tail.awaitCaughtUp(timeout);
    }
}
