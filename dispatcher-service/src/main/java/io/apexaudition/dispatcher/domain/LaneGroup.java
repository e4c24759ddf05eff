package io.apexaudition.dispatcher.domain;

import io.apexaudition.events.GenerationRequested;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests of one lane of one run attempt, gathered until all have arrived (the planner publishes them in
 * one transaction, so they arrive together). Their messages are acknowledged only once the lane is dispatched.
 */
public final class LaneGroup {
    private final String key;
    private final int expected;
    /** Custom ids here or finished before: the group is complete when it holds {@code expected} of them. */
    private final java.util.Set<String> known;
    private final List<GenerationRequested> requests = new ArrayList<>();
    private final List<Message<?>> messages = new ArrayList<>();

    /** @param finished custom ids of this group whose intent a previous life already saw through */
    public LaneGroup(String key, int expected, java.util.Set<String> finished) {
        this.key = key;
        this.expected = expected;
        this.known = new java.util.HashSet<>(finished);
    }

    public void add(GenerationRequested request, Message<?> message) {
        requests.add(sharingContext(request));
        messages.add(message);
        known.add(request.customId());
    }

    /** Every request is either here or was already seen through by a previous life of this dispatcher. */
    public boolean complete() {
        return known.size() >= expected;
    }

    /**
     * The prompts of a lane usually share one context (the house style guide, ~9 KB): each parsed request
     * carries its own copy, so a 2,000-request group held 2,000 copies until dispatched. Equal contexts now
     * share the group's first instance.
     */
    private GenerationRequested sharingContext(GenerationRequested r) {
        if (requests.isEmpty() || r.sharedContext() == null) {
            return r;
        }
        String shared = requests.get(requests.size() - 1).sharedContext();
        if (shared == null || shared == r.sharedContext() || !shared.equals(r.sharedContext())) {
            return r;
        }
        return r.withSharedContext(shared);
    }

    public String key() {
        return key;
    }

    public List<GenerationRequested> requests() {
        return requests;
    }

    public List<Message<?>> messages() {
        return messages;
    }
}
