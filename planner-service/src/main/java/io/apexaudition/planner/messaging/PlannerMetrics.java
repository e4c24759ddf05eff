package io.apexaudition.planner.messaging;

import io.apexaudition.events.Providers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Consumes what the run command processor forwards and produces the planner's meters: the fan-out
 * ({@code apex_planner_fanout_total}, GenerationRequested emitted, by provider) and the commands it parks
 * ({@code apex_records_parked_total}). Counted as forwarded, so a fan-out an aborted transaction took back (a crash or
 * a broker outage mid-fan-out) is counted again when the command is planned again: rate() stays right in steady state.
 */
@ApplicationScoped
public class PlannerMetrics {
    /** A fan-out is up to 200,000 requests: their counters are looked up once here, not built per request. */
    private final Map<String, Counter> fanout;
    private final MeterRegistry registry;

    public PlannerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.fanout = Providers.ALL.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                provider -> Counter.builder("apex.planner.fanout")
                        .description("GenerationRequested emitted by the planner (runs and retries)")
                        .tag("provider", provider).register(registry)));
    }

    void requested(String provider) {
        Counter counter = fanout.get(provider);
        if (counter != null) {
            counter.increment();
        }
    }

    void parked(String topic) {
        Counter.builder("apex.records.parked").description("Records a consumer could not use, parked with the reason")
                .tag("consumer", "planner-service").tag("topic", topic).register(registry).increment();
    }
}
