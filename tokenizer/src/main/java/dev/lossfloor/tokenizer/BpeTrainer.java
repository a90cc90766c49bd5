package dev.lossfloor.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns byte-level BPE merges from a training text, as minbpe's {@code train} does, but with pair counts kept up
 * to date incrementally instead of recounted after every merge.
 *
 * <ul>
 *   <li>The text is cut into pieces by {@link Gpt2PreTokenizer} (or kept whole without the split); equal pieces are
 *       stored once with their frequency as a weight.</li>
 *   <li>All pieces' symbols live in one doubly linked list (arrays {@code sym}, {@code next}, {@code prev}); every
 *       adjacent pair has a weighted count and a list of the positions where it occurs (stale positions are skipped
 *       when read).</li>
 *   <li>A max-heap holds (count, pair) entries; an entry whose count is no longer the pair's count is stale and
 *       skipped. Ties go to the smallest left id, then the smallest right id, so training is deterministic.</li>
 *   <li>Merging pair (a, b) into c visits only its occurrences, left to right: the pairs around each occurrence lose
 *       its weight, the new pairs with c gain it. Work is proportional to the occurrences touched, not the text.</li>
 * </ul>
 * Merging stops at {@code vocabSize - 256} merges or when no pair occurs twice (then the vocabulary is smaller than
 * asked; {@link BpeTokenizer#vocabSize()} says how large it is).
 */
public final class BpeTrainer {

    private final int[] sym;
    private final int[] next;
    private final int[] prev;
    private final int[] weight;
    private final LongIntMap pairIndex;
    private long[] counts = new long[1024];
    private int[][] occurrences = new int[1024][];
    private int[] occurrenceSizes = new int[1024];
    private int pairs;
    // pair index -> key (left << 32 | right)
    private long[] keys = new long[1024];
    // the pairs whose count changed during one merge, each once, to push into the heap afterwards
    private int[] touched = new int[1024];
    private boolean[] marked = new boolean[1024];
    private int touchedCount;
    private final LongMinHeap heap = new LongMinHeap(1024); // complemented entries: a max-heap
    private final List<int[]> merges = new ArrayList<>();
    private final boolean split;

    /** Prepares the pair statistics of {@code text} (nothing is merged yet). */
    public BpeTrainer(String text, boolean split) {
        this.split = split;
        Unicode.requireNoLoneSurrogates(text);
        List<byte[]> pieces = new ArrayList<>();
        List<Integer> freqs = new ArrayList<>();
        if (split) {
            Map<String, int[]> counted = new LinkedHashMap<>();
            int start = 0;
            for (int end : Gpt2PreTokenizer.ends(text)) {
                counted.computeIfAbsent(text.substring(start, end), k -> new int[1])[0]++;
                start = end;
            }
            for (Map.Entry<String, int[]> e : counted.entrySet()) {
                pieces.add(e.getKey().getBytes(StandardCharsets.UTF_8));
                freqs.add(e.getValue()[0]);
            }
        } else {
            pieces.add(text.getBytes(StandardCharsets.UTF_8));
            freqs.add(1);
        }
        long total = 0;
        for (byte[] p : pieces) {
            total += p.length;
        }
        int n = Math.toIntExact(total);
        sym = new int[n];
        next = new int[n];
        prev = new int[n];
        weight = new int[n];
        int at = 0;
        for (int p = 0; p < pieces.size(); p++) {
            byte[] bytes = pieces.get(p);
            int w = freqs.get(p);
            for (int k = 0; k < bytes.length; k++) {
                sym[at + k] = bytes[k] & 0xFF;
                weight[at + k] = w;
                prev[at + k] = k == 0 ? -1 : at + k - 1;
                next[at + k] = k + 1 == bytes.length ? -1 : at + k + 1;
            }
            at += bytes.length;
        }
        pairIndex = new LongIntMap(1 << 16);
        for (int i = 0; i < n; i++) {
            if (next[i] >= 0) {
                add(sym[i], sym[next[i]], weight[i], i);
            }
        }
        for (int p = 0; p < pairs; p++) {
            pushPair(p);
            marked[p] = false;
        }
        touchedCount = 0;
    }

    /** Trains a tokenizer of (at most) {@code vocabSize} ids on {@code text}. */
    public static BpeTokenizer train(String text, int vocabSize, boolean split) {
        if (vocabSize < 256 || vocabSize > BpeTokenizer.MAX_VOCAB) {
            throw new IllegalArgumentException("BPE vocabulary size must be between 256 and " + BpeTokenizer.MAX_VOCAB
                    + " (256 byte ids plus the merges), got " + vocabSize);
        }
        BpeTrainer trainer = new BpeTrainer(text, split);
        while (trainer.merges.size() < vocabSize - 256 && trainer.mergeOnce()) {
            // one merge per iteration
        }
        return trainer.tokenizer();
    }

    /** The tokenizer of the merges learned so far. */
    public BpeTokenizer tokenizer() {
        return BpeTokenizer.of(merges, split);
    }

    /** The merges learned so far, in order (copies). */
    public List<int[]> merges() {
        List<int[]> out = new ArrayList<>();
        for (int[] m : merges) {
            out.add(m.clone());
        }
        return out;
    }

    /**
     * Learns one merge: the most frequent pair (ties: smallest left id, then smallest right id). Returns false, and
     * merges nothing, when no pair occurs at least twice or the vocabulary is full.
     */
    public boolean mergeOnce() {
        if (256 + merges.size() >= BpeTokenizer.MAX_VOCAB) {
            return false;
        }
        while (heap.size() > 0) {
            long top = ~heap.pop();
            long count = top >>> 32;
            long packed = 0xFFFFFFFFL - (top & 0xFFFFFFFFL);
            int a = (int) (packed >>> 16);
            int b = (int) (packed & 0xFFFF);
            int p = pairIndex.get(BpeTokenizer.key(a, b));
            if (p < 0 || counts[p] != count) {
                continue; // stale entry
            }
            if (count < 2) {
                return false;
            }
            merge(p, a, b);
            return true;
        }
        return false;
    }

    private void merge(int p, int a, int b) {
        int c = 256 + merges.size();
        merges.add(new int[]{a, b});
        int[] occ = occurrences[p];
        int size = occurrenceSizes[p];
        occurrences[p] = new int[4];
        occurrenceSizes[p] = 0;
        Arrays.sort(occ, 0, size); // left to right, so that overlapping pairs (a, a) merge as minbpe does
        touchedCount = 0;
        for (int o = 0; o < size; o++) {
            int i = occ[o];
            if (sym[i] != a) {
                continue;
            }
            int j = next[i];
            if (j < 0 || sym[j] != b) {
                continue;
            }
            int w = weight[i];
            int before = prev[i];
            int after = next[j];
            if (before >= 0) {
                add(sym[before], a, -w, -1);
                add(sym[before], c, w, before);
            }
            if (after >= 0) {
                add(b, sym[after], -w, -1);
                add(c, sym[after], w, i);
            }
            add(a, b, -w, -1);
            sym[i] = c;
            sym[j] = -1;
            next[i] = after;
            if (after >= 0) {
                prev[after] = i;
            }
        }
        for (int t = 0; t < touchedCount; t++) {
            pushPair(touched[t]);
            marked[touched[t]] = false;
        }
    }


    /** Adds {@code delta} to the pair's count and, when {@code position >= 0}, records an occurrence there. */
    private void add(int left, int right, int delta, int position) {
        long key = BpeTokenizer.key(left, right);
        int p = pairIndex.get(key);
        if (p < 0) {
            p = pairs++;
            if (p == counts.length) {
                int cap = p * 2;
                counts = Arrays.copyOf(counts, cap);
                occurrences = Arrays.copyOf(occurrences, cap);
                occurrenceSizes = Arrays.copyOf(occurrenceSizes, cap);
                marked = Arrays.copyOf(marked, cap);
                keys = Arrays.copyOf(keys, cap);
            }
            occurrences[p] = new int[4];
            keys[p] = key;
            pairIndex.put(key, p);
        }
        counts[p] += delta;
        if (position >= 0) {
            int[] occ = occurrences[p];
            int s = occurrenceSizes[p];
            if (s == occ.length) {
                occ = occurrences[p] = Arrays.copyOf(occ, s * 2);
            }
            occ[s] = position;
            occurrenceSizes[p] = s + 1;
        }
        if (!marked[p]) {
            marked[p] = true;
            if (touchedCount == touched.length) {
                touched = Arrays.copyOf(touched, touchedCount * 2);
            }
            touched[touchedCount++] = p;
        }
    }

    private void pushPair(int p) {
        long count = counts[p];
        if (count <= 0) {
            return;
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalStateException("a pair occurs more than 2^31 times; the trainer's heap cannot rank it");
        }
        long pairKey = keyOf(p);
        int left = (int) (pairKey >>> 32);
        int right = (int) pairKey;
        long packed = ((long) left << 16) | right;
        long entry = (count << 32) | (0xFFFFFFFFL - packed);
        heap.push(~entry);
    }

    private long keyOf(int p) {
        return keys[p];
    }

    /** The incrementally maintained count of every pair that occurs (count > 0), keyed by (left << 32 | right). */
    public Map<Long, Long> pairCounts() {
        Map<Long, Long> out = new HashMap<>();
        for (int p = 0; p < pairs; p++) {
            if (counts[p] != 0) {
                out.put(keys[p], counts[p]);
            }
        }
        return out;
    }

    /** The pair counts recomputed from scratch from the current symbols (for tests: must equal {@link #pairCounts()}). */
    public Map<Long, Long> recountPairs() {
        Map<Long, Long> out = new HashMap<>();
        for (int i = 0; i < sym.length; i++) {
            if (sym[i] >= 0 && next[i] >= 0) {
                out.merge(BpeTokenizer.key(sym[i], sym[next[i]]), (long) weight[i], Long::sum);
            }
        }
        return out;
    }
}
