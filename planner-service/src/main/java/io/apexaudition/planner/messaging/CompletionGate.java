package io.apexaudition.planner.messaging;

import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.planner.domain.RunProgress;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Clock;

/**
 * Emits RunCompleted when every generation of a run is final, once per distinct set of totals: a redelivered
 * result that briefly dips and restores the count emits nothing new; a retry that changes the totals emits an
 * updated RunCompleted.
 */
class CompletionGate implements Processor<String, RunProgress, String, String> {
    static final String STORE = "completed-runs";

    private final Clock clock;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, String> emitted;

    CompletionGate(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.emitted = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, RunProgress> record) {
        RunProgress p = record.value();
        if (p == null || !p.done()) {
            return;
        }
        String totals = p.expected() + "/" + p.completed() + "/" + p.errors() + "/" + p.dryRun() + "/"
                + p.costUsd().stripTrailingZeros().toPlainString();
        if (totals.equals(emitted.get(p.runId()))) {
            return;
        }
        emitted.put(p.runId(), totals);
        RunCompleted completed = new RunCompleted(EventIds.nameUuid("RunCompleted", p.runId(), totals),
                RunCompleted.SCHEMA_VERSION, clock.instant(), p.runId(), p.expected(), p.completed(), p.errors(),
                p.dryRun(), p.costUsd());
        context.forward(new Record<>(p.runId(), EventJson.write(completed), clock.millis()));
    }
}
