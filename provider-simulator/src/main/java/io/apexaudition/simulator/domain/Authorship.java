package io.apexaudition.simulator.domain;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Consumes the ordinary outputs the simulator writes; produces, for a piece a judge is shown, the model that wrote
 * it, so that a judge can be asked blind (no lane or model in the request) and still judge by the writer's hidden
 * quality. A text is keyed by the first 64 bits of its SHA-256, line ends (CRLF) and surrounding white space aside.
 *
 * <p>Bounded: two generations of half of {@link #CAPACITY} texts each; when the newer one is full the older one is
 * dropped, so the latest 500,000 to 1,000,000 outputs are remembered, at about 60 bytes each (at most ~60 MB). A
 * piece it does not remember (written elsewhere, before a restart or a {@code /_sim/reset}, or forgotten) has no
 * writer, and a judge gives it the neutral quality 0.
 */
@ApplicationScoped
public class Authorship {
    static final int CAPACITY = 1_000_000;

    private final int generationSize;
    private Map<Long, String> newer = new HashMap<>();
    private Map<Long, String> older = new HashMap<>();

    public Authorship() {
        this(CAPACITY);
    }

    /** Remembers at most {@code capacity} texts (at least the latest half of them). */
    Authorship(int capacity) {
        this.generationSize = Math.max(1, capacity / 2);
    }

    public synchronized void remember(String text, String model) {
        if (newer.size() >= generationSize) {
            older = newer;
            newer = new HashMap<>();
        }
        newer.put(key(text), model);
    }

    /** The model that wrote {@code text}, if the simulator wrote it and still remembers it. */
    public synchronized Optional<String> writer(String text) {
        long key = key(text);
        String model = newer.get(key);
        return Optional.ofNullable(model != null ? model : older.get(key));
    }

    public synchronized void clear() {
        newer = new HashMap<>();
        older = new HashMap<>();
    }

    private static long key(String text) {
        return Canonical.seed(text.replace("\r\n", "\n").strip());
    }
}
