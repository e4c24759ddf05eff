package io.apexaudition.core;

import java.nio.file.Path;
import java.util.List;

/** A benchmark file such as {@code config/creative_benchmark.yaml}: its list of lanes. */
public record LaneConfig(List<LaneDefinition> lanes) {

    public LaneConfig {
        lanes = lanes == null ? List.of() : List.copyOf(lanes);
    }

    public static LaneConfig load(Path file) {
        LaneConfig config = Yaml.read(file, LaneConfig.class);
        if (config.lanes().isEmpty()) {
            throw new ConfigException(file + " has no lanes: add a 'lanes:' list (see config/creative_benchmark.yaml)");
        }
        return config;
    }
}
