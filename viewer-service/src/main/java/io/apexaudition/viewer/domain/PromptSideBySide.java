package io.apexaudition.viewer.domain;

import java.util.List;

/** A prompt of a run with every lane's output, in lane order or, blind, in the prompt's shuffled order. */
public record PromptSideBySide(String runId, String promptId, Integer promptVersion, String title, String genre,
        String text, String sharedContext, boolean blind, List<LaneOutput> outputs) {
}
