package io.apexaudition.events;

import java.util.List;

/**
 * What a judge request judges, on the {@link GenerationRequested} of a judging run (null on every other request):
 * the source run, the prompt, and the output shown (rubric) or the outputs shown as A and B (pairwise), with their
 * lanes. The recorder keeps it beside the judge's answer, so ratings need no other source.
 */
public record JudgeSubject(
        JudgingKind kind,
        String sourceRunId,
        String promptId,
        String generationIdA,
        String laneA,
        String generationIdB,
        String laneB,
        List<String> criteria,
        int scaleMin,
        int scaleMax) {

    public JudgeSubject {
        criteria = criteria == null ? List.of() : List.copyOf(criteria);
    }
}
