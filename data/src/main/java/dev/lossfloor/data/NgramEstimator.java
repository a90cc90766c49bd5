package dev.lossfloor.data;

import java.util.Arrays;

/**
 * Estimates an order-k character Markov chain from a text: the transition table behind the {@code ngram-of}
 * source. Smoothing gives every symbol of the alphabet a positive probability in every context (also in
 * contexts the text never shows), so the chain is irreducible and aperiodic and its entropy rate is exact.
 *
 * <p>Contexts are indexed as in {@link MarkovSource}: base A, the most recent symbol least significant.
 */
public final class NgramEstimator {

    private NgramEstimator() {
    }

    /**
     * How counts become probabilities.
     *
     * <ul>
     *   <li>{@code add} (add-delta, Lidstone): P(x|c) = (C(c,x) + delta) / (C(c) + A delta); a context the text
     *       never shows gets the uniform row.</li>
     *   <li>{@code witten-bell} (interpolation with every lower order, no parameter): P_j(x|c) = (C(c,x) +
     *       T(c) P_{j-1}(x|c')) / (C(c) + T(c)), where T(c) is the number of distinct symbols seen after c and c'
     *       is c without its oldest symbol; P_{-1} is uniform, and an unseen context takes P_{j-1}.</li>
     * </ul>
     *
     * @param name  {@link #ADD} or {@link #WITTEN_BELL}
     * @param delta the pseudo-count of add-delta (positive); 0 for Witten-Bell
     */
    public record Smoothing(String name, double delta) {
        public static final String ADD = "add";
        public static final String WITTEN_BELL = "witten-bell";
        public static final double DEFAULT_DELTA = 0.1;

        public Smoothing {
            if (ADD.equals(name)) {
                if (!(delta > 0) || Double.isInfinite(delta)) {
                    throw new IllegalArgumentException("add-delta smoothing needs a positive finite delta (e.g."
                            + " delta=0.1), got " + delta);
                }
            } else if (WITTEN_BELL.equals(name)) {
                if (delta != 0) {
                    throw new IllegalArgumentException("witten-bell smoothing takes no delta; use smoothing=add,delta="
                            + Sources.format(delta) + " for add-delta");
                }
            } else {
                throw new IllegalArgumentException("unknown smoothing \"" + name + "\"; use smoothing=" + WITTEN_BELL
                        + " or smoothing=" + ADD + ",delta=0.1");
            }
        }

        public static Smoothing add(double delta) {
            return new Smoothing(ADD, delta);
        }

        public static Smoothing wittenBell() {
            return new Smoothing(WITTEN_BELL, 0);
        }

        /** "smoothing=witten-bell" or "smoothing=add,delta=0.1", as the ngram-of spec writes it. */
        public String spec() {
            return ADD.equals(name) ? "smoothing=" + ADD + ",delta=" + Sources.format(delta) : "smoothing=" + name;
        }
    }

    /** The distinct code points of {@code text} in ascending order. */
    public static String alphabetOf(String text) {
        int[] distinct = text.codePoints().sorted().distinct().toArray();
        return new String(distinct, 0, distinct.length);
    }

    /** The highest order whose table A^(order+1) fits in {@link MarkovSource#MAX_TABLE_SIZE}; -1 if none does. */
    public static int maxOrder(int alphabetSize) {
        int order = -1;
        long table = alphabetSize;
        while (table <= MarkovSource.MAX_TABLE_SIZE) {
            order++;
            table *= alphabetSize;
            if (alphabetSize == 1 && order >= 64) {
                break; // a one-letter alphabet fits any order; stop somewhere
            }
        }
        return order;
    }

    /**
     * The transition table of the order-{@code order} chain estimated from {@code text} over {@code alphabet}
     * (which must hold every character of the text), ready for {@link MarkovSource#fromTable}.
     */
    public static double[] transitionTable(String text, String alphabet, int order, Smoothing smoothing) {
        int[] symbols = alphabet.codePoints().toArray();
        int size = symbols.length;
        if (order < 0 || order > maxOrder(size)) {
            throw new IllegalArgumentException("ngram order must be between 0 and " + maxOrder(size) + " for "
                    + size + " symbols, got " + order);
        }
        int[] x = toSymbols(text, symbols);
        if (smoothing.name().equals(Smoothing.ADD)) {
            return addDelta(x, size, order, smoothing.delta());
        }
        double[] lower = null;
        for (int j = 0; j <= order; j++) {
            lower = wittenBell(x, size, j, lower);
        }
        return lower;
    }

    private static double[] addDelta(int[] x, int size, int order, double delta) {
        double[] counts = counts(x, size, order);
        int contexts = counts.length / size;
        for (int c = 0; c < contexts; c++) {
            int base = c * size;
            double total = 0;
            for (int y = 0; y < size; y++) {
                total += counts[base + y];
            }
            double denominator = total + size * delta;
            for (int y = 0; y < size; y++) {
                counts[base + y] = (counts[base + y] + delta) / denominator;
            }
        }
        return counts;
    }

    /** The order-j Witten-Bell table, interpolated with the order-(j-1) table {@code lower} (null for j = 0). */
    private static double[] wittenBell(int[] x, int size, int j, double[] lower) {
        double[] counts = counts(x, size, j);
        int contexts = counts.length / size;
        int lowerContexts = lower == null ? 1 : lower.length / size;
        double uniform = 1.0 / size;
        for (int c = 0; c < contexts; c++) {
            int base = c * size;
            int lowerBase = (c % lowerContexts) * size; // c without its oldest symbol
            double total = 0;
            int types = 0;
            for (int y = 0; y < size; y++) {
                total += counts[base + y];
                if (counts[base + y] > 0) {
                    types++;
                }
            }
            for (int y = 0; y < size; y++) {
                double backoff = lower == null ? uniform : lower[lowerBase + y];
                counts[base + y] = total == 0 ? backoff : (counts[base + y] + types * backoff) / (total + types);
            }
        }
        return counts;
    }

    /** C(c, y) for every context c of length j that the text shows, followed by y: [c * A + y]. */
    private static double[] counts(int[] x, int size, int j) {
        long table = 1;
        for (int i = 0; i <= j; i++) {
            table *= size;
        }
        double[] counts = new double[Math.toIntExact(table)];
        int contexts = (int) (table / size);
        int context = 0;
        for (int i = 0; i < x.length; i++) {
            if (i >= j) {
                counts[context * size + x[i]]++;
            }
            context = contexts == 1 ? 0 : (int) (((long) context * size + x[i]) % contexts);
        }
        return counts;
    }

    private static int[] toSymbols(String text, int[] symbols) {
        int max = Arrays.stream(symbols).max().orElse(0);
        int[] index = new int[max + 1];
        Arrays.fill(index, -1);
        for (int i = 0; i < symbols.length; i++) {
            index[symbols[i]] = i;
        }
        int[] codePoints = text.codePoints().toArray();
        int[] x = new int[codePoints.length];
        for (int i = 0; i < codePoints.length; i++) {
            int cp = codePoints[i];
            x[i] = cp <= max ? index[cp] : -1;
            if (x[i] < 0) {
                throw new IllegalArgumentException(String.format(
                        "character U+%04X at character offset %d is not in the ngram alphabet", cp, i));
            }
        }
        return x;
    }
}
