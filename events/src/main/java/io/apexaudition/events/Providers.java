package io.apexaudition.events;

import java.util.List;

/** Provider names as they appear in events, topics and configuration. */
public final class Providers {
    public static final String OPENAI = "openai";
    public static final String ANTHROPIC = "anthropic";
    public static final List<String> ALL = List.of(OPENAI, ANTHROPIC);

    private Providers() {
    }
}
