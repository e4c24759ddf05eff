package io.apexaudition.core;

import io.apexaudition.events.Usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What a finished generation cost, from the usage the provider reported: uncached input, cached input
 * reads, cache writes and output (reasoning and thinking tokens are billed as output and are part of the
 * reported output count), at the batch price when it ran in a batch.
 */
public final class Pricing {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private Pricing() {
    }

    public static BigDecimal cost(ModelCatalog catalog, ModelSpec model, Usage usage, boolean batch) {
        ModelSpec.Prices p = model.pricesPerMillion();
        long uncached = Math.max(0, usage.inputTokens() - usage.cachedInputTokens() - usage.cacheWriteTokens());
        BigDecimal total = per(uncached, p.input())
                .add(per(usage.cachedInputTokens(), p.cachedInput()))
                .add(per(usage.cacheWriteTokens(), p.cacheWrite()))
                .add(per(usage.outputTokens(), p.output()));
        if (batch) {
            total = total.multiply(catalog.batchDiscount());
        }
        return total.setScale(6, RoundingMode.HALF_UP);
    }

    private static BigDecimal per(long tokens, BigDecimal perMillion) {
        return BigDecimal.valueOf(tokens).multiply(perMillion).divide(MILLION, 10, RoundingMode.HALF_UP);
    }
}
