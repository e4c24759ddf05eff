package io.apexaudition.events;

import java.util.List;
import java.util.Optional;

import static io.apexaudition.events.TopicSpec.CleanupPolicy.COMPACTED;
import static io.apexaudition.events.TopicSpec.CleanupPolicy.EVENTS;
import static io.apexaudition.events.TopicSpec.CleanupPolicy.STATE;

/**
 * The topic registry: every topic of the system, once. Topics are created from this list (tests, the local
 * stack, Kubernetes {@code KafkaTopic} resources), never auto-created by a client.
 */
public final class Topics {
    /** Largest record a topic accepts; a run fan-out or a batch's entries stay well below it. */
    public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
    /**
     * Largest run command the planner reads (a retry of about 25,000 generations); bigger ones are parked in
     * apex.dead-letters unread, so a huge payload cannot stall the fan-out.
     */
    public static final int MAX_COMMAND_BYTES = 4 * 1024 * 1024;

    public static final int DEFAULT_PARTITIONS = 6;

    public static final TopicSpec RUN_COMMANDS = new TopicSpec("apex.run-commands", "runId",
            DEFAULT_PARTITIONS, EVENTS, List.of(RunRequested.class, RetryRequested.class, JudgingRequested.class),
            "apex CLI or any producer");
    public static final TopicSpec LANES = new TopicSpec("apex.lanes", "slug/vN",
            1, COMPACTED, List.of(LaneRegistered.class), "planner-service");
    public static final TopicSpec PROMPTS = new TopicSpec("apex.prompts", "promptId/vN",
            1, COMPACTED, List.of(PromptIngested.class), "planner-service");
    public static final TopicSpec RUNS = new TopicSpec("apex.runs", "runId",
            DEFAULT_PARTITIONS, EVENTS, List.of(RunAccepted.class, RunRejected.class, RunCompleted.class),
            "planner-service");
    public static final TopicSpec GENERATION_REQUESTS_OPENAI = new TopicSpec("apex.generation-requests.openai",
            "runId/slug", DEFAULT_PARTITIONS, EVENTS, List.of(LaneGroupRequested.class, GenerationRequested.class),
            "planner-service");
    public static final TopicSpec GENERATION_REQUESTS_ANTHROPIC = new TopicSpec(
            "apex.generation-requests.anthropic", "runId/slug", DEFAULT_PARTITIONS, EVENTS,
            List.of(LaneGroupRequested.class, GenerationRequested.class), "planner-service");
    /** Intents and submissions share a topic (keyed by intent id) so one ordered log says what was paid for. */
    public static final TopicSpec BATCHES = new TopicSpec("apex.batches", "intentId",
            DEFAULT_PARTITIONS, EVENTS, List.of(DispatchIntended.class, BatchSubmitted.class, DispatchSettled.class),
            "dispatcher-service");
    public static final TopicSpec BATCH_STATUS = new TopicSpec("apex.batch-status", "batchId",
            DEFAULT_PARTITIONS, EVENTS, List.of(BatchStatusChanged.class), "poller-service");
    /**
     * The poller's open batches (issue 18): each {@link BatchSubmitted} without its request bodies, keyed by batch id,
     * in the partition number of the {@link #BATCHES} record it came from (the poller that owns that partition owns
     * the batch), deleted by a tombstone in the transaction that commits the batch's results.
     */
    public static final TopicSpec OPEN_BATCHES = new TopicSpec("apex.open-batches", "batchId",
            DEFAULT_PARTITIONS, STATE, List.of(BatchSubmitted.class), "poller-service");
    /**
     * A provider's dispatch state (issue 18, architecture.md "Dispatcher state"): one entry per lane
     * group (run, lane, attempt) whose requests can still be delivered, its intents and their fates, in the partition
     * number of the group's requests (the dispatcher that owns that request partition owns the entry), deleted once
     * the group's offset is committed past its last request. Its values are the dispatcher's own state entries, not
     * events.
     */
    public static final TopicSpec DISPATCH_STATE_OPENAI = new TopicSpec("apex.dispatch-state.openai",
            "runId/slug/attempt", DEFAULT_PARTITIONS, STATE, List.of(), "dispatcher-service (openai)");
    public static final TopicSpec DISPATCH_STATE_ANTHROPIC = new TopicSpec("apex.dispatch-state.anthropic",
            "runId/slug/attempt", DEFAULT_PARTITIONS, STATE, List.of(), "dispatcher-service (anthropic)");
    public static final TopicSpec GENERATION_RESULTS = new TopicSpec("apex.generation-results", "runId/slug",
            DEFAULT_PARTITIONS, EVENTS, List.of(GenerationCompleted.class),
            "poller-service (batch), dispatcher-service (sync, dry run, verify-first refusals)");
    public static final TopicSpec DEAD_LETTERS = new TopicSpec("apex.dead-letters", "source topic",
            1, EVENTS, List.of(DeadLettered.class), "every consumer");

    /** A person's verdicts on a run's outputs, cast in the viewer; keyed by run, so a run's verdicts stay in order. */
    public static final TopicSpec VERDICTS = new TopicSpec("apex.verdicts", "runId",
            DEFAULT_PARTITIONS, EVENTS, List.of(VerdictRecorded.class), "viewer-service");

    /**
     * The claim checks' bodies: every request body exactly as sent, once per distinct body (keyed by its SHA-256), so
     * batches and results name it by hash instead of carrying it; and the long texts bodies name instead of holding
     * (keyed by theirs).
     */
    public static final TopicSpec REQUEST_BODIES = new TopicSpec("apex.request-bodies", "bodyHash | textHash",
            DEFAULT_PARTITIONS, COMPACTED, List.of(RequestBodyStored.class, LongTextStored.class), "dispatcher-service");

    public static final List<TopicSpec> ALL = List.of(RUN_COMMANDS, LANES, PROMPTS, RUNS,
            GENERATION_REQUESTS_OPENAI, GENERATION_REQUESTS_ANTHROPIC, BATCHES, BATCH_STATUS, OPEN_BATCHES,
            DISPATCH_STATE_OPENAI, DISPATCH_STATE_ANTHROPIC, GENERATION_RESULTS, DEAD_LETTERS, VERDICTS, REQUEST_BODIES);

    private Topics() {
    }

    /** The request topic of one provider's dispatcher. */
    public static TopicSpec generationRequests(String provider) {
        return ofProvider(provider, GENERATION_REQUESTS_OPENAI, GENERATION_REQUESTS_ANTHROPIC);
    }

    /** The dispatch state of one provider's dispatchers, partitioned as its request topic. */
    public static TopicSpec dispatchState(String provider) {
        return ofProvider(provider, DISPATCH_STATE_OPENAI, DISPATCH_STATE_ANTHROPIC);
    }

    private static TopicSpec ofProvider(String provider, TopicSpec openai, TopicSpec anthropic) {
        return switch (provider) {
            case Providers.OPENAI -> openai;
            case Providers.ANTHROPIC -> anthropic;
            default -> throw new IllegalArgumentException("Unknown provider '" + provider
                    + "': use one of " + Providers.ALL);
        };
    }

    public static Optional<TopicSpec> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
