package io.apexaudition.core;

import io.apexaudition.events.LaneParameters;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CostEstimatorTest {
    private final ModelCatalog catalog = Configs.catalog();
    private final CostEstimator estimator = new CostEstimator(catalog);

    @Test
    void shouldPriceTheWorstCaseAsEveryBudgetTokenUsedAndHalveItInBatch() {
        // given GPT-4o ($2.50 in, $10 out per million), 6,000 output tokens, two prompts of 400 characters (100 tokens + 10)
        LaneSpec lane = new LaneSpec("4o.t0-6", "gpt-4o", "openai", "gpt-4o",
                new LaneParameters(0.6, 6000, null, null, null), null);
        PromptSpec prompt = new PromptSpec("p1", "t", "g", "x".repeat(400), null);

        CostEstimator.Estimate estimate = estimator.estimate(List.of(lane), List.of(prompt, prompt), 1, true);

        // then input 220 tokens = $0.00055; output 12,000 tokens = $0.12
        CostEstimator.LaneCost cost = estimate.lanes().get(0);
        assertThat(cost.generations()).isEqualTo(2);
        assertThat(cost.outputTokensWorst()).isEqualTo(12_000);
        assertThat(cost.worstSync()).isEqualByComparingTo("0.1206");
        assertThat(cost.worstBatch()).isEqualByComparingTo("0.0603");
        assertThat(cost.outputTokensTypical()).isEqualTo(2 * 1500);
    }

    @Test
    void shouldChargeTheSharedContextOnceAsACacheWriteThenAsCacheReads() {
        LaneSpec lane = new LaneSpec("sonnet.t0-8.std", "claude-sonnet-4.5", "anthropic", "claude-sonnet-4-5",
                new LaneParameters(0.8, 6000, null, null, null), null);
        PromptSpec prompt = new PromptSpec("p1", "t", "g", "x".repeat(40), "c".repeat(8000));

        CostEstimator.LaneCost cached = estimator.estimate(List.of(lane), List.of(prompt, prompt, prompt), 1, true)
                .lanes().get(0);
        CostEstimator.LaneCost uncached = estimator.estimate(List.of(lane), List.of(prompt, prompt, prompt), 1, false)
                .lanes().get(0);

        assertThat(cached.cacheWriteTokens()).isEqualTo(2000);
        assertThat(cached.cachedInputTokens()).isEqualTo(4000);
        assertThat(uncached.cachedInputTokens()).isZero();
        assertThat(cached.worstSync()).isLessThan(uncached.worstSync());
    }

    @Test
    void shouldEstimateTheShippedAuditionLikeTheSeedsTokenCounts() {
        List<LaneSpec> lanes = RequestBodiesGoldenTest.lanes();
        List<PromptSpec> prompts = PromptLibrary.load(Configs.PROMPTS);

        CostEstimator.Estimate estimate = estimator.estimate(lanes, prompts, 1, true);

        assertThat(estimate.generations()).isEqualTo(315);
        // 126 reasoning x 36k + 63 GPT-4o x 6k + Claude: 84 x 6k + 21 x 38k + 21 x 30k
        assertThat(estimate.outputTokensWorst()).isEqualTo(126L * 36000 + 63L * 6000 + 84L * 6000 + 21L * 38000
                + 21L * 30000);
        assertThat(estimate.worstBatch().multiply(BigDecimal.valueOf(2))).isEqualByComparingTo(estimate.worstSync());
    }
}
