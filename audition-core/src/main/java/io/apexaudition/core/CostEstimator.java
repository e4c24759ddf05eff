package io.apexaudition.core;

import io.apexaudition.events.LaneParameters;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Estimates what a set of lanes x prompts costs before it runs, as the seed's "Cost Estimation" does by hand:
 * a worst case (every output token of the budget used) and a typical case (the catalog's typical usage),
 * each at the synchronous price and with the batch discount. Input is estimated from characters; with
 * caching on, a lane's shared context is written to the cache once and read by its other requests
 * (a best case: in batches cache hits are best effort).
 */
public final class CostEstimator {
    static final int MIN_CACHEABLE_TOKENS = 1024;
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final ModelCatalog catalog;

    public CostEstimator(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /** One lane's estimate. Costs are USD. */
    public record LaneCost(String slug, String model, int generations, long inputTokens, long cachedInputTokens,
                           long cacheWriteTokens, long outputTokensWorst, long outputTokensTypical,
                           BigDecimal worstSync, BigDecimal worstBatch, BigDecimal typicalSync,
                           BigDecimal typicalBatch) {
    }

    public record Estimate(List<LaneCost> lanes, int generations, long outputTokensWorst, long outputTokensTypical,
                           BigDecimal worstSync, BigDecimal worstBatch, BigDecimal typicalSync,
                           BigDecimal typicalBatch) {
    }

    public Estimate estimate(List<LaneSpec> lanes, List<PromptSpec> prompts, int replicates, boolean cache) {
        List<LaneCost> costs = new ArrayList<>();
        for (LaneSpec lane : lanes) {
            costs.add(lane(lane, prompts, replicates, cache));
        }
        return new Estimate(costs, costs.stream().mapToInt(LaneCost::generations).sum(),
                costs.stream().mapToLong(LaneCost::outputTokensWorst).sum(),
                costs.stream().mapToLong(LaneCost::outputTokensTypical).sum(),
                sum(costs, LaneCost::worstSync), sum(costs, LaneCost::worstBatch),
                sum(costs, LaneCost::typicalSync), sum(costs, LaneCost::typicalBatch));
    }

    LaneCost lane(LaneSpec lane, List<PromptSpec> prompts, int replicates, boolean cache) {
        ModelSpec model = catalog.model(lane.model()).orElseThrow(() -> new ConfigException("lane " + lane.slug()
                + ": model '" + lane.model() + "' is not in the catalog"));
        ModelSpec.Prices price = model.pricesPerMillion();
        long uncached = 0;
        long cachedReads = 0;
        long cacheWrites = 0;
        int generations = 0;
        boolean firstWithContext = true;
        for (PromptSpec prompt : prompts) {
            long promptTokens = tokens(prompt.text()) + 10;
            long contextTokens = tokens(prompt.sharedContext());
            for (int r = 0; r < replicates; r++) {
                generations++;
                uncached += promptTokens;
                if (cache && contextTokens >= MIN_CACHEABLE_TOKENS) {
                    if (firstWithContext) {
                        cacheWrites += contextTokens;
                        firstWithContext = false;
                    } else {
                        cachedReads += contextTokens;
                    }
                } else {
                    uncached += contextTokens;
                }
            }
        }
        long worstPer = budget(lane.parameters());
        long typicalPer = Math.min(worstPer, typicalOutput(lane.parameters()));
        long worstOut = worstPer * generations;
        long typicalOut = typicalPer * generations;
        BigDecimal input = cost(uncached, price.input()).add(cost(cachedReads, price.cachedInput()))
                .add(cost(cacheWrites, price.cacheWrite()));
        BigDecimal worst = input.add(cost(worstOut, price.output()));
        BigDecimal typical = input.add(cost(typicalOut, price.output()));
        return new LaneCost(lane.slug(), model.id(), generations, uncached + cachedReads + cacheWrites, cachedReads,
                cacheWrites, worstOut, typicalOut, round(worst), round(worst.multiply(catalog.batchDiscount())),
                round(typical), round(typical.multiply(catalog.batchDiscount())));
    }

    private long tokens(String text) {
        return text == null ? 0 : (long) Math.ceil(text.length() / catalog.typicalUsage().charsPerToken());
    }

    static long budget(LaneParameters p) {
        if (p.maxCompletionTokens() != null) {
            return p.maxCompletionTokens();
        }
        return p.maxTokens() == null ? 0 : p.maxTokens();
    }

    private long typicalOutput(LaneParameters p) {
        ModelCatalog.TypicalUsage typical = catalog.typicalUsage();
        long out = typical.visibleOutputTokens();
        if (p.reasoningEffort() != null) {
            out += typical.reasoningTokensByEffort().getOrDefault(p.reasoningEffort(), 0);
        }
        if (p.thinkingBudgetTokens() != null) {
            out += Math.round(p.thinkingBudgetTokens() * typical.thinkingTokensFractionOfBudget());
        }
        return out;
    }

    private static BigDecimal cost(long tokens, BigDecimal perMillion) {
        return BigDecimal.valueOf(tokens).multiply(perMillion).divide(MILLION, 10, RoundingMode.HALF_UP);
    }

    private static BigDecimal round(BigDecimal value) {
        return value.setScale(4, RoundingMode.HALF_UP);
    }

    private static BigDecimal sum(List<LaneCost> costs, java.util.function.Function<LaneCost, BigDecimal> f) {
        return costs.stream().map(f).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
