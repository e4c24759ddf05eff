package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.dispatcher.domain.LaneDispatcher;
import io.apexaudition.dispatcher.domain.LaneGroup;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.Providers;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.TransactionalPublisher;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Consumes this provider's {@code GenerationRequested} events, gathers them per lane group (run, lane, attempt)
 * and hands the group to {@link LaneDispatcher} when it is complete; their offsets are acknowledged only after
 * that, so a crash redelivers them and the intent registry tells what was already paid for.
 */
@ApplicationScoped
public class DispatchProcessor {
    private static final Logger LOG = Logger.getLogger(DispatchProcessor.class);

    private final TransactionalPublisher publisher;
    private final IntentRegistry registry;
    private final LaneDispatcher dispatcher;
    private final String provider;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, LaneGroup> groups = new HashMap<>();

    public DispatchProcessor(TransactionalPublisher publisher, IntentRegistry registry, LaneDispatcher dispatcher,
                             DispatcherConfig config) {
        if (!Providers.ALL.contains(config.provider())) {
            throw new IllegalArgumentException("apex.dispatcher.provider is '" + config.provider()
                    + "': set APEX_DISPATCHER_PROVIDER to one of " + Providers.ALL);
        }
        this.publisher = publisher;
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.provider = config.provider();
    }

    @Incoming("generation-requests")
    @Blocking
    public CompletionStage<Void> dispatch(Message<String> message) {
        GenerationRequested request;
        try {
            request = EventJson.read(message.getPayload(), GenerationRequested.class);
        } catch (EventJson.UnreadableEventException e) {
            deadLetter(message, e.getMessage());
            return message.ack();
        }
        if (!provider.equals(request.provider())) {
            deadLetter(message, "request for provider '" + request.provider() + "' on the " + provider
                    + " dispatcher's topic: the planner routes by provider; publish it to "
                    + Topics.generationRequests(Providers.ALL.contains(request.provider()) ? request.provider()
                    : provider).name());
            return message.ack();
        }
        String key = IntentRegistry.groupKey(request.runId(), request.conditionSlug(), request.attempt());
        LaneGroup group = groups.get(key);
        if (group == null) {
            registry.awaitCaughtUp(Duration.ofSeconds(60));
            group = new LaneGroup(key, request.laneGenerations(), registry.finishedIds(key));
            groups.put(key, group);
        }
        group.add(request, message);
        if (!group.complete()) {
            return CompletableFuture.completedFuture(null);
        }
        groups.remove(key);
        dispatcher.dispatch(group);
        return CompletableFuture.allOf(group.messages().stream().map(m -> m.ack().toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    private void deadLetter(Message<String> message, String reason) {
        IncomingKafkaRecordMetadata<?, ?> meta = message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        String topic = meta == null ? "?" : meta.getTopic();
        int partition = meta == null ? -1 : meta.getPartition();
        long offset = meta == null ? -1 : meta.getOffset();
        LOG.warnf("Request parked in apex.dead-letters (%s-%d@%d): %s", topic, partition, offset, reason);
        publisher.publish(Topics.DEAD_LETTERS, new DeadLettered(EventIds.nameUuid(topic, "" + partition, "" + offset),
                DeadLettered.SCHEMA_VERSION, clock.instant(), "dispatcher-" + provider, topic, partition, offset,
                meta == null || meta.getKey() == null ? null : meta.getKey().toString(), reason,
                EventJson.echo(message.getPayload())));
    }
}
