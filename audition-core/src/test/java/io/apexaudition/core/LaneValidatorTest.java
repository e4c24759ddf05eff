package io.apexaudition.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LaneValidatorTest {
    private final LaneValidator validator = new LaneValidator(Configs.catalog());

    private static LaneDefinition lane(String slug, String model, Double t, Integer maxTokens, Integer maxCompletion,
                                       String effort, Boolean thinking, Integer budget) {
        return new LaneDefinition(slug, model, null, t, null, maxTokens, maxCompletion, effort, thinking, budget);
    }

    @Test
    void shouldAcceptEveryShippedLane() {
        LaneConfig config = LaneConfig.load(Configs.BENCHMARK);

        assertThat(config.lanes()).hasSize(15);
        assertThat(validator.validate(config.lanes())).isEmpty();
    }

    @Test
    void shouldRejectExactlyTheFourSeedLanesAnthropicRefusesNamingRuleAndAlternative() {
        List<LaneProblem> problems = validator.validate(LaneConfig.load(Configs.SEED_AS_WRITTEN).lanes());

        Map<String, List<String>> rulesBySlug = problems.stream().collect(Collectors.groupingBy(LaneProblem::slug,
                Collectors.mapping(LaneProblem::rule, Collectors.toList())));
        assertThat(rulesBySlug).containsOnlyKeys("sonnet.t0-8.ext", "sonnet.t1-1.ext", "opus.t1-0.ext", "opus.t1-2.ext");
        assertThat(rulesBySlug.get("sonnet.t0-8.ext")).containsExactly("thinking.temperature");
        assertThat(rulesBySlug.get("sonnet.t1-1.ext")).contains("temperature.range", "thinking.temperature");
        assertThat(rulesBySlug.get("opus.t1-0.ext")).containsExactly("max_tokens.cap");
        assertThat(rulesBySlug.get("opus.t1-2.ext")).contains("temperature.range", "thinking.temperature",
                "max_tokens.cap");
        assertThat(problems).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
        assertThat(problems).filteredOn(p -> p.slug().equals("opus.t1-0.ext")).singleElement()
                .satisfies(p -> assertThat(p.fix()).contains("thinking_budget_tokens: 24000 with max_tokens: 30000"));
    }

    @Test
    void shouldReportEverySanityProblemAtOnce() {
        List<LaneProblem> problems = validator.validate(List.of(
                lane("a", "gpt-4o", 0.5, 6000, null, null, null, null),
                lane("a", "gpt-4o", 0.5, 6000, null, null, null, null),
                lane("b", "gpt-6", 0.5, 6000, null, null, null, null),
                lane("c", "gpt-4o", 0.5, null, null, null, null, null),
                lane("d", "claude-sonnet-4.5", null, 6000, null, null, true, null),
                lane("e", "claude-sonnet-4.5", null, 6000, null, null, true, 8000),
                lane("f", "o3", 0.7, null, 36000, "high", null, null),
                lane("g", "o3", null, null, 36000, "minimal", null, null),
                lane("h", "gpt-4o", 0.5, 20000, null, null, null, null),
                lane("i", "gpt-5", null, 36000, null, "low", null, null)));

        assertThat(problems).extracting(p -> p.slug() + " " + p.rule()).containsExactlyInAnyOrder(
                "a slug.duplicate",
                "b model.unknown",
                "c budget.missing",
                "d thinking.budget.missing",
                "e thinking.budget.not_below_max_tokens",
                "f temperature.unsupported",
                "g reasoning_effort.unsupported",
                "h max_tokens.cap",
                "i openai.reasoning.max_tokens");
    }

    @Test
    void shouldNameAnUnknownKeyInALaneFile() throws Exception {
        var file = java.nio.file.Files.createTempFile("lanes", ".yaml");
        java.nio.file.Files.writeString(file, "lanes:\n  - {slug: x, model: gpt-4o, temprature: 0.5, max_tokens: 10}\n");

        assertThatThrownBy(() -> LaneConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'temprature'").hasMessageContaining("Fix the spelling");
    }
}
