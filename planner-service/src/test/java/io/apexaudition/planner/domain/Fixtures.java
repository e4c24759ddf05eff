package io.apexaudition.planner.domain;

import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.Providers;

import java.time.Instant;

/** Lanes and prompts as the planner finds them registered. */
public final class Fixtures {
    public static final Instant AT = Instant.parse("2026-11-26T12:00:00Z");

    private Fixtures() {
    }

    public static LaneRegistered gpt5Min() {
        return new LaneRegistered("e-l1", 1, AT, "cond-gpt5-min", "gpt5.reason-min", 1, Providers.OPENAI, "gpt-5",
                "gpt-5", new LaneParameters(null, null, 36000, "minimal", null), "h1", "GPT-5 minimal reasoning");
    }

    public static LaneRegistered sonnetStd() {
        return new LaneRegistered("e-l2", 1, AT, "cond-sonnet-std", "sonnet.t0-8.std", 1, Providers.ANTHROPIC,
                "claude-sonnet-4.5", "claude-sonnet-4-5", new LaneParameters(0.8, 6000, null, null, null), "h2",
                "Sonnet T=0.8");
    }

    public static PromptIngested prompt(int n) {
        String id = String.format("p%02d", n);
        return new PromptIngested("e-" + id, 1, AT, id, 1, "hash-" + id, "Prompt " + n, "poem",
                "Write piece number " + n, "Shared context");
    }
}
