package io.apexaudition.poller.domain;

import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.Pricing;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.RunMode;
import io.apexaudition.providers.BatchState;
import io.apexaudition.providers.GenerationOutcome;
import io.apexaudition.providers.ResultLine;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a finished batch into one {@link GenerationCompleted} per entry: the provider's result where there is
 * one (matched by custom id, in any order), and a truthful error where there is none (the batch failed
 * validation, expired, was cancelled, or lost the line). Costs are at batch prices.
 */
public final class ResultAssembler {
    private final ModelCatalog catalog;

    public ResultAssembler(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    public List<GenerationCompleted> assemble(BatchSubmitted batch, BatchState state, List<ResultLine> lines,
                                              Instant now) {
        Map<String, GenerationOutcome> byCustomId = new HashMap<>();
        lines.forEach(l -> byCustomId.put(l.customId(), l.outcome()));
        List<GenerationCompleted> results = new ArrayList<>(batch.entries().size());
        for (BatchEntry entry : batch.entries()) {
            GenerationOutcome found = byCustomId.get(entry.customId());
            GenerationOutcome outcome = found != null ? found : missing(state);
            BigDecimal cost = outcome.status() == GenerationStatus.COMPLETED
                    ? catalog.model(batch.model()).map(m -> Pricing.cost(catalog, m, outcome.usage(), true)).orElse(null)
                    : null;
            results.add(new GenerationCompleted(
                    EventIds.nameUuid("GenerationCompleted", entry.generationId(), Integer.toString(entry.attempt())),
                    GenerationCompleted.SCHEMA_VERSION, now, batch.runId(), entry.generationId(), entry.attempt(),
                    entry.conditionId(), entry.conditionSlug(), entry.promptId(), 0, batch.provider(), batch.model(),
                    RunMode.BATCH, batch.batchId(), entry.customId(), outcome.status(), outcome.text(),
                    outcome.finishReason(), outcome.usage(), outcome.cacheHit(), cost, outcome.errorKind(),
                    outcome.errorMessage(), null));
        }
        return results;
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
