package io.apexaudition.events;

import java.time.Instant;
import java.util.List;

/**
 * A person's verdict on the outputs of one prompt of a run, cast in the viewer: either the better of two outputs
 * (or a tie), or a ranking of all of them. Outputs are named by their generation ids, whatever the reader saw
 * (in blind mode the labels "Lane A", "Lane B"...): the lane is the generation's, so a tally per lane needs no
 * label. {@code verdictId} is chosen by the page that cast it, so a verdict sent twice (a double click, a retry)
 * is recorded once. It holds ids, a choice and the reader's name as typed; never a key, a token or a header.
 */
public record VerdictRecorded(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        String verdictId,
        String promptId,
        Kind kind,
        /* PAIRWISE: the output shown as A */
        String generationA,
        /* PAIRWISE: the output shown as B */
        String generationB,
        /* PAIRWISE: A, B or TIE */
        Winner winner,
        /* RANKING: every output of the prompt, best first */
        List<String> ranking,
        /* who cast it, as they typed it (a name); optional */
        String reader,
        /* whether the lanes were hidden when it was cast */
        boolean blind) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    /** What the reader did. */
    public enum Kind {
        /** Picked the better of two outputs, or called a tie. */
        PAIRWISE,
        /** Put every output in order, best first. */
        RANKING
    }

    /** The better of a pairwise verdict's two outputs. */
    public enum Winner {
        A, B, TIE
    }

    public VerdictRecorded {
        ranking = ranking == null ? List.of() : List.copyOf(ranking);
    }

    @Override
    public String key() {
        return runId;
    }
}
