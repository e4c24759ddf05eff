package io.apexaudition.dispatcher.messaging;

import io.apexaudition.core.RequestBodies;
import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.Providers;
import io.apexaudition.events.Usage;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * Consumes this provider's {@code GenerationRequested} events and produces {@code GenerationCompleted}.
 * A dry run makes no provider call: it records the exact body that would have been sent. The record's
 * offset is committed only after the result is acknowledged by the broker.
 */
@ApplicationScoped
public class DispatchProcessor {
    private static final Logger LOG = Logger.getLogger(DispatchProcessor.class);

    private final EventPublisher publisher;
    private final String provider;
    private final Clock clock = Clock.systemUTC();

    public DispatchProcessor(EventPublisher publisher, DispatcherConfig config) {
        if (!Providers.ALL.contains(config.provider())) {
            throw new IllegalArgumentException("apex.dispatcher.provider is '" + config.provider()
                    + "': set APEX_DISPATCHER_PROVIDER to one of " + Providers.ALL);
        }
        this.publisher = publisher;
        this.provider = config.provider();
    }

    @Incoming("generation-requests")
    @Blocking
    public void dispatch(ConsumerRecord<String, String> record) {
        GenerationRequested request;
        try {
            request = EventJson.read(record.value(), GenerationRequested.class);
        } catch (EventJson.UnreadableEventException e) {
            LOG.warnf("Unreadable request parked in apex.dead-letters (%s-%d@%d): %s", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            publisher.deadLetter(new DeadLettered(EventIds.nameUuid(record.topic(), "" + record.partition(),
                    "" + record.offset()), DeadLettered.SCHEMA_VERSION, clock.instant(), "dispatcher-" + provider,
                    record.topic(), record.partition(), record.offset(), record.key(), e.getMessage(),
                    EventJson.echo(record.value())));
            return;
        }
        String body = RequestBodies.json(RequestBodies.body(request));
        if (request.dryRun()) {
            LOG.infof("Dry run %s %s: would send %s", request.conditionSlug(), request.customId(), body);
            publisher.result(outcome(request, GenerationStatus.DRY_RUN, null, null, body));
        } else {
            publisher.result(outcome(request, GenerationStatus.ERROR, ErrorKind.INVALID_REQUEST,
                    "this dispatcher only performs dry runs so far: publish the run again with \"dryRun\": true",
                    body));
        }
    }

    private GenerationCompleted outcome(GenerationRequested r, GenerationStatus status, ErrorKind kind, String message,
                                        String body) {
        return new GenerationCompleted(EventIds.nameUuid("GenerationCompleted", r.generationId(), "" + r.attempt()),
                GenerationCompleted.SCHEMA_VERSION, clock.instant(), r.runId(), r.generationId(), r.attempt(),
                r.conditionId(), r.conditionSlug(), r.promptId(), r.promptVersion(), r.provider(), r.model(), r.mode(),
                null, r.customId(), status, null, null, Usage.NONE, false, null, kind, message, body);
    }
}
