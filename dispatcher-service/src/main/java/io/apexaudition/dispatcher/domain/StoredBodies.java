package io.apexaudition.dispatcher.domain;

import io.apexaudition.events.LongTextStored;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request bodies and long texts this process has stored in apex.request-bodies lately (a bounded LRU of their
 * hashes), so the bodies of replicates and of a lane's later calls, and the shared context of every body, are not
 * sent again with every intent. A hash is noted only once
 * the transaction holding its body committed, so a body this set knows is durable; one it forgot (evicted, or a
 * restart) is simply stored again, which the compacted topic folds into the same record.
 */
final class StoredBodies {
    /** A few thousand hashes: more than the distinct bodies of a lane group (lane version x prompt version). */
    static final int DEFAULT_CAPACITY = 4096;

    private final Map<String, Boolean> recent;

    StoredBodies(int capacity) {
        this.recent = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Whether the body of this hash is known to be stored. */
    synchronized boolean stored(String hash) {
        return recent.get(hash) != null;
    }

    /** The events without the bodies already stored or already earlier in the list: each body goes out once. */
    synchronized List<Addressed> withoutKnown(List<Addressed> events) {
        List<Addressed> kept = new ArrayList<>(events.size());
        Set<String> seen = new HashSet<>();
        for (Addressed a : events) {
            String key = storedKey(a);
            if (key != null && (recent.get(key) != null || !seen.add(key))) {
                continue;
            }
            kept.add(a);
        }
        return kept;
    }

    /** Notes bodies a committed transaction held, by hash, as stored. */
    synchronized void committedHashes(List<String> hashes) {
        hashes.forEach(h -> recent.put(h, Boolean.TRUE));
    }

    /** Notes the bodies of a committed transaction as stored. */
    synchronized void committed(List<Addressed> events) {
        for (Addressed a : events) {
            String key = storedKey(a);
            if (key != null) {
                recent.put(key, Boolean.TRUE);
            }
        }
    }

    /** The hash a stored body or long text is kept under (they cannot share one: see LongTextStored), else null. */
    private static String storedKey(Addressed a) {
        return a.event() instanceof RequestBodyStored || a.event() instanceof LongTextStored ? a.event().key() : null;
    }
}
