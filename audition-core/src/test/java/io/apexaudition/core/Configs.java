package io.apexaudition.core;

import java.nio.file.Path;

/** The repository's shipped configuration, as the tests read it. */
final class Configs {
    static final Path CONFIG = Path.of("..", "config");
    static final Path BENCHMARK = CONFIG.resolve("creative_benchmark.yaml");
    static final Path SEED_AS_WRITTEN = CONFIG.resolve("seed_lanes_as_written.yaml");
    static final Path PROMPTS = CONFIG.resolve("prompts");

    private Configs() {
    }

    static ModelCatalog catalog() {
        return ModelCatalog.load(CONFIG.resolve("models.yaml"));
    }
}
