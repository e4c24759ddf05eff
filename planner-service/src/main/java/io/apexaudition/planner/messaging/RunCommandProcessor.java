package io.apexaudition.planner.messaging;

import io.apexaudition.core.LogContext;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.TextChecks;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneGroupRequested;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunRejected;
import io.apexaudition.events.RunRequested;
import io.apexaudition.events.Topics;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.RetryRequested;
import io.apexaudition.planner.domain.JudgingPlanner;
import io.apexaudition.planner.domain.RetryPlanner;
import io.apexaudition.planner.domain.RunPlanner;
import io.apexaudition.planner.domain.SourceRuns;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans one run command: a run ({@code RunRequested}), a judging pass ({@code JudgingRequested}, a run whose lanes
 * are judge lanes) or a retry of either ({@code RetryRequested}). Everything it forwards for a command (the verdict
 * and the whole fan-out) is committed in the same Kafka Streams transaction as the command's offset, so a crash
 * leaves either all of it or none of it; a redelivered command is recognised by the {@code planned-runs} store and
 * not planned twice. An accepted judging command is kept in the {@code judging-commands} store, which its retries
 * are rebuilt from.
 */
class RunCommandProcessor implements Processor<String, String, String, String> {
    private static final Logger LOG = Logger.getLogger(RunCommandProcessor.class);
    /** Key prefix, in the planned-runs store, of a retried generation's latest attempt. */
    private static final String ATTEMPT_MARKER = "attempt:";

    private final RunPlanner planner;
    private final JudgingPlanner judgingPlanner;
    private final RetryPlanner retryPlanner;
    private final SourceRuns sourceRuns;
    private final Clock clock;
    private final PlannerMetrics metrics;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, String> plannedRuns;
    private KeyValueStore<String, String> judgingCommands;
    /** Whether the command being processed has forwarded anything yet. */
    private boolean forwarded;

    RunCommandProcessor(Clock clock, RunPlanner.Caps caps, PlannerMetrics metrics, SourceRuns sourceRuns) {
        this.clock = clock;
        this.metrics = metrics;
        this.planner = new RunPlanner(clock, caps, ModelCatalog.bundled());
        this.judgingPlanner = new JudgingPlanner(clock, caps, ModelCatalog.bundled());
        this.retryPlanner = new RetryPlanner(clock);
        this.sourceRuns = sourceRuns;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.plannedRuns = context.getStateStore(PlannerTopology.PLANNED_RUNS_STORE);
        this.judgingCommands = context.getStateStore(PlannerTopology.JUDGING_COMMANDS_STORE);
    }

    /**
     * Plans the command, or parks it when planning it throws: a command that fails every time would otherwise fail
     * the stream thread, be read again by its replacement and stop every command behind it. Failures of Kafka
     * itself, and failures after part of the command's output was forwarded, are thrown on, so the transaction
     * aborts and the command is planned again (and readiness reports a thread that keeps failing).
     */
    @Override
    public void process(Record<String, String> record) {
        forwarded = false;
        // every line about the command carries its run id (the record's key) until it is planned
        LogContext logContext = LogContext.run(record.key());
        try {
            plan(record);
        } catch (RuntimeException e) {
            if (forwarded || e instanceof org.apache.kafka.common.KafkaException) {
                // part of a fan-out is out: only aborting the transaction takes it back
                throw e;
            }
            LOG.errorf(e, "Planning a run command failed; parking it");
            unreadable(record, "the planner could not plan this command (" + e + "); it is parked so that the "
                    + "commands behind it go on. Check the command's fields, and report this error");
        } finally {
            logContext.close();
        }
    }

    private void plan(Record<String, String> record) {
        if (record.value() != null && record.value().length() > Topics.MAX_COMMAND_BYTES) {
            unreadable(record, "the command is " + record.value().length() + " characters long, over the "
                    + Topics.MAX_COMMAND_BYTES + " allowed for a command: a run command names lanes and options, "
                    + "and the prompts come from apex.prompts, so nothing big belongs in it; a judging command "
                    + "carries the outputs it judges, so judge fewer prompts per pass (apex judge --limit N)");
            return;
        }
        ApexEvent read;
        try {
            read = EventJson.readCommand(record.value());
        } catch (EventJson.UnreadableEventException e) {
            unreadable(record, e.getMessage());
            return;
        }
        if (read instanceof RetryRequested retry) {
            retry(record, retry);
        } else if (read instanceof JudgingRequested judging) {
            judge(record, judging);
        } else {
            run(record, (RunRequested) read);
        }
    }

    private void run(Record<String, String> record, RunRequested command) {
        if (alreadyPlanned(record, command.runId())) {
            return;
        }
        RunPlanner.Outcome outcome = planner.plan(command, Catalog.latestLanes(store(PlannerTopology.LANES_STORE)),
                Catalog.latestPrompts(store(PlannerTopology.PROMPTS_STORE)), echo(record));
        if (outcome instanceof RunPlanner.Accepted accepted) {
            accept(accepted);
            LOG.infof("Run %s accepted: %d generations over %d lanes", command.runId(), accepted.requests().size(),
                    accepted.accepted().lanes().size());
        } else {
            refuse((RunPlanner.Rejected) outcome);
        }
    }

    /**
     * A judging pass, planned like a run. Whether its source run has completed is asked of {@link SourceRuns}, not
     * of a store: the command is keyed (and partitioned) by the judging run's id, so this task's stores hold
     * nothing of the source run, whose command went to another partition.
     */
    private void judge(Record<String, String> record, JudgingRequested command) {
        if (alreadyPlanned(record, command.runId())) {
            return;
        }
        RunPlanner.Outcome outcome = judgingPlanner.plan(command,
                Catalog.latestLanes(store(PlannerTopology.LANES_STORE)), sourceRuns.state(command.sourceRunId()),
                echo(record));
        if (outcome instanceof RunPlanner.Accepted accepted) {
            judgingCommands.put(command.runId(), EventJson.write(command));
            accept(accepted);
            LOG.infof("Judging run %s of run %s accepted: %d judge requests over %d judge lanes", command.runId(),
                    command.sourceRunId(), accepted.requests().size(), accepted.accepted().lanes().size());
        } else {
            refuse((RunPlanner.Rejected) outcome);
        }
    }

    /**
     * The requests of a retry whose attempt was planned already (by an earlier retry under another retry id), each
     * named. A custom id (generation and attempt) is requested once: the dispatchers keep what they intended only
     * for lane groups still open (architecture.md, "Dispatcher state"), so a second request of the same attempt
     * would look new to them. Only retried attempts are kept (first plans are attempt 1), in this task's store.
     */
    private List<String> resentAttempts(List<GenerationRequested> requests) {
        List<String> resent = new ArrayList<>();
        for (GenerationRequested request : requests) {
            String latest = plannedRuns.get(ATTEMPT_MARKER + request.generationId());
            if (latest != null && request.attempt() <= Integer.parseInt(latest)) {
                resent.add("generation " + request.generationId() + " attempt " + (request.attempt() - 1)
                        + " was already sent again as attempt " + latest);
            }
        }
        return resent;
    }

    /**
     * A run id that names a run already: the command is parked, not rejected (a RunRejected under that id would
     * mark the planned run itself rejected).
     */
    private boolean alreadyPlanned(Record<String, String> record, String runId) {
        if (runId == null || plannedRuns.get(runId) == null) {
            return false;
        }
        deadLetter(record, "run id '" + runId + "' was already planned; publish a new command with a new runId to "
                + "run again, or use `apex retry` for its failed generations");
        return true;
    }

    private void accept(RunPlanner.Accepted accepted) {
        plannedRuns.put(accepted.accepted().runId(), accepted.accepted().eventId());
        forward(PlannerTopology.RUNS_SINK, accepted.accepted());
        forwardRequests(accepted.requests());
    }

    /**
     * The requests as lane groups (issue 18, item 2): one record per lane group, or per part of a large one, instead
     * of one per generation; in the same transaction as everything else the command forwards.
     */
    private void forwardRequests(List<GenerationRequested> requests) {
        LaneGroupRequested.pack(requests, part -> {
            for (int i = 0; i < part.size(); i++) {
                metrics.requested(part.provider());
            }
            forward(sinkFor(part.provider()), part);
        });
    }

    private void refuse(RunPlanner.Rejected rejected) {
        LOG.warnf("Run %s rejected: %s", rejected.rejected().runId(), rejected.rejected().reason());
        forward(PlannerTopology.RUNS_SINK, rejected.rejected());
    }

    private void retry(Record<String, String> record, RetryRequested retry) {
        // refused as any retry is (parked, not a RunRejected: that would mark the run itself rejected), before an
        // id a person typed is quoted in a message or used as a store key
        List<String> unusable = new ArrayList<>();
        TextChecks.identifier("runId", retry.runId()).ifPresent(unusable::add);
        TextChecks.identifier("retryId", retry.retryId()).ifPresent(unusable::add);
        if (!unusable.isEmpty()) {
            deadLetter(record, "retry refused: " + String.join("; ", unusable) + "; run `apex retry RUN_ID` to "
                    + "build a valid one");
            return;
        }
        if (retry.runId() == null || plannedRuns.get(retry.runId()) == null) {
            deadLetter(record, "retry '" + retry.retryId() + "' names run '" + retry.runId() + "', which this "
                    + "planner never planned: check the run id (`apex status` lists the runs) and retry that run");
            return;
        }
        String marker = "retry:" + retry.retryId();
        if (plannedRuns.get(marker) != null) {
            deadLetter(record, "retry '" + retry.retryId() + "' was already planned; run `apex retry` again for a "
                    + "new attempt");
            return;
        }
        Map<String, LaneRegistered> byConditionId = new HashMap<>();
        KeyValueStore<String, String> lanes = store(PlannerTopology.LANES_STORE);
        try (var it = lanes.all()) {
            it.forEachRemaining(kv -> {
                try {
                    LaneRegistered lane = EventJson.read(kv.value, LaneRegistered.class);
                    byConditionId.put(lane.conditionId(), lane);
                } catch (EventJson.UnreadableEventException ignored) {
                    // reported when a run needs it
                }
            });
        }
        KeyValueStore<String, String> prompts = store(PlannerTopology.PROMPTS_STORE);
        String judging = judgingCommands.get(retry.runId());
        RetryPlanner.Plan plan = judging != null
                // a judge request is rebuilt from its judging command, not from apex.prompts (JudgingPlanner.retry)
                ? judgingPlanner.retry(retry, EventJson.read(judging, JudgingRequested.class),
                        id -> Optional.ofNullable(byConditionId.get(id)))
                : retryPlanner.plan(retry, id -> Optional.ofNullable(byConditionId.get(id)),
                (id, version) -> Optional.ofNullable(prompts.get(io.apexaudition.events.Keys.versioned(id, version)))
                        .map(json -> EventJson.read(json, io.apexaudition.events.PromptIngested.class)));
        if (!plan.problems().isEmpty()) {
            deadLetter(record, "retry '" + retry.retryId() + "' of run " + retry.runId() + " refused: "
                    + String.join("; ", plan.problems()));
            return;
        }
        List<String> resent = resentAttempts(plan.requests());
        if (!resent.isEmpty()) {
            deadLetter(record, "retry '" + retry.retryId() + "' of run " + retry.runId() + " refused: "
                    + String.join("; ", resent) + ". An earlier retry sent it already and its result may not be "
                    + "recorded yet; sending that attempt twice could pay for it twice. Run `apex retry "
                    + retry.runId() + "` again once `apex status` shows it ended: it lists the latest attempt");
            return;
        }
        plannedRuns.put(marker, retry.eventId() == null ? "retry" : retry.eventId());
        for (GenerationRequested request : plan.requests()) {
            plannedRuns.put(ATTEMPT_MARKER + request.generationId(), Integer.toString(request.attempt()));
        }
        // a retry lists generations in any order: grouped by lane group, each group goes as few parts as it can
        forwardRequests(plan.requests().stream().sorted(java.util.Comparator.comparing(GenerationRequested::provider)
                .thenComparing(GenerationRequested::key).thenComparingInt(GenerationRequested::attempt)).toList());
        LOG.infof("Retry %s of run %s: %d generation(s) sent again", retry.retryId(), retry.runId(),
                plan.requests().size());
    }

    /**
     * A record that is not a command this planner can read: the run (if the record names one) is rejected so that
     * `apex status` shows why, and the record itself is parked in apex.dead-letters to be counted and inspected.
     */
    private void unreadable(Record<String, String> record, String problem) {
        // the reader's message may quote the record, control characters and all
        String printable = TextChecks.printable(problem, Integer.MAX_VALUE);
        reject(record, printable);
        deadLetter(record, printable);
    }

    private void reject(Record<String, String> record, String problem) {
        String runId = record.key() != null && !record.key().isBlank()
                ? TextChecks.printable(record.key(), TextChecks.MAX_ID_CHARS) : "unreadable-" + position();
        List<String> problems = List.of(problem + "; fix the command and publish it again (see the README, "
                + "section \"Run command\")");
        LOG.warnf("Run command %s rejected: %s", runId, problem);
        // named by the record's position, as its dead letter is: rejected again after a crash, it is one event
        forward(PlannerTopology.RUNS_SINK, new RunRejected(EventIds.nameUuid("RunRejected", runId, position()),
                RunRejected.SCHEMA_VERSION, clock.instant(), runId, problem, problems, echo(record)));
    }

    private void deadLetter(Record<String, String> record, String reason) {
        LOG.warnf("Run command parked in apex.dead-letters: %s", reason);
        Optional<RecordMetadata> meta = context.recordMetadata();
        metrics.parked(meta.map(RecordMetadata::topic).orElse("apex.run-commands"));
        forward(PlannerTopology.DEAD_LETTER_SINK, DeadLettered.parked("planner-service",
                meta.map(RecordMetadata::topic).orElse("apex.run-commands"),
                meta.map(RecordMetadata::partition).orElse(-1), meta.map(RecordMetadata::offset).orElse(-1L),
                record.key() == null ? null : TextChecks.printable(record.key(), TextChecks.MAX_ID_CHARS), reason,
                echo(record), clock.instant()));
    }

    /**
     * The start of the command for a rejection or a dead letter, storable as text: a NUL or a surrogate cut in
     * half by the echo would fail the recorder's write of the very record that explains the command.
     */
    private static String echo(Record<String, String> record) {
        return TextChecks.printable(EventJson.echo(record.value()), Integer.MAX_VALUE);
    }

    private String position() {
        return context.recordMetadata().map(m -> m.partition() + "-" + m.offset()).orElse(EventIds.newEventId());
    }

    private void forward(String sink, ApexEvent event) {
        forwarded = true;
        context.forward(new Record<>(event.key(), EventJson.write(event), clock.millis()), sink);
    }

    private static String sinkFor(String provider) {
        return Providers.OPENAI.equals(provider) ? PlannerTopology.OPENAI_SINK : PlannerTopology.ANTHROPIC_SINK;
    }

    private KeyValueStore<String, String> store(String name) {
        return context.getStateStore(name);
    }
}
