package io.apexaudition.core;

import io.apexaudition.events.EventIds;
import io.apexaudition.events.LaneParameters;

import java.util.Map;

/**
 * A validated lane, resolved against the catalog: exactly what a {@code LaneRegistered} records. Its config
 * hash covers what reaches the provider (provider, model, parameters), not the description, so rewording a
 * description is not a new version.
 */
public record LaneSpec(String slug, String model, String provider, String apiModelId, LaneParameters parameters,
                       String description) {

    public static LaneSpec of(LaneDefinition lane, ModelSpec model) {
        return new LaneSpec(lane.slug(), model.id(), model.provider(), model.apiModelId(), lane.parameters(),
                lane.description());
    }

    public String configHash() {
        return Hashes.ofCanonicalJson(Map.of("provider", provider, "model", model, "apiModelId", apiModelId,
                "parameters", parameters));
    }

    /** Same slug and same configuration: same condition id, however often it is registered. */
    public String conditionId() {
        return EventIds.nameUuid("condition", slug, configHash());
    }
}
