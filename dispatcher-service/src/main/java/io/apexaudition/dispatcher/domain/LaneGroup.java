package io.apexaudition.dispatcher.domain;

import io.apexaudition.events.GenerationRequested;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests of one lane of one run attempt, gathered until all have arrived (the planner publishes them in
 * one transaction, so they arrive together). Their offsets are committed only once the lane is dispatched.
 */
public final class LaneGroup {
    private final String key;
    private final int expected;
    private final Finished finished;
    /** Custom ids here that were not finished before: with those, the group is complete at {@code expected}. */
    private final java.util.Set<String> arrived = new java.util.HashSet<>();
    private final List<GenerationRequested> requests = new ArrayList<>();

    /**
     * The custom ids of a group whose intent a previous life already saw through: how many, and which.
     *
     * @param count how many ids {@code contains} answers true for
     */
    public record Finished(int count, java.util.function.Predicate<String> contains) {
        public static final Finished NONE = new Finished(0, id -> false);

        public static Finished of(java.util.Set<String> customIds) {
            return new Finished(customIds.size(), customIds::contains);
        }
    }

    public LaneGroup(String key, int expected, Finished finished) {
        this.key = key;
        this.expected = expected;
        this.finished = finished;
    }

    public void add(GenerationRequested request) {
        requests.add(sharingContext(request));
        if (!finished.contains().test(request.customId())) {
            arrived.add(request.customId());
        }
    }

    /** Every request is either here or was already seen through by a previous life of this dispatcher. */
    public boolean complete() {
        return finished.count() + arrived.size() >= expected;
    }

    /**
     * The prompts of a lane usually share one context (the house style guide, ~9 KB); a group keeps one instance
     * of it. Requests from the topic already share it ({@code RequestDeserializer}), so there this is an identity
     * check; it matters for requests parsed elsewhere.
     */
    private GenerationRequested sharingContext(GenerationRequested r) {
        if (requests.isEmpty() || r.sharedContext() == null) {
            return r;
        }
        String shared = requests.get(requests.size() - 1).sharedContext();
        if (shared == null || shared == r.sharedContext() || !shared.equals(r.sharedContext())) {
            return r;
        }
        return r.withTexts(r.promptText(), shared);
    }

    public String key() {
        return key;
    }

    public List<GenerationRequested> requests() {
        return requests;
    }

    /** The key of a lane group (run, lane, attempt): its entry's key in the dispatch state. */
    public static String key(String runId, String slug, int attempt) {
        return runId + "/" + slug + "/" + attempt;
    }

    /** The attempt a custom id ({@code g<id>-a<attempt>}) names. */
    public static int attemptOf(String customId) {
        int at = customId.lastIndexOf("-a");
        try {
            return at < 0 ? 1 : Integer.parseInt(customId.substring(at + 2));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
