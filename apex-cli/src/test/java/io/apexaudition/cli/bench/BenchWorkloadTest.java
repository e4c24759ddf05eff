package io.apexaudition.cli.bench;

import io.apexaudition.core.LaneDefinition;
import io.apexaudition.core.LaneValidator;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.PromptSpec;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BenchWorkloadTest {
    private final ModelCatalog catalog = ModelCatalog.bundled();

    @Test
    void shouldGenerateFiftyDistinctLanesThatPassTheValidator() {
        List<LaneDefinition> lanes = BenchWorkload.lanes(catalog, 50);

        assertThat(lanes).hasSize(50);
        assertThat(new LaneValidator(catalog).validate(lanes)).isEmpty();
        assertThat(lanes.stream().map(LaneDefinition::slug).distinct()).hasSize(50);
        // distinct settings, not only distinct names
        Set<List<Object>> settings = new HashSet<>();
        lanes.forEach(l -> settings.add(List.of(l.model(), String.valueOf(l.parameters()))));
        assertThat(settings).hasSize(50);
        // both providers' dispatchers get work
        assertThat(lanes.stream().map(l -> catalog.model(l.model()).orElseThrow().provider()).distinct()).hasSize(2);
    }

    @Test
    void shouldStayValidWellBeyondFiftyLanes() {
        assertThat(new LaneValidator(catalog).validate(BenchWorkload.lanes(catalog, 400))).isEmpty();
    }

    @Test
    void shouldGeneratePromptsWithDistinctIdsAndTheSharedContext() {
        List<PromptSpec> prompts = BenchWorkload.prompts(2000, "house style");

        assertThat(prompts).hasSize(2000);
        assertThat(prompts.stream().map(PromptSpec::id).distinct()).hasSize(2000);
        assertThat(prompts.stream().map(PromptSpec::contentHash).distinct()).hasSize(2000);
        assertThat(prompts).allSatisfy(p -> assertThat(p.sharedContext()).isEqualTo("house style"));
        assertThat(prompts.get(0).id()).isEqualTo("bench-p00001");
    }
}
