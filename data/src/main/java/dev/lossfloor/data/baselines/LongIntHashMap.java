package dev.lossfloor.data.baselines;

import java.util.Arrays;

/**
 * Open-addressing hash map from non-negative {@code long} keys to {@code int} values, with linear probing and
 * no boxing. Keys are stored and compared exactly, so there are no collisions between different keys. Used to
 * hold the edges of the n-gram trie: key = (parent node id, character id) packed into one long.
 */
final class LongIntHashMap {
    private static final long EMPTY = -1L;
    private static final double MAX_LOAD = 0.6;

    private long[] keys;
    private int[] values;
    private int mask;
    private int size;
    private int resizeAt;

    LongIntHashMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, (long) (expected / MAX_LOAD)))) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        values = new int[capacity];
        mask = capacity - 1;
        resizeAt = (int) (capacity * MAX_LOAD);
    }

    int size() {
        return size;
    }

    /** The value stored for {@code key}, or {@code missing} if there is none. */
    int get(long key, int missing) {
        for (int slot = slot(key); ; slot = (slot + 1) & mask) {
            long k = keys[slot];
            if (k == key) return values[slot];
            if (k == EMPTY) return missing;
        }
    }

    /**
     * The slot holding {@code key}; if absent, the key is inserted with value {@code initial} and
     * {@code -(slot + 1)} is returned, so callers learn whether the key is new.
     */
    int findOrInsert(long key, int initial) {
        if (key < 0) throw new IllegalArgumentException("keys must be non-negative, got " + key);
        if (size >= resizeAt) grow();
        for (int slot = slot(key); ; slot = (slot + 1) & mask) {
            long k = keys[slot];
            if (k == key) return slot;
            if (k == EMPTY) {
                keys[slot] = key;
                values[slot] = initial;
                size++;
                return -(slot + 1);
            }
        }
    }

    int valueAt(int slot) {
        return values[slot];
    }

    void incrementAt(int slot) {
        values[slot]++;
    }

    int capacity() {
        return keys.length;
    }

    /** The key in {@code slot}, or -1 if the slot is empty (for iterating over all entries). */
    long keyAt(int slot) {
        return keys[slot];
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        if (oldKeys.length >= 1 << 30) throw new IllegalStateException("n-gram table is full (2^30 slots)");
        allocate(oldKeys.length << 1);
        for (int i = 0; i < oldKeys.length; i++) {
            long key = oldKeys[i];
            if (key == EMPTY) continue;
            int slot = slot(key);
            while (keys[slot] != EMPTY) slot = (slot + 1) & mask;
            keys[slot] = key;
            values[slot] = oldValues[i];
        }
    }

    private int slot(long key) {
        // murmur3 fmix64: spreads the packed (parent, char) keys over all bits
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
