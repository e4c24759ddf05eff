package io.apexaudition.dispatcher.messaging;

import io.apexaudition.core.LogContext;
import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.dispatcher.domain.LaneDispatcher;
import io.apexaudition.dispatcher.domain.LaneGroup;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.Providers;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaOutage;
import io.apexaudition.messaging.KafkaUnavailableException;
import io.apexaudition.messaging.ParkedRecords;
import io.apexaudition.messaging.TransactionalPublisher;
import io.micrometer.core.instrument.MeterRegistry;
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
 * that, so a crash redelivers them and the intent registry tells what was already paid for. Requests of a run
 * the planner never accepted, and records it cannot read, go to {@code apex.dead-letters}; a Kafka outage is
 * waited out (and reported by the readiness check) rather than failing the channel.
 */
@ApplicationScoped
public class DispatchProcessor {
    private static final Logger LOG = Logger.getLogger(DispatchProcessor.class);
    private static final Duration UNKNOWN_RUN_GRACE = Duration.ofSeconds(5);

    private final TransactionalPublisher publisher;
    private final IntentRegistry registry;
    private final PromptCatalog prompts;
    private final LaneDispatcher dispatcher;
    private final String provider;
    private final KafkaOutage outage;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, LaneGroup> groups = new HashMap<>();

    public DispatchProcessor(TransactionalPublisher publisher, IntentRegistry registry, PromptCatalog prompts,
                             LaneDispatcher dispatcher, DispatcherConfig config, KafkaOutage outage,
                             MeterRegistry meters) {
        if (!Providers.ALL.contains(config.provider())) {
            throw new IllegalArgumentException("apex.dispatcher.provider is '" + config.provider()
                    + "': set APEX_DISPATCHER_PROVIDER to one of " + Providers.ALL);
        }
        this.publisher = publisher;
        this.registry = registry;
        this.prompts = prompts;
        this.dispatcher = dispatcher;
        this.provider = config.provider();
        this.outage = outage;
        this.meters = meters;
    }

    @Incoming("generation-requests")
    @Blocking
    public CompletionStage<Void> dispatch(Message<RequestDeserializer.DecodedRequest> message) {
        String refusal = refusal(message.getPayload(), provider);
        if (refusal != null) {
            deadLetter(message, refusal);
            return message.ack();
        }
        GenerationRequested request = withTexts(message.getPayload().request());
        if (request == null) {
            GenerationRequested named = message.getPayload().request();
            deadLetter(message, "request names prompt '" + named.promptId() + "' version " + named.promptVersion()
                    + ", which is not in " + Topics.PROMPTS.name() + ": ingest it (apex prompts ingest) and run "
                    + "again; the planner never names a version it has not published");
            return message.ack();
        }
        String key = IntentRegistry.groupKey(request.runId(), request.conditionSlug(), request.attempt());
        LaneGroup group = groups.get(key);
        if (group == null) {
            if (!acceptedAfterCatchingUp(request.runId())) {
                // only the planner's requests are paid for: anything else on this topic would spend money unasked
                try (LogContext ignored = logContext(request)) {
                    deadLetter(message, "request for run '" + request.runId() + "', which the planner never "
                            + "accepted: requests are honoured only when the planner emits them; publish a "
                            + "RunRequested to " + Topics.RUN_COMMANDS.name() + " instead");
                }
                return message.ack();
            }
            group = new LaneGroup(key, request.laneGenerations(), registry.finished(key));
            groups.put(key, group);
        }
        group.add(request, message);
        if (!group.complete()) {
            return CompletableFuture.completedFuture(null);
        }
        groups.remove(key);
        LaneGroup complete = group;
        try (LogContext ignored = logContext(request)) {
            whileKafkaIsDown("dispatching lane group " + key, () -> dispatcher.dispatch(complete));
        }
        return CompletableFuture.allOf(group.messages().stream().map(m -> m.ack().toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    /** The request with its prompt's texts (from the catalog when it names them by reference), or null. */
    private GenerationRequested withTexts(GenerationRequested request) {
        GenerationRequested[] resolved = new GenerationRequested[1];
        whileKafkaIsDown("reading " + Topics.PROMPTS.name(),
                () -> resolved[0] = prompts.resolve(request, Duration.ofSeconds(60)).orElse(null));
        return resolved[0];
    }

    /** Every line logged while a lane group is dispatched names its run, lane, attempt and provider. */
    private LogContext logContext(GenerationRequested request) {
        return LogContext.of(LogContext.RUN_ID, request.runId(), LogContext.LANE, request.conditionSlug(),
                LogContext.ATTEMPT, request.attempt(), LogContext.PROVIDER, provider);
    }

    /**
     * Why a decoded record cannot be dispatched by this provider's dispatcher (then it is parked), or null: it is a
     * complete request for this provider. Checked before the request joins a lane group, so a record that could
     * never be sent fails nothing else and costs nothing.
     */
    static String refusal(RequestDeserializer.DecodedRequest decoded, String provider) {
        GenerationRequested request = decoded == null ? null : decoded.request();
        if (request == null) {
            return decoded == null ? "empty record: expected a JSON object of GenerationRequested" : decoded.problem();
        }
        if (!provider.equals(request.provider())) {
            return "request for provider '" + request.provider() + "' on the " + provider
                    + " dispatcher's topic: the planner routes by provider; publish it to "
                    + Topics.generationRequests(Providers.ALL.contains(request.provider()) ? request.provider()
                    : provider).name();
        }
        // a complete request of this provider always yields a body (EventChecks requires what RequestBodies reads;
        // the provider is the only thing it can refuse): building it here too would do the hot path's work twice,
        // and RequestPropertyTest holds that every request admitted here builds
        return null;
    }

    /**
     * Whether the planner accepted the run, once the registry has read apex.batches and apex.runs to their end. The
     * planner commits RunAccepted in the same transaction as the requests, but the broker writes the commit markers
     * partition by partition, so the request can become readable a moment before its RunAccepted does: an unknown
     * run is looked up again for a few seconds before its request is judged poison.
     */
    private boolean acceptedAfterCatchingUp(String runId) {
        long deadline = System.nanoTime() + UNKNOWN_RUN_GRACE.toNanos();
        while (true) {
            whileKafkaIsDown("reading apex.batches and apex.runs", () -> registry.awaitCaughtUp(Duration.ofSeconds(60)));
            if (registry.isAcceptedRun(runId) || System.nanoTime() > deadline) {
                return registry.isAcceptedRun(runId);
            }
            sleep(200);
        }
    }

    /**
     * Runs a step until Kafka takes it, waiting out an outage instead of failing the channel. A retried dispatch
     * is safe because it starts like a restart does: the publisher is renewed (settling any transaction the
     * outage left open) and the registry re-reads apex.batches, so every intent that committed is known and
     * reconciled with the provider instead of being sent again.
     */
    private void whileKafkaIsDown(String what, Runnable step) {
        while (true) {
            try {
                step.run();
                outage.clear();
                return;
            } catch (RuntimeException e) {
                if (!KafkaUnavailableException.isOutage(e)) {
                    throw e;
                }
                outage.report(what + ": " + e.getMessage());
                LOG.warnf("Kafka is unavailable while %s (%s); waiting for it. Nothing is sent twice: the step is "
                        + "tried again only after the intents are re-read. Check the broker at "
                        + "KAFKA_BOOTSTRAP_SERVERS.", what, e.getMessage());
                settleWithKafka();
            }
        }
    }

    /** Returns once the publisher is usable again and the registry has read everything committed so far. */
    private void settleWithKafka() {
        long backoffMs = 500;
        while (true) {
            sleep(backoffMs);
            try {
                publisher.recover();
                registry.awaitCaughtUp(Duration.ofSeconds(30));
                return;
            } catch (RuntimeException stillDown) {
                if (!KafkaUnavailableException.isOutage(stillDown)) {
                    throw stillDown;
                }
                backoffMs = Math.min(backoffMs * 2, 15_000);
                LOG.debugf("Kafka still unavailable (%s); next look in %d ms", stillDown.getMessage(), backoffMs);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private void deadLetter(Message<RequestDeserializer.DecodedRequest> message, String reason) {
        IncomingKafkaRecordMetadata<?, ?> meta = message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        String topic = meta == null ? "?" : meta.getTopic();
        int partition = meta == null ? -1 : meta.getPartition();
        long offset = meta == null ? -1 : meta.getOffset();
        LOG.warnf("Request parked in apex.dead-letters (%s-%d@%d): %s", topic, partition, offset, reason);
        whileKafkaIsDown("parking a request in apex.dead-letters", () -> publisher.publish(Topics.DEAD_LETTERS, DeadLettered.parked("dispatcher-" + provider, topic,
                partition, offset, meta == null || meta.getKey() == null ? null : meta.getKey().toString(), reason,
                echo(message.getPayload()), clock.instant())));
        ParkedRecords.count(meters, "dispatcher-" + provider, topic);
    }

    /** The start of the parked record: as received when unreadable, re-written from the parsed request otherwise. */
    private static String echo(RequestDeserializer.DecodedRequest decoded) {
        if (decoded == null) {
            return null;
        }
        return decoded.echo() != null ? decoded.echo() : EventJson.echo(EventJson.write(decoded.request()));
    }
}
