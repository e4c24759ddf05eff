package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Consumes {@code simulated-models.json}; produces the model a request names, dated snapshot ids included. */
@ApplicationScoped
public class ModelCatalog {
    // Providers also accept dated snapshots (gpt-4o-2024-08-06, claude-sonnet-4-5-20250929) for the same model.
    private static final Pattern SNAPSHOT = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");

    private static final List<SimulatedModel> MODELS = load();

    /** The ids of the models the simulator knows (no dated snapshots): what per-model settings are keyed by. */
    public static final Set<String> IDS = MODELS.stream().map(SimulatedModel::id)
            .collect(Collectors.toUnmodifiableSet());

    public Optional<SimulatedModel> find(String provider, String requested) {
        if (requested == null) {
            return Optional.empty();
        }
        String base = SNAPSHOT.matcher(requested).replaceFirst("");
        return MODELS.stream()
                .filter(m -> m.provider().equals(provider) && (m.id().equals(requested) || m.id().equals(base)))
                .findFirst();
    }

    private static List<SimulatedModel> load() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream("/simulated-models.json")) {
            if (in == null) {
                throw new IllegalStateException("simulated-models.json is missing from the classpath");
            }
            List<SimulatedModel> result = new ArrayList<>();
            for (JsonNode m : new ObjectMapper().readTree(in)) {
                List<String> efforts = new ArrayList<>();
                m.path("reasoning_efforts").forEach(e -> efforts.add(e.asText()));
                result.add(new SimulatedModel(m.path("id").asText(), m.path("provider").asText(),
                        m.path("reasoning").asBoolean(), m.path("output_cap").asInt(), List.copyOf(efforts),
                        m.path("temperature").asText(), m.path("temperature_max").asDouble(0),
                        m.path("temperature_with_top_p").asBoolean(true)));
            }
            return List.copyOf(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
