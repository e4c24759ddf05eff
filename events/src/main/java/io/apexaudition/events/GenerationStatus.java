package io.apexaudition.events;

/** Lifecycle of one generation. The order is the only direction a recorded status may move in. */
public enum GenerationStatus {
    REQUESTED, SUBMITTED, COMPLETED, ERROR, DRY_RUN;

    public boolean isFinal() {
        return this == COMPLETED || this == ERROR || this == DRY_RUN;
    }

    /** Lower-case name as stored in {@code apex_audition.generations.status} and queried by the seed. */
    public String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
