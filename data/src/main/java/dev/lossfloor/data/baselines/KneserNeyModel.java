package dev.lossfloor.data.baselines;

import dev.lossfloor.data.InformationMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Character n-gram language models with interpolated Kneser-Ney ({@link Smoothing#KN}) and modified Kneser-Ney
 * ({@link Smoothing#MKN}) smoothing, of every order 1..maxOrder at once: the counts are shared.
 * A faithful port of {@code ../shared/bench/kn_ngram.py} (same definitions, same arithmetic).
 *
 * <p>Characters are Unicode code points. For a model of order N, with h the previous k - 1 characters:
 * <pre>
 *   P_k(w | h) = (max(c_k(h w) - D_k(c_k(h w)), 0) + gamma_k(h) * P_{k-1}(w | h')) / c_k(h)   for k = 1..N
 *   P_0(w)     = 1 / V                                   (V = size of the {@link CharVocabulary})
 *   c_k(h)     = sum_w c_k(h w);   gamma_k(h) = sum over w with c_k(h w) &gt; 0 of D_k(c_k(h w))
 *   if c_k(h) = 0 (h unseen, or never followed by a character): P_k(w | h) = P_{k-1}(w | h')
 * </pre>
 * where h' drops the first character of h, the top level k = N counts raw occurrences c(h w) in the training
 * text and every lower level k &lt; N counts continuations N1+(. h w), the number of distinct characters seen
 * before h w (i.e. of distinct (k+1)-grams ending in h w). D_k is one discount per level for KN and D1, D2, D3+
 * for MKN, estimated from the count-of-counts n1..n4 of the counts used at that level (see
 * {@link LevelDiscounts} for the formulas and the fallbacks for tiny levels).
 *
 * <p>Scoring: every character of the held-out text is predicted; the first characters use the longest context
 * available inside the held-out text (the character at offset i &lt; N - 1 is scored by the order-(i+1) model),
 * as the reference does.
 *
 * <p>Storage: a trie of the training k-grams (k = 1..maxOrder) whose edges live in primitive hash maps keyed by
 * (parent node id, character id) packed into a long: exact keys, no boxing. Memory: about 60-80 bytes per
 * distinct k-gram of order &lt; maxOrder and 20-40 per distinct maxOrder-gram (4 MB of enwik8, orders 1..8:
 * under 300 MB of heap).
 */
public final class KneserNeyModel {
    public static final int MAX_ORDER = 16;

    private final CharVocabulary vocab;
    private final int maxOrder;
    private final int bits; // bits of a character id in a packed edge key
    private final long trainChars;

    // trie nodes of depth 0..maxOrder-1 ("inner"; 0 = root = the empty context); depth maxOrder = leaves
    private final LongIntHashMap inner; // (parent, char) -> inner node id
    private final LongIntHashMap leaves; // (parent, char) -> raw count of the maxOrder-gram
    private int innerCount;
    private byte[] depth;
    private int[] rawCount;
    private int[] contCount; // N1+(. g): distinct characters seen before g in training

    // per inner node h, statistics of its children h w: totals and the numbers of children with count 1, 2, >= 3
    private int[] rawTotal;
    private int[] rawN1;
    private int[] rawN2;
    private int[] rawN3;
    private int[] contTotal;
    private int[] contN1;
    private int[] contN2;
    private int[] contN3;

    // discounts per level k (index k); cont* only for k < maxOrder
    private final double[] rawKn;
    private final double[][] rawMkn;
    private final double[] contKn;
    private final double[][] contMkn;
    private final long[] distinct; // distinct k-grams of the training text, index k

    private KneserNeyModel(CharVocabulary vocab, int maxOrder, long trainChars, int expectedNodes) {
        this.vocab = vocab;
        this.maxOrder = maxOrder;
        this.trainChars = trainChars;
        this.bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(vocab.size()));
        this.inner = new LongIntHashMap(expectedNodes);
        this.leaves = new LongIntHashMap(expectedNodes);
        this.rawKn = new double[maxOrder + 1];
        this.rawMkn = new double[maxOrder + 1][];
        this.contKn = new double[maxOrder + 1];
        this.contMkn = new double[maxOrder + 1][];
        this.distinct = new long[maxOrder + 1];
        int initial = Math.max(16, expectedNodes);
        depth = new byte[initial];
        rawCount = new int[initial];
        contCount = new int[initial];
        innerCount = 1; // the root
    }

    /**
     * Counts every k-gram (k = 1..maxOrder) of {@code train} and estimates the discounts.
     *
     * @param vocab must contain every character of {@code train} and of every text to be scored
     */
    public static KneserNeyModel train(String train, CharVocabulary vocab, int maxOrder) {
        if (maxOrder < 1 || maxOrder > MAX_ORDER) {
            throw new IllegalArgumentException("maxOrder must be between 1 and " + MAX_ORDER + ", got " + maxOrder);
        }
        int[] text = vocab.encode(train, "the training text");
        if (text.length == 0) throw new IllegalArgumentException("the training text is empty");
        // distinct k-grams grow roughly like the text; start the tables at a size that rarely needs to grow
        int expected = (int) Math.min(1 << 26, text.length / 2 + 1024);
        KneserNeyModel model = new KneserNeyModel(vocab, maxOrder, text.length, expected);
        model.count(text);
        model.childStatistics();
        return model;
    }

    private long key(int parent, int charId) {
        return ((long) parent << bits) | charId;
    }

    /** One pass from the end of the text to the start, so that the suffix of a new (k+1)-gram already exists. */
    private void count(int[] t) {
        int n = t.length;
        int[] next = new int[maxOrder + 1]; // node of the d-gram starting at i + 1
        int[] cur = new int[maxOrder + 1]; // node of the d-gram starting at i
        for (int i = n - 1; i >= 0; i--) {
            int len = Math.min(maxOrder, n - i);
            cur[0] = 0;
            for (int d = 1; d <= len; d++) {
                long key = key(cur[d - 1], t[i + d - 1]);
                if (d < maxOrder) {
                    int r = inner.findOrInsert(key, innerCount);
                    int id;
                    if (r < 0) {
                        id = newInnerNode(d);
                        // a new distinct d-gram a g: one more distinct character seen before its suffix g
                        if (d >= 2) contCount[next[d - 1]]++;
                    } else {
                        id = inner.valueAt(r);
                    }
                    rawCount[id]++;
                    cur[d] = id;
                } else {
                    int r = leaves.findOrInsert(key, 0);
                    if (r < 0) {
                        r = -r - 1;
                        if (d >= 2) contCount[next[d - 1]]++;
                    }
                    leaves.incrementAt(r);
                }
            }
            int[] swap = next;
            next = cur;
            cur = swap;
        }
    }

    private int newInnerNode(int d) {
        if (innerCount == depth.length) {
            int grown = (int) Math.min(Integer.MAX_VALUE - 8, (long) depth.length * 3 / 2 + 16);
            depth = Arrays.copyOf(depth, grown);
            rawCount = Arrays.copyOf(rawCount, grown);
            contCount = Arrays.copyOf(contCount, grown);
        }
        int id = innerCount++;
        depth[id] = (byte) d;
        return id;
    }

    /** Per-context totals and count classes of the children, count-of-counts per level, discounts. */
    private void childStatistics() {
        depth = Arrays.copyOf(depth, innerCount);
        rawCount = Arrays.copyOf(rawCount, innerCount);
        contCount = Arrays.copyOf(contCount, innerCount);
        rawTotal = new int[innerCount];
        rawN1 = new int[innerCount];
        rawN2 = new int[innerCount];
        rawN3 = new int[innerCount];
        contTotal = new int[innerCount];
        contN1 = new int[innerCount];
        contN2 = new int[innerCount];
        contN3 = new int[innerCount];
        long[][] rawCoc = new long[maxOrder + 1][5]; // count-of-counts n1..n4 of raw counts per level
        long[][] contCoc = new long[maxOrder + 1][5];
        for (int slot = 0; slot < inner.capacity(); slot++) {
            long key = inner.keyAt(slot);
            if (key < 0) continue;
            int parent = (int) (key >>> bits);
            int id = inner.valueAt(slot);
            int k = depth[id];
            distinct[k]++;
            int c = rawCount[id];
            addChild(rawTotal, rawN1, rawN2, rawN3, parent, c);
            if (c <= 4) rawCoc[k][c]++;
            int cc = contCount[id];
            if (cc > 0) {
                addChild(contTotal, contN1, contN2, contN3, parent, cc);
                if (cc <= 4) contCoc[k][cc]++;
            }
        }
        for (int slot = 0; slot < leaves.capacity(); slot++) {
            long key = leaves.keyAt(slot);
            if (key < 0) continue;
            int c = leaves.valueAt(slot);
            distinct[maxOrder]++;
            addChild(rawTotal, rawN1, rawN2, rawN3, (int) (key >>> bits), c);
            if (c <= 4) rawCoc[maxOrder][c]++;
        }
        for (int k = 1; k <= maxOrder; k++) {
            double[] d = discounts(rawCoc[k]);
            rawKn[k] = d[0];
            rawMkn[k] = new double[] {d[1], d[2], d[3]};
            if (k < maxOrder) {
                d = discounts(contCoc[k]);
                contKn[k] = d[0];
                contMkn[k] = new double[] {d[1], d[2], d[3]};
            }
        }
    }

    private static void addChild(int[] total, int[] n1, int[] n2, int[] n3, int parent, int count) {
        total[parent] += count;
        if (count == 1) n1[parent]++;
        else if (count == 2) n2[parent]++;
        else n3[parent]++;
    }

    /** {Y (the KN discount), D1, D2, D3+} from count-of-counts n[1..4], exactly as kn_ngram.py's discounts(). */
    static double[] discounts(long[] n) {
        long n1 = n[1], n2 = n[2], n3 = n[3], n4 = n[4];
        double y = n1 > 0 && n2 > 0 ? (double) n1 / (double) (n1 + 2 * n2) : 0.5;
        double d1 = n1 > 0 ? 1 - 2 * y * n2 / n1 : y;
        double d2 = n2 > 0 ? 2 - 3 * y * n3 / n2 : y;
        double d3 = n3 > 0 ? 3 - 4 * y * n4 / n3 : y;
        return new double[] {y, clamp(d1, 1.0), clamp(d2, 2.0), clamp(d3, 3.0)};
    }

    private static double clamp(double d, double max) {
        return Math.min(Math.max(d, 0.0), max);
    }

    /** One level of the recursion: see the class comment. {@code c} is c_k(h w), 0 if unseen. */
    private static double level(Smoothing smoothing, double kn, double[] mkn, int total, int n1, int n2, int n3,
                                int c, double lower) {
        if (total == 0) return lower;
        double disc;
        double gammaNumerator;
        if (smoothing == Smoothing.KN) {
            disc = Math.max(c - kn, 0.0);
            gammaNumerator = kn * (n1 + n2 + n3);
        } else {
            disc = c > 0 ? Math.max(c - mkn[Math.min(c, 3) - 1], 0.0) : 0.0;
            gammaNumerator = mkn[0] * n1 + mkn[1] * n2 + mkn[2] * n3;
        }
        return (disc + gammaNumerator * lower) / total;
    }

    private double rawLevel(Smoothing s, int k, int h, int c, double lower) {
        if (h < 0) return lower;
        return level(s, rawKn[k], rawMkn[k], rawTotal[h], rawN1[h], rawN2[h], rawN3[h], c, lower);
    }

    private double contLevel(Smoothing s, int k, int h, int c, double lower) {
        if (h < 0) return lower;
        return level(s, contKn[k], contMkn[k], contTotal[h], contN1[h], contN2[h], contN3[h], c, lower);
    }

    /** The inner node of h followed by character id w, or -1 (also when h is -1). */
    private int child(int h, int w) {
        return h < 0 || w < 0 ? -1 : inner.get(key(h, w), -1);
    }

    private int leafCount(int h, int w) {
        return h < 0 || w < 0 ? 0 : leaves.get(key(h, w), 0);
    }

    /**
     * P(w | context) under the model of order {@code order} (1..maxOrder). The model uses the last
     * {@code order - 1} code points of {@code context}; a shorter context is used as it is (the model of order
     * context.length + 1). Context characters may be anything, even outside the vocabulary (an unseen context).
     *
     * @throws IllegalArgumentException if {@code codePoint} is not in the vocabulary
     */
    public double probability(Smoothing smoothing, int order, int[] context, int codePoint) {
        if (order < 1 || order > maxOrder) {
            throw new IllegalArgumentException("order must be between 1 and " + maxOrder + ", got " + order);
        }
        int w = vocab.id(codePoint);
        if (w < 0) throw new IllegalArgumentException("U+" + String.format("%04X", codePoint) + " is not in the vocabulary");
        int used = Math.min(order, context.length + 1); // the order actually available
        double lower = 1.0 / vocab.size();
        double p = lower;
        for (int k = 1; k <= used; k++) {
            int h = 0; // node of the last k - 1 context characters
            for (int j = context.length - (k - 1); j < context.length && h >= 0; j++) h = child(h, vocab.id(context[j]));
            int c;
            int hw = -1;
            if (k < maxOrder) {
                hw = child(h, w);
                c = hw >= 0 ? rawCount[hw] : 0;
            } else {
                c = leafCount(h, w);
            }
            p = rawLevel(smoothing, k, h, c, lower);
            if (k < used) lower = contLevel(smoothing, k, h, hw >= 0 ? contCount[hw] : 0, lower);
        }
        return p;
    }

    /**
     * Scores every character of {@code heldOut} with the models of every order 1..maxOrder and both smoothings.
     *
     * @return the KN results for orders 1..maxOrder, then the MKN results
     */
    public List<NGramResult> score(String heldOut) {
        int[] v = vocab.encode(heldOut, "the held-out text");
        if (v.length == 0) throw new IllegalArgumentException("the held-out text is empty");
        long bytes = heldOut.getBytes(StandardCharsets.UTF_8).length;
        Smoothing[] smoothings = Smoothing.values();
        double[][] totalNats = new double[smoothings.length][maxOrder + 1];
        int[] ctx = new int[maxOrder + 1]; // ctx[d]: node of the d characters before position i (d < maxOrder)
        int[] next = new int[maxOrder + 1];
        int[] raw = new int[maxOrder + 1];
        int[] cont = new int[maxOrder + 1];
        double[] p = new double[maxOrder + 1];
        double uniform = 1.0 / vocab.size();
        ctx[0] = 0;
        next[0] = 0;
        for (int i = 0; i < v.length; i++) {
            int w = v[i];
            int used = Math.min(maxOrder, i + 1); // context inside the held-out text only
            for (int k = 1; k <= used; k++) {
                int h = ctx[k - 1];
                if (k < maxOrder) {
                    int hw = child(h, w);
                    next[k] = hw;
                    raw[k] = hw >= 0 ? rawCount[hw] : 0;
                    cont[k] = hw >= 0 ? contCount[hw] : 0;
                } else {
                    raw[k] = leafCount(h, w);
                }
            }
            for (int s = 0; s < smoothings.length; s++) {
                Smoothing smoothing = smoothings[s];
                double lower = uniform;
                for (int k = 1; k <= maxOrder; k++) {
                    if (k > used) {
                        p[k] = p[k - 1]; // not enough context yet: the order-(i+1) model's value
                    } else {
                        p[k] = rawLevel(smoothing, k, ctx[k - 1], raw[k], lower);
                        if (k < maxOrder) lower = contLevel(smoothing, k, ctx[k - 1], cont[k], lower);
                    }
                    totalNats[s][k] += nll(p[k]);
                }
            }
            int[] swap = ctx;
            ctx = next;
            next = swap;
            next[0] = 0;
        }
        List<NGramResult> results = new ArrayList<>(2 * maxOrder);
        for (int s = 0; s < smoothings.length; s++) {
            for (int k = 1; k <= maxOrder; k++) {
                double nats = totalNats[s][k];
                results.add(new NGramResult(smoothings[s].id(), k, InformationMetrics.perUnit(nats, v.length),
                        InformationMetrics.bitsPerChar(nats, v.length), InformationMetrics.bitsPerByte(nats, bytes),
                        v.length, bytes));
            }
        }
        return results;
    }

    /** -ln p; p can exceed 1 by a rounding error when a context was always followed by the same character. */
    private static double nll(double p) {
        return InformationMetrics.nllNats(Math.min(p, 1.0));
    }

    public int maxOrder() {
        return maxOrder;
    }

    public CharVocabulary vocabulary() {
        return vocab;
    }

    /** Characters of the training text. */
    public long trainChars() {
        return trainChars;
    }

    /** Distinct k-grams of the training text, k = 1..maxOrder. */
    public long distinctNGrams(int k) {
        if (k < 1 || k > maxOrder) throw new IllegalArgumentException("k must be between 1 and " + maxOrder + ", got " + k);
        return distinct[k];
    }

    /** The estimated discounts: for each level k, the raw counts' and (k &lt; maxOrder) the continuation counts'. */
    public List<LevelDiscounts> discounts() {
        List<LevelDiscounts> out = new ArrayList<>();
        for (int k = 1; k <= maxOrder; k++) {
            out.add(new LevelDiscounts(k, "raw", rawKn[k], rawMkn[k][0], rawMkn[k][1], rawMkn[k][2]));
            if (k < maxOrder) {
                out.add(new LevelDiscounts(k, "continuation", contKn[k], contMkn[k][0], contMkn[k][1], contMkn[k][2]));
            }
        }
        return out;
    }
}
