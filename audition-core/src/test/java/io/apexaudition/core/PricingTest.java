package io.apexaudition.core;

import io.apexaudition.events.Usage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PricingTest {
    private final ModelCatalog catalog = Configs.catalog();

    @Test
    void shouldChargeCacheReadsWritesAndOutputAtTheirOwnPricesAndHalveInBatch() {
        // Sonnet 4.5: input $3, cache read $0.30, cache write $3.75, output $15 per million
        ModelSpec sonnet = catalog.model("claude-sonnet-4.5").orElseThrow();
        Usage usage = new Usage(3000, 1000, 1000, 2000, 0);

        // 1000 x 3 + 1000 x 0.30 + 1000 x 3.75 + 2000 x 15 = 37,050 per million = $0.03705
        assertThat(Pricing.cost(catalog, sonnet, usage, false)).isEqualByComparingTo("0.037050");
        assertThat(Pricing.cost(catalog, sonnet, usage, true)).isEqualByComparingTo("0.018525");
    }
}
