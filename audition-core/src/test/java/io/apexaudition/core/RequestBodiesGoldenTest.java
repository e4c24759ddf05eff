package io.apexaudition.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Providers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact bodies of all 15 shipped lanes, for the synchronous and the batch API, with caching on and off,
 * compared to golden files. Regenerate them after a deliberate change with
 * {@code ./mvnw -pl audition-core test -Dgolden.update=true} and review the diff.
 */
class RequestBodiesGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final String PROMPT = "Write a villanelle about a lighthouse keeper's last night on duty.";
    static final String CONTEXT = "House style: concrete images, no cliches, a title on the first line.";

    static List<LaneSpec> lanes() {
        ModelCatalog catalog = Configs.catalog();
        return LaneConfig.load(Configs.BENCHMARK).lanes().stream()
                .map(l -> LaneSpec.of(l, catalog.model(l.model()).orElseThrow())).toList();
    }

    @ParameterizedTest
    @MethodSource("lanes")
    void shouldBuildTheGoldenBodiesForEveryLane(LaneSpec lane) throws Exception {
        ObjectNode golden = EventJson.mapper().createObjectNode();
        ObjectNode body = RequestBodies.body(lane.provider(), lane.apiModelId(), lane.parameters(), PROMPT, CONTEXT, true);
        String customId = EventIds.customId(EventIds.generationId("run-golden", lane.slug(), "p01", 1), 1);
        golden.set("sync", body);
        golden.set("sync_no_cache", RequestBodies.body(lane.provider(), lane.apiModelId(), lane.parameters(), PROMPT,
                CONTEXT, false));
        golden.set("batch", Providers.OPENAI.equals(lane.provider()) ? RequestBodies.openAiBatchLine(customId, body)
                : RequestBodies.anthropicBatchRequest(customId, body));
        String actual = EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(golden) + "\n";
        Path file = GOLDEN.resolve(lane.slug() + ".json");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual);
        }

        assertThat(file).as("golden file; create it with -Dgolden.update=true").exists();
        assertThat(actual).isEqualTo(Files.readString(file));
        assertThat(EventIds.isValidCustomId(customId)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("lanes")
    void shouldKeepEveryGoldenBodyWithinTheProviderRules(LaneSpec lane) throws Exception {
        JsonNode golden = EventJson.mapper().readTree(GOLDEN.resolve(lane.slug() + ".json").toFile());
        ModelSpec model = Configs.catalog().model(lane.model()).orElseThrow();
        for (String variant : List.of("sync", "sync_no_cache")) {
            JsonNode body = golden.get(variant);
            if (model.kind() == ModelSpec.Kind.REASONING) {
                assertThat(body.has("temperature")).as("%s %s has temperature", lane.slug(), variant).isFalse();
                assertThat(body.has("max_tokens")).isFalse();
                assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(36000);
            }
            if (body.has("thinking")) {
                int budget = body.get("thinking").get("budget_tokens").asInt();
                assertThat(budget).isLessThan(body.get("max_tokens").asInt()).isGreaterThanOrEqualTo(1024);
                assertThat(body.get("max_tokens").asInt()).isLessThanOrEqualTo(model.outputTokenCap());
                assertThat(body.has("temperature")).isFalse();
            }
            if (Providers.ANTHROPIC.equals(lane.provider()) && body.has("temperature")) {
                assertThat(body.get("temperature").asDouble()).isBetween(0.0, 1.0);
            }
        }
        assertThat(golden.get("sync").toString().contains("cache_control"))
                .isEqualTo(Providers.ANTHROPIC.equals(lane.provider()));
        assertThat(golden.get("sync_no_cache").toString()).doesNotContain("cache_control");
    }
}
