package io.apexaudition.dispatcher.messaging;

import java.util.HashMap;
import java.util.Map;

/**
 * Custom id to a small int (the intent slot it was dispatched under), for every custom id a dispatcher has ever
 * dispatched. The ids {@code EventIds.customId} makes ({@code g} + 32 lowercase hex digits + {@code -a} + the
 * attempt) are kept exactly as two longs and an int in open-addressing arrays, ~50 bytes each where a map of
 * strings took ~350; any other id (none is expected) goes to a plain map. Nothing is hashed lossily: a lookup
 * never answers for an id it was not given, which is what the at-most-once rule rests on. Not thread-safe.
 */
final class CustomIdIndex {
    private static final int HEX_DIGITS = 32;
    private static final int PREFIX = 1 + HEX_DIGITS + 2;

    private long[] high = new long[1024];
    private long[] low = new long[1024];
    private int[] attempt = new int[1024];
    /** Slot + 1; 0 marks an empty cell. */
    private int[] value = new int[1024];
    private int size;
    private final Map<String, Integer> others = new HashMap<>();

    /** Maps the id to the slot; returns the slot it was mapped to before, or -1. */
    int put(String customId, int slot) {
        if (slot < 0) {
            throw new IllegalArgumentException("slot must not be negative: " + slot);
        }
        if (!isCompact(customId)) {
            Integer before = others.put(customId, slot);
            return before == null ? -1 : before;
        }
        if ((size + 1) * 2 > value.length) {
            grow();
        }
        long h = highOf(customId);
        long l = lowOf(customId);
        int a = attemptOf(customId);
        int cell = find(h, l, a);
        int before = value[cell] - 1;
        if (before < 0) {
            high[cell] = h;
            low[cell] = l;
            attempt[cell] = a;
            size++;
        }
        value[cell] = slot + 1;
        return before;
    }

    /** The slot the id was dispatched under, or -1. */
    int get(String customId) {
        if (!isCompact(customId)) {
            Integer slot = others.get(customId);
            return slot == null ? -1 : slot;
        }
        return value[find(highOf(customId), lowOf(customId), attemptOf(customId))] - 1;
    }

    int size() {
        return size + others.size();
    }

    private int find(long h, long l, int a) {
        int mask = value.length - 1;
        int cell = mix(h, l, a) & mask;
        while (value[cell] != 0 && (high[cell] != h || low[cell] != l || attempt[cell] != a)) {
            cell = (cell + 1) & mask;
        }
        return cell;
    }

    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        int[] oldAttempt = attempt;
        int[] oldValue = value;
        int capacity = oldValue.length * 2;
        high = new long[capacity];
        low = new long[capacity];
        attempt = new int[capacity];
        value = new int[capacity];
        for (int i = 0; i < oldValue.length; i++) {
            if (oldValue[i] != 0) {
                int cell = find(oldHigh[i], oldLow[i], oldAttempt[i]);
                high[cell] = oldHigh[i];
                low[cell] = oldLow[i];
                attempt[cell] = oldAttempt[i];
                value[cell] = oldValue[i];
            }
        }
    }

    private static int mix(long h, long l, int a) {
        long x = h * 0x9E3779B97F4A7C15L ^ l ^ a * 0xC2B2AE3D27D4EB4FL;
        x ^= x >>> 31;
        return (int) (x ^ (x >>> 17));
    }

    /** True only for the exact form, so two different strings never share a compact key. */
    static boolean isCompact(String id) {
        if (id.length() <= PREFIX || id.length() > PREFIX + 9 || id.charAt(0) != 'g'
                || id.charAt(PREFIX - 2) != '-' || id.charAt(PREFIX - 1) != 'a') {
            return false;
        }
        for (int i = 1; i <= HEX_DIGITS; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        if (id.charAt(PREFIX) == '0' && id.length() > PREFIX + 1) {
            return false;
        }
        for (int i = PREFIX; i < id.length(); i++) {
            if (id.charAt(i) < '0' || id.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long highOf(String id) {
        return Long.parseUnsignedLong(id, 1, 17, 16);
    }

    private static long lowOf(String id) {
        return Long.parseUnsignedLong(id, 17, 33, 16);
    }

    private static int attemptOf(String id) {
        return Integer.parseInt(id, PREFIX, id.length(), 10);
    }
}
