package io.apexaudition.core;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The model catalog ({@code config/models.yaml}): models, the batch discount, typical-usage assumptions. */
public record ModelCatalog(BigDecimal batchDiscount, List<ModelSpec> models, TypicalUsage typicalUsage) {

    public ModelCatalog {
        models = models == null ? List.of() : List.copyOf(models);
        if (batchDiscount == null) {
            throw new ConfigException("models.yaml: batch_discount is missing (0.5 for both providers' Batch APIs)");
        }
    }

    /** Assumptions for a typical (not worst-case) generation. */
    public record TypicalUsage(int visibleOutputTokens, Map<String, Integer> reasoningTokensByEffort,
                               double thinkingTokensFractionOfBudget, double charsPerToken) {
    }

    public static ModelCatalog load(Path file) {
        return Yaml.read(file, ModelCatalog.class);
    }

    /** The catalog built into the jar (a copy of config/models.yaml made at build time). */
    public static ModelCatalog bundled() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream("/apex/models.yaml")) {
            if (in == null) {
                throw new ConfigException("models.yaml is missing from the classpath: rebuild audition-core");
            }
            return Yaml.read(in, "models.yaml (bundled)", ModelCatalog.class);
        } catch (IOException e) {
            throw new ConfigException("cannot read the bundled models.yaml", e);
        }
    }

    public Optional<ModelSpec> model(String id) {
        return models.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public Map<String, ModelSpec> byId() {
        return models.stream().collect(Collectors.toMap(ModelSpec::id, Function.identity()));
    }
}
