package dev.lossfloor.tokenizer;

import java.util.Arrays;

/** A growable int array. */
final class IntList {
    private int[] values;
    private int size;

    IntList(int capacity) {
        values = new int[Math.max(4, capacity)];
    }

    void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    void addAll(int[] vs) {
        if (size + vs.length > values.length) {
            values = Arrays.copyOf(values, Math.max(size + vs.length, size * 2));
        }
        System.arraycopy(vs, 0, values, size, vs.length);
        size += vs.length;
    }

    int get(int i) {
        return values[i];
    }

    int size() {
        return size;
    }

    int[] copy(int from, int to) {
        return Arrays.copyOfRange(values, from, to);
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
