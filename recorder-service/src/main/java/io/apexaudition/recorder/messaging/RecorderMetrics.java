package io.apexaudition.recorder.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;

/**
 * Consumes the events the live consumer has just stored and produces the generation meters: requested, completed
 * and errored by lane, model and provider, and the cost so far by run. The recorder is the one place that counts
 * them, since it reads every producer's committed records (the planner's fan-out, the dispatchers' synchronous and
 * dry-run results, the poller's batch results): counted anywhere else as well they would be counted twice. A batch
 * redelivered after a crash counts again (the tables do not: their upserts are idempotent); a rebuild counts nothing.
 */
@ApplicationScoped
public class RecorderMetrics {
    static final String REQUESTED = "apex.generations.requested";
    static final String COMPLETED = "apex.generations.completed";
    static final String ERRORED = "apex.generations.errored";
    /** USD of completed generations by run: one series per run, which auditions (a few runs a day) can afford. */
    static final String RUN_COST = "apex.run.cost.usd";
    static final String PARKED = "apex.records.parked";
    private static final String CONSUMER = "recorder-service";

    private final MeterRegistry registry;

    public RecorderMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void stored(List<ApexEvent> events) {
        for (ApexEvent event : events) {
            if (event instanceof GenerationRequested r) {
                Counter.builder(REQUESTED).description("Generations requested (recorded from the planner's fan-out)")
                        .tags("lane", tag(r.conditionSlug()), "model", tag(r.model()), "provider", tag(r.provider()))
                        .register(registry).increment();
            } else if (event instanceof GenerationCompleted c) {
                completed(c);
            }
        }
    }

    private void completed(GenerationCompleted c) {
        if (c.status() == GenerationStatus.ERROR) {
            Counter.builder(ERRORED).description("Generations that ended in an error, by lane and error kind")
                    .tags("lane", tag(c.conditionSlug()), "model", tag(c.model()), "provider", tag(c.provider()),
                            "error_kind", c.errorKind() == null ? "unknown" : c.errorKind().name().toLowerCase(Locale.ROOT))
                    .register(registry).increment();
            return;
        }
        Counter.builder(COMPLETED).description("Generations completed (status completed or dry_run)")
                .tags("lane", tag(c.conditionSlug()), "model", tag(c.model()), "provider", tag(c.provider()),
                        "status", c.status() == null ? "unknown" : c.status().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
        if (c.costUsd() != null && c.costUsd().signum() > 0) {
            Counter.builder(RUN_COST).description("Cost so far of each run's completed generations, USD")
                    .tag("run", tag(c.runId())).register(registry)
                    .increment(c.costUsd().doubleValue());
        }
    }

    void parked(String topic) {
        Counter.builder(PARKED).description("Records a consumer could not use, parked with the reason")
                .tag("consumer", CONSUMER).tag("topic", tag(topic)).register(registry).increment();
    }

    private static String tag(String value) {
        return value == null ? "unknown" : value;
    }
}
