package io.apexaudition.events;

/** How a run reaches the provider. */
public enum RunMode {
    /** Provider Batch APIs: half price, results within 24 h. */
    BATCH,
    /** One synchronous call per generation: full price, results at once. */
    SYNC
}
