package io.apexaudition.simulator.domain;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Consumes prompt prefixes as they are processed; produces whether a prefix was seen before (a cache hit). */
@ApplicationScoped
public class PromptCache {
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** Records the prefix and says whether it was already there. Keys are per model, as provider caches are. */
    public boolean hit(String provider, String model, String prefix) {
        return !seen.add(provider + "|" + model + "|" + Canonical.sha256Hex(prefix));
    }

    public void clear() {
        seen.clear();
    }
}
