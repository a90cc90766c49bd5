package dev.lossfloor.tokenizer;

import java.util.Arrays;

/**
 * A binary min-heap of longs in one growable array: the priority queue of BPE training and encoding, whose entries
 * pack a key and a tie-breaker into one long (no boxing, no comparator on the hot path). A max-heap is this heap of
 * bitwise complements ({@code ~entry} reverses the order of longs).
 */
final class LongMinHeap {
    private long[] heap;
    private int size;

    LongMinHeap(int capacity) {
        heap = new long[Math.max(1, capacity)];
    }

    int size() { return size; }

    void clear() { size = 0; }

    void push(long value) {
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= value) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = value;
    }

    /** Removes and returns the smallest entry; the heap must not be empty. */
    long pop() {
        long top = heap[0];
        long last = heap[--size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && heap[child + 1] < heap[child]) child++;
            if (heap[child] >= last) break;
            heap[i] = heap[child];
            i = child;
        }
        if (size > 0) heap[i] = last;
        return top;
    }
}
