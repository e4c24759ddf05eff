package io.apexaudition.recorder.health;

import jakarta.enterprise.context.ApplicationScoped;

/** What the recording loop last reported: nothing stuck, or the batch it keeps failing to store and why. */
@ApplicationScoped
public class RecordingProgress {
    static final int STUCK_AFTER = 3;

    private volatile Stuck stuck;

    /** The batch that keeps failing. */
    record Stuck(String position, int records, String error, int failures) {
    }

    /** A batch was stored: whatever was stuck is not any more. */
    public void stored() {
        stuck = null;
    }

    /** Storing the batch starting at {@code position} failed for the {@code failures}-th time in a row. */
    public void failed(String position, int records, Exception error, int failures) {
        stuck = new Stuck(position, records, error.getClass().getSimpleName() + ": " + error.getMessage(), failures);
    }

    /** The stuck batch once it has failed {@value #STUCK_AFTER} times in a row, else null. */
    Stuck stuck() {
        Stuck now = stuck;
        return now == null || now.failures() < STUCK_AFTER ? null : now;
    }
}
