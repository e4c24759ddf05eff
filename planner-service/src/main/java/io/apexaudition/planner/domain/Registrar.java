package io.apexaudition.planner.domain;

import io.apexaudition.core.LaneSpec;
import io.apexaudition.core.PromptSpec;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;

import java.time.Instant;
import java.util.Optional;

/**
 * Decides what registering a lane or ingesting a prompt means against what is already registered: the same
 * content is a no-op, changed content is the next version. Pure; the planner publishes what it returns.
 */
public final class Registrar {
    private Registrar() {
    }

    public enum Outcome { REGISTERED, UNCHANGED }

    public record LaneDecision(Outcome outcome, LaneRegistered event) {
    }

    public record PromptDecision(Outcome outcome, PromptIngested event) {
    }

    public static LaneDecision lane(LaneSpec spec, Optional<LaneRegistered> latest, Instant now) {
        String hash = spec.configHash();
        if (latest.isPresent() && latest.get().configHash().equals(hash)) {
            return new LaneDecision(Outcome.UNCHANGED, latest.get());
        }
        int version = latest.map(l -> l.version() + 1).orElse(1);
        return new LaneDecision(Outcome.REGISTERED, new LaneRegistered(
                EventIds.nameUuid("LaneRegistered", spec.slug(), Integer.toString(version), hash),
                LaneRegistered.SCHEMA_VERSION, now, spec.conditionId(), spec.slug(), version, spec.provider(),
                spec.model(), spec.apiModelId(), spec.parameters(), hash, spec.description()));
    }

    public static PromptDecision prompt(PromptSpec spec, Optional<PromptIngested> latest, Instant now) {
        String hash = spec.contentHash();
        if (latest.isPresent() && latest.get().contentHash().equals(hash)) {
            return new PromptDecision(Outcome.UNCHANGED, latest.get());
        }
        int version = latest.map(p -> p.version() + 1).orElse(1);
        return new PromptDecision(Outcome.REGISTERED, new PromptIngested(
                EventIds.nameUuid("PromptIngested", spec.id(), Integer.toString(version), hash),
                PromptIngested.SCHEMA_VERSION, now, spec.id(), version, hash, spec.title(), spec.genre(), spec.text(),
                spec.sharedContext()));
    }
}
