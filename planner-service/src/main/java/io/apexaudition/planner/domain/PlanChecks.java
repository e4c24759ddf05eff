package io.apexaudition.planner.domain;

import io.apexaudition.core.LaneSpec;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.TextChecks;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunRejected;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks a run command and a judging command share: the run id, a lane named by slug, the caps, and the
 * rejection that lists the problems. Each problem names the value, the rule and the fix.
 */
final class PlanChecks {
    /** Run ids end up in record keys ({@code runId/slug}) and file names: keep them plain. */
    static final Pattern RUN_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$");
    /** How much of a refused value a problem quotes. */
    static final int ECHO_CHARS = 80;
    /**
     * The most problems one rejection lists: a 4 MiB judging command can hold tens of thousands of outputs, and a
     * line for each would make a rejection too big to publish (and to read).
     */
    static final int MAX_PROBLEMS = 100;

    private PlanChecks() {
    }

    /**
     * The run id's problems, added to {@code problems}.
     *
     * @return the text problem of the id (a control character, a lone surrogate), which decides how a rejection
     * quotes it
     */
    static Optional<String> runId(String runId, List<String> problems) {
        Optional<String> text = TextChecks.identifier("runId", runId);
        text.ifPresent(problems::add);
        if (text.isEmpty() && (runId == null || !RUN_ID.matcher(runId).matches())) {
            problems.add("runId '" + runId + "' is missing or not plain: use letters, digits, '.', '_' or '-' "
                    + "(at most 100), e.g. \"run-2026-11-26-a\"");
        }
        return text;
    }

    /**
     * The latest version of the lane named {@code slug}, or a problem: unknown (with the registered slugs and
     * {@code register}, how to register it), or of a provider no dispatcher serves.
     *
     * @param noun what the lane is to the command ("lane", "judge lane")
     */
    static Optional<LaneRegistered> lane(String slug, Map<String, LaneRegistered> lanes, String noun, String register,
                                         List<String> problems) {
        LaneRegistered lane = lanes.get(slug);
        if (lane == null) {
            problems.add("unknown " + noun + " '" + slug + "': register it with " + register + ", or use one of "
                    + (lanes.isEmpty() ? "(none registered yet)" : String.join(", ", lanes.keySet().stream()
                    .sorted().toList())));
            return Optional.empty();
        }
        if (!Providers.ALL.contains(lane.provider())) {
            problems.add(noun + " '" + slug + "' names provider '" + lane.provider() + "', which no dispatcher "
                    + "serves: register it again with one of " + Providers.ALL);
            return Optional.empty();
        }
        return Optional.of(lane);
    }

    /** The lanes as the cost estimator takes them, or empty (with the problem) when one has no price. */
    static Optional<List<LaneSpec>> priced(List<LaneRegistered> lanes, ModelCatalog catalog, List<String> problems) {
        List<LaneSpec> specs = new ArrayList<>();
        for (LaneRegistered lane : lanes) {
            if (catalog.model(lane.model()).isEmpty()) {
                problems.add("lane '" + lane.slug() + "' runs model '" + lane.model() + "', which has no price in "
                        + "the planner's model catalog, so the run's cost cannot be bounded: register the lane "
                        + "again with a model of config/models.yaml, or add the model's prices there");
                return Optional.empty();
            }
            specs.add(new LaneSpec(lane.slug(), lane.model(), lane.provider(), lane.apiModelId(), lane.parameters(),
                    lane.description()));
        }
        return Optional.of(specs);
    }

    /**
     * A run over the generation cap.
     *
     * @param subject what plans them ("the run")
     * @param unit    what it plans ("generations")
     * @param shrink  how to plan fewer
     */
    static Optional<String> overGenerations(RunPlanner.Caps caps, long generations, String subject, String unit,
                                            String shrink) {
        if (generations <= caps.maxGenerations()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%s plans %,d %s, over the cap of %,d per run: %s, or raise "
                + "the cap with APEX_PLANNER_MAX_RUN_GENERATIONS (property apex.planner.max-run-generations) on the "
                + "planner", subject, generations, unit, caps.maxGenerations(), shrink));
    }

    /**
     * A run whose worst case is over the cost cap.
     *
     * @param subject whose worst case it is ("the run's")
     */
    static Optional<String> overCost(RunPlanner.Caps caps, BigDecimal worst, long generations, boolean batch,
                                     String subject, String unit, String shrink) {
        if (worst.compareTo(caps.maxCostUsd()) <= 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%s worst case is USD %,.2f (all %,d %s using their lanes' "
                + "whole output budget, at %s prices), over the cap of USD %,.2f per run: %s, or raise the cap with "
                + "APEX_PLANNER_MAX_RUN_COST_USD (property apex.planner.max-run-cost-usd) on the planner", subject,
                worst, generations, unit, batch ? "batch" : "synchronous", caps.maxCostUsd(), shrink));
    }

    /**
     * The rejection of a command, listing its problems (at most {@link #MAX_PROBLEMS}, then how many more). The
     * rejection is keyed and stored by run id: one that cannot be stored as it is goes escaped.
     */
    static RunRejected rejection(String commandEventId, String runId, Optional<String> runIdText,
                                 List<String> problems, Instant now, String rawCommand) {
        // named by the command it answers: the same command planned again (a transaction retried) is rejected with
        // the same event, a command sent again is rejected anew
        String command = commandEventId == null || commandEventId.isBlank() ? String.valueOf(rawCommand)
                : commandEventId;
        String safeRunId = runId == null || runId.isBlank() ? "unnamed-" + EventIds.nameUuid("unnamed run", command)
                : runIdText.isPresent() ? TextChecks.printable(runId, ECHO_CHARS) : runId;
        List<String> listed = problems;
        if (problems.size() > MAX_PROBLEMS) {
            listed = new ArrayList<>(problems.subList(0, MAX_PROBLEMS));
            listed.add(String.format(Locale.ROOT, "and %,d more problems like these: fix the ones above and send "
                    + "the command again to see the rest", problems.size() - MAX_PROBLEMS));
        }
        String reason = problems.size() == 1 ? problems.get(0) : String.format(Locale.ROOT, "%,d problems: %s (and "
                + "%,d more)", problems.size(), problems.get(0), problems.size() - 1);
        return new RunRejected(EventIds.nameUuid("RunRejected", safeRunId, command), RunRejected.SCHEMA_VERSION, now,
                safeRunId, reason, listed, rawCommand);
    }
}
