package dev.lossfloor.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte-level byte-pair encoding: ids 0..255 are the bytes, id 256 + r is the r-th merge (a pair of earlier ids).
 * Encoding applies the merges in rank order (the lowest-ranked adjacent pair first, the leftmost of equal pairs
 * first), inside each piece of GPT-2's pre-split ({@link Gpt2PreTokenizer}) or, without the split, across the whole
 * text. Any byte string has an encoding and decodes back to itself ({@link #encodeBytes}, {@link #decodeBytes});
 * the String API works on the text's UTF-8 bytes. Byte and character counts per token are exact: a character
 * belongs to the token holding its last byte (see {@link ByteTokens}).
 *
 * <p>Learned by {@link BpeTrainer}; saved as {@link #state()} (the merges as pairs of ids) and rebuilt by
 * {@link Tokenizers#fromState}.
 */
public final class BpeTokenizer implements Tokenizer {

    /** Vocabularies stay below 2^16 ids (the trainer packs a pair into 32 bits). */
    public static final int MAX_VOCAB = 1 << 16;
    private static final int CACHE_LIMIT = 1 << 18;

    private final int[][] merges;
    private final boolean split;
    private final LongIntMap ranks;
    private final ByteTokens tokens;
    private final Map<String, int[]> cache = new HashMap<>();
    // scratch of the merge loop, grown as needed (encode is synchronized)
    private int[] ids = new int[64];
    private int[] next = new int[64];
    private int[] prev = new int[64];
    private final LongMinHeap heap = new LongMinHeap(64);

    private BpeTokenizer(int[][] merges, boolean split) {
        this.merges = merges;
        this.split = split;
        this.ranks = new LongIntMap(merges.length + 1);
        byte[][] bytes = new byte[256 + merges.length][];
        for (int b = 0; b < 256; b++) {
            bytes[b] = new byte[]{(byte) b};
        }
        for (int r = 0; r < merges.length; r++) {
            int left = merges[r][0];
            int right = merges[r][1];
            ranks.put(key(left, right), r);
            byte[] l = bytes[left];
            byte[] m = Arrays.copyOf(l, l.length + bytes[right].length);
            System.arraycopy(bytes[right], 0, m, l.length, bytes[right].length);
            bytes[256 + r] = m;
        }
        this.tokens = new ByteTokens(bytes);
    }

    /**
     * A tokenizer from its merges, in rank order: merge r is {left, right}, two ids below 256 + r, and becomes id
     * 256 + r. A pair may appear once.
     */
    public static BpeTokenizer of(List<int[]> merges, boolean split) {
        if (256 + merges.size() > MAX_VOCAB) {
            throw new IllegalArgumentException("BPE vocabulary of " + (256 + merges.size()) + " ids is above the maximum "
                    + MAX_VOCAB);
        }
        int[][] m = new int[merges.size()][];
        LongIntMap seen = new LongIntMap(merges.size() + 1);
        for (int r = 0; r < m.length; r++) {
            int[] pair = merges.get(r);
            if (pair == null || pair.length != 2) {
                throw new IllegalArgumentException("BPE merge " + r + " must be a pair of ids");
            }
            for (int id : pair) {
                if (id < 0 || id >= 256 + r) {
                    throw new IllegalArgumentException("BPE merge " + r + " uses id " + id + ", which is not below "
                            + (256 + r) + " (bytes and earlier merges only); the saved tokenizer is corrupt");
                }
            }
            if (seen.get(key(pair[0], pair[1])) >= 0) {
                throw new IllegalArgumentException("BPE merge " + r + " repeats the pair (" + pair[0] + ", " + pair[1]
                        + ") of merge " + seen.get(key(pair[0], pair[1])) + "; the saved tokenizer is corrupt");
            }
            seen.put(key(pair[0], pair[1]), r);
            m[r] = new int[]{pair[0], pair[1]};
        }
        return new BpeTokenizer(m, split);
    }

    /** Learns {@code vocabSize - 256} merges from {@code trainingText} (see {@link BpeTrainer}). */
    public static BpeTokenizer train(String trainingText, int vocabSize, boolean split) {
        return BpeTrainer.train(trainingText, vocabSize, split);
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    @Override
    public String spec() {
        return "bpe:" + vocabSize();
    }

    @Override
    public int vocabSize() {
        return 256 + merges.length;
    }

    /** Whether encoding pre-splits text with GPT-2's pattern ({@code --bpe-no-split} turns it off). */
    public boolean splits() {
        return split;
    }

    /** The merges in rank order, each {left, right} (copies). */
    public List<int[]> merges() {
        List<int[]> out = new ArrayList<>(merges.length);
        for (int[] m : merges) {
            out.add(m.clone());
        }
        return out;
    }

    /** The bytes of a token (a copy). */
    public byte[] tokenBytes(int id) {
        checkId(id, -1);
        return tokens.bytes(id).clone();
    }

    @Override
    public synchronized Encoding encode(String text) {
        Unicode.requireNoLoneSurrogates(text);
        IntList out = new IntList(Math.max(16, text.length() / 3));
        if (split) {
            encodePieces(text, out);
        } else {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            encodePiece(bytes, 0, bytes.length, out);
        }
        return tokens.encoding(out.toArray(), 0);
    }

    /**
     * Encodes any byte string, valid UTF-8 or not: with the pre-split, each maximal valid UTF-8 run is split as text
     * and every byte outside one is a piece of its own; without it, the merges run over all the bytes.
     * {@link #decodeBytes} gives the bytes back exactly.
     */
    public synchronized Encoding encodeBytes(byte[] bytes) {
        IntList out = new IntList(Math.max(16, bytes.length / 3));
        if (!split) {
            encodePiece(bytes, 0, bytes.length, out);
            return tokens.encoding(out.toArray(), 0);
        }
        int k = 0;
        while (k < bytes.length) {
            int start = k;
            int len;
            while (k < bytes.length && (len = Utf8.validSequenceLength(bytes, k)) > 0) {
                k += len;
            }
            if (k > start) {
                encodePieces(new String(bytes, start, k - start, StandardCharsets.UTF_8), out);
            } else {
                out.add(bytes[k] & 0xFF); // a byte that starts no valid sequence
                k++;
            }
        }
        return tokens.encoding(out.toArray(), 0);
    }

    private void encodePieces(String text, IntList out) {
        int[] ends = Gpt2PreTokenizer.ends(text);
        int start = 0;
        for (int end : ends) {
            String piece = text.substring(start, end);
            int[] cached = cache.get(piece);
            if (cached == null) {
                byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
                int from = out.size();
                encodePiece(bytes, 0, bytes.length, out);
                cached = out.copy(from, out.size());
                if (cache.size() >= CACHE_LIMIT) {
                    cache.clear();
                }
                cache.put(piece, cached);
            } else {
                out.addAll(cached);
            }
            start = end;
        }
    }

    /**
     * Applies the merges to bytes [from, from + len): a min-heap of (rank, position) over a linked list of symbols,
     * so that the lowest-ranked pair is merged first and, among equal pairs, the leftmost (O(n log n)).
     */
    private void encodePiece(byte[] bytes, int from, int len, IntList out) {
        if (len == 0) {
            return;
        }
        if (len == 1) {
            out.add(bytes[from] & 0xFF);
            return;
        }
        if (ids.length < len) {
            int cap = Math.max(len, ids.length * 2);
            ids = new int[cap];
            next = new int[cap];
            prev = new int[cap];
        }
        heap.clear();
        for (int i = 0; i < len; i++) {
            ids[i] = bytes[from + i] & 0xFF;
            next[i] = i + 1 < len ? i + 1 : -1;
            prev[i] = i - 1;
        }
        for (int i = 0; i + 1 < len; i++) {
            int r = ranks.get(key(ids[i], ids[i + 1]));
            if (r >= 0) {
                heap.push(((long) r << 32) | i);
            }
        }
        while (heap.size() > 0) {
            long top = heap.pop();
            int r = (int) (top >>> 32);
            int i = (int) top;
            int j = next[i];
            if (ids[i] < 0 || j < 0 || ranks.get(key(ids[i], ids[j])) != r) {
                continue; // stale: a neighbour was merged since this entry was pushed
            }
            ids[i] = 256 + r;
            ids[j] = -1;
            int k = next[j];
            next[i] = k;
            if (k >= 0) {
                prev[k] = i;
                int rk = ranks.get(key(ids[i], ids[k]));
                if (rk >= 0) {
                    heap.push(((long) rk << 32) | i);
                }
            }
            int p = prev[i];
            if (p >= 0) {
                int rp = ranks.get(key(ids[p], ids[i]));
                if (rp >= 0) {
                    heap.push(((long) rp << 32) | p);
                }
            }
        }
        for (int i = 0; i >= 0; i = next[i]) {
            out.add(ids[i]);
        }
    }

    /** The bytes the ids stand for. */
    public byte[] decodeBytes(int[] ids) {
        return tokens.concat(ids, "BPE");
    }

    /** The text of the ids; a character cut by the ends of the sequence becomes U+FFFD. */
    @Override
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    @Override
    public String tokenDisplay(int id) {
        checkId(id, -1);
        return tokens.display(id);
    }

    @Override
    public Map<String, Object> state() {
        List<List<Integer>> pairs = new ArrayList<>(merges.length);
        for (int[] m : merges) {
            pairs.add(List.of(m[0], m[1]));
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("type", "bpe");
        state.put("vocab_size", vocabSize());
        state.put("split", split ? "gpt2" : "none");
        state.put("merges", Collections.unmodifiableList(pairs));
        return Collections.unmodifiableMap(state);
    }

    @Override
    public String toString() {
        return "BpeTokenizer[" + vocabSize() + (split ? ", gpt2 split" : ", no split") + "]";
    }

    private void checkId(int id, int position) {
        if (id < 0 || id >= vocabSize()) {
            throw new IllegalArgumentException("token id " + id + (position >= 0 ? " at position " + position : "")
                    + " is outside the BPE vocabulary 0.." + (vocabSize() - 1) + "; the ids come from a different tokenizer");
        }
    }
}
