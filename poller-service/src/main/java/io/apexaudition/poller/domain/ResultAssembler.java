package io.apexaudition.poller.domain;

import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.Pricing;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.providers.BatchState;
import io.apexaudition.providers.GenerationOutcome;
import io.apexaudition.providers.ResultLine;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns a finished batch into one {@link GenerationCompleted} per entry: the provider's result where there is
 * one (matched by custom id, in any order), and a truthful error where there is none (the batch failed
 * validation, expired, was cancelled, or lost the line). Costs are at batch prices. An {@link Assembly} takes the
 * lines one at a time as they are downloaded, so a batch's results never need to be in memory together.
 */
public final class ResultAssembler {
    private static final int UNMATCHED_KEPT = 3;

    private final ModelCatalog catalog;

    public ResultAssembler(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /** One finished batch's results, assembled as its lines arrive. */
    public Assembly start(BatchSubmitted batch, BatchState state, Instant now) {
        return new Assembly(batch, state, now);
    }

    /** All of a batch's results from lines already in hand, in the order the lines came, then the unanswered. */
    public List<GenerationCompleted> assemble(BatchSubmitted batch, BatchState state, List<ResultLine> lines,
                                              Instant now) {
        List<GenerationCompleted> results = new ArrayList<>(batch.entries().size());
        Assembly assembly = start(batch, state, now);
        lines.forEach(line -> assembly.accept(line, results::add));
        assembly.finish(results::add);
        return results;
    }

    /**
     * The results of one batch: each line becomes its entry's {@link GenerationCompleted} the moment it arrives;
     * {@link #finish} then ends every entry that got no line. The first line for a custom id wins; a line that
     * names no entry of the batch (unreadable, a custom id it does not have, a repeat) ends nothing, and the
     * entries left without a result say such lines were there.
     */
    public final class Assembly {
        private final BatchSubmitted batch;
        private final BatchState state;
        private final Instant now;
        private final Map<String, BatchEntry> unanswered = new LinkedHashMap<>();
        private final List<String> unmatched = new ArrayList<>();
        private long unmatchedLines;
        private long results;
        private long completed;

        private Assembly(BatchSubmitted batch, BatchState state, Instant now) {
            this.batch = batch;
            this.state = state;
            this.now = now;
            batch.entries().forEach(e -> unanswered.putIfAbsent(e.customId(), e));
        }

        /** One result line; its entry's result goes to {@code out} at once. */
        public void accept(ResultLine line, Consumer<GenerationCompleted> out) {
            BatchEntry entry = line.customId() == null ? null : unanswered.remove(line.customId());
            if (entry == null) {
                unmatchedLines++;
                if (unmatched.size() < UNMATCHED_KEPT) {
                    unmatched.add(line.customId() == null ? line.outcome().errorMessage()
                            : "a line for custom id '" + line.customId() + "', which is not in this batch or came twice");
                }
                return;
            }
            emit(entry, line.outcome(), out);
        }

        /** Ends every entry that got no line, truthfully; call once, after the last line. */
        public void finish(Consumer<GenerationCompleted> out) {
            GenerationOutcome missing = missing(state);
            if (unmatchedLines > 0) {
                missing = GenerationOutcome.error(missing.errorKind(), missing.errorMessage() + "; the provider's results "
                        + "also had " + unmatchedLines + " line(s) that matched no request of this batch, maybe this "
                        + "one's (" + String.join("; ", unmatched) + ")");
            }
            for (BatchEntry entry : unanswered.values()) {
                emit(entry, missing, out);
            }
            unanswered.clear();
        }

        public long results() {
            return results;
        }

        public long completed() {
            return completed;
        }

        public long unmatchedLines() {
            return unmatchedLines;
        }

        private void emit(BatchEntry entry, GenerationOutcome outcome, Consumer<GenerationCompleted> out) {
            results++;
            if (outcome.status() == GenerationStatus.COMPLETED) {
                completed++;
            }
            out.accept(result(batch, entry, outcome, now));
        }
    }

    private GenerationCompleted result(BatchSubmitted batch, BatchEntry entry, GenerationOutcome outcome,
                                       Instant now) {
        BigDecimal cost = outcome.status() == GenerationStatus.COMPLETED
                ? catalog.model(batch.model()).map(m -> Pricing.cost(catalog, m, outcome.usage(), true)).orElse(null)
                : null;
        return outcome.result(GenerationCompleted.Subject.of(batch, entry), now, cost);
    }

    private static GenerationOutcome missing(BatchState state) {
        if (state.failedValidation()) {
            return GenerationOutcome.error(ErrorKind.BATCH_FAILED_VALIDATION, state.message() == null
                    ? "the provider refused the whole batch at validation" : state.message());
        }
        return switch (state.status()) {
            case "expired" -> GenerationOutcome.error(ErrorKind.EXPIRED, "the batch expired before this request ran");
            case "cancelled", "canceled" -> GenerationOutcome.error(ErrorKind.CANCELED,
                    "the batch was cancelled before this request ran");
            default -> GenerationOutcome.error(ErrorKind.SERVER, "the finished batch (" + state.status()
                    + ") has no result for this request");
        };
    }
}
