package io.apexaudition.recorder;

import io.smallrye.config.ConfigMapping;

import java.util.List;

/** What the recorder reads: the broker and the event topics it projects (also what a rebuild replays). */
@ConfigMapping(prefix = "apex.recorder")
public interface RecorderConfig {

    String bootstrapServers();

    List<String> topics();
}
