package dev.lossfloor.data;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A k-th order Markov chain over a small alphabet whose information-theoretic quantities are
 * computed exactly, so a trained model's held-out loss can be compared with the true entropy rate.
 *
 * <p>Each of the A^k contexts (the previous k symbols) has a transition row drawn from a
 * symmetric Dirichlet(concentration) distribution with a seeded generator: a small
 * concentration gives peaked, predictable rows; a large one gives nearly uniform rows.
 * Contexts are indexed base A with the most recent symbol as the least significant digit.
 *
 * <p>{@link #fromTable} builds the chain from explicit transition rows instead (the iid and ngram-of sources of
 * {@link Sources}), sharing the stationary distribution, entropies, sampling and true probabilities.
 */
public final class MarkovSource implements SyntheticSource {

    public static final String DEFAULT_ALPHABET = "abcd";
    public static final int DEFAULT_ORDER = 2;
    public static final double DEFAULT_CONCENTRATION = 0.5;
    public static final long DEFAULT_SEED = 1;

    /** Largest A^(order+1), the number of transition probabilities kept in memory (twice, as doubles). */
    public static final int MAX_TABLE_SIZE = 1 << 24;

    /** Rows are floored here so that every log probability is finite. */
    static final double MIN_PROBABILITY = 1e-12;

    // Up to this many contexts the stationary distribution is found by Gaussian elimination.
    private static final int DIRECT_SOLVE_MAX_CONTEXTS = 1024;
    private static final double STATIONARY_TOLERANCE = 1e-14;
    // Caps power iteration (about 15 s) for chains whose rows are so peaked that they barely mix.
    private static final long POWER_ITERATION_MAX_WORK = 10_000_000_000L;

    private final String alphabet;
    private final int[] symbols;
    private final int[] symbolIndex; // code point -> symbol index, -1 outside the alphabet
    private final int order;
    private final double concentration; // NaN for an explicit table
    private final long seed; // 0 for an explicit table
    private final String tableSpec; // the spec given with an explicit table, null for a Dirichlet chain
    private final int size; // A
    private final int contexts; // A^order
    private final double[] probs; // [context * A + symbol]
    private final double[] cumulative; // running sums of each row, for sampling
    private final double[] stationary;
    private final double[] stationaryCumulative;
    private final double[][] prefixMarginals; // [m] = distribution of the first m of order symbols
    private final double entropyRate;
    private final double[] conditionalEntropies; // [j] for j = 0..order
    private final double bytesPerChar;

    /** A chain whose A^order transition rows are drawn from a symmetric Dirichlet(concentration) with {@code seed}. */
    public MarkovSource(String alphabet, int order, double concentration, long seed) {
        this(alphabet, checkOrder(order), checkConcentration(concentration), seed, null, null);
    }

    /**
     * A chain with explicit transition probabilities: {@code probabilities[context * A + symbol]} = P(symbol |
     * context) for the A^order contexts, indexed as in this class (base A, most recent symbol least significant;
     * one row for order 0). Every entry must be positive (so the chain is irreducible and every log probability
     * finite) and every row must sum to 1 within 1e-9; rows are renormalised exactly. {@code spec} is what
     * {@link #spec()} returns: the description that rebuilds this chain (see {@link Sources#fromSpec}).
     */
    public static MarkovSource fromTable(String spec, String alphabet, int order, double[] probabilities) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("a markov chain from an explicit table needs a spec that describes it");
        }
        if (probabilities == null) {
            throw new IllegalArgumentException("markov transition table is missing for " + spec);
        }
        return new MarkovSource(alphabet, checkOrder(order), Double.NaN, 0, probabilities.clone(), spec);
    }

    private MarkovSource(String alphabet, int order, double concentration, long seed, double[] table, String tableSpec) {
        this.symbols = validateAlphabet(alphabet, tableSpec == null ? "markov" : kind(tableSpec));
        this.alphabet = alphabet;
        this.order = order;
        this.concentration = concentration;
        this.seed = seed;
        this.tableSpec = tableSpec;
        this.size = symbols.length;
        this.contexts = checkedTableSize(size, order) / size;
        this.symbolIndex = indexSymbols(symbols);

        this.probs = table == null ? drawRows(new SplittableRandom(seed)) : checkedTable(table);
        this.cumulative = new double[probs.length];
        for (int s = 0; s < contexts; s++) {
            cumulate(probs, s * size, size, cumulative);
        }
        if (contexts == 1) {
            this.stationary = new double[] {1.0}; // order 0: one empty context
        } else {
            this.stationary = contexts <= DIRECT_SOLVE_MAX_CONTEXTS ? solveStationary() : iterateStationary();
        }
        this.stationaryCumulative = new double[contexts];
        cumulate(stationary, 0, contexts, stationaryCumulative);
        this.prefixMarginals = prefixMarginals();

        double rate = 0;
        for (int s = 0; s < contexts; s++) {
            rate += stationary[s] * entropy(probs, s * size, size);
        }
        this.entropyRate = rate;
        this.conditionalEntropies = conditionalEntropies();
        double[] single = order == 0 ? probs : prefixMarginals[1]; // stationary distribution of one symbol
        double extra = 0; // 1 + the expected bytes beyond the first, so an ASCII alphabet gives exactly 1
        for (int x = 0; x < size; x++) {
            extra += single[x] * (utf8Length(symbols[x]) - 1);
        }
        this.bytesPerChar = 1 + extra;
    }

    private static int checkOrder(int order) {
        if (order < 0) {
            throw new IllegalArgumentException("markov order must be at least 0 (0 = independent symbols), got " + order);
        }
        return order;
    }

    private static double checkConcentration(double concentration) {
        if (!(concentration > 0) || Double.isInfinite(concentration)) {
            throw new IllegalArgumentException(
                    "markov concentration must be a positive finite number (e.g. 0.5), got " + concentration);
        }
        return concentration;
    }

    /** Validates an explicit table (size, positivity, row sums) and returns it with every row renormalised. */
    private double[] checkedTable(double[] table) {
        if (table.length != contexts * size) {
            throw new IllegalArgumentException("markov transition table for " + tableSpec + " has " + table.length
                    + " entries; " + size + " symbols and order " + order + " need A^(order+1) = " + contexts * size);
        }
        for (int s = 0; s < contexts; s++) {
            int base = s * size;
            double sum = 0;
            for (int x = 0; x < size; x++) {
                double p = table[base + x];
                if (!(p > 0) || Double.isInfinite(p)) {
                    throw new IllegalArgumentException(String.format("markov transition table for %s has P(U+%04X |"
                            + " context %d) = %s; every probability must be positive and finite so the chain is"
                            + " irreducible", tableSpec, symbols[x], s, p));
                }
                sum += p;
            }
            if (Math.abs(sum - 1) > 1e-9) {
                throw new IllegalArgumentException("markov transition table for " + tableSpec + " has row " + s
                        + " summing to " + sum + "; each row must sum to 1");
            }
            for (int x = 0; x < size; x++) {
                table[base + x] /= sum;
            }
        }
        return table;
    }

    /** The embedded default source. */
    public static MarkovSource builtIn() {
        return new MarkovSource(DEFAULT_ALPHABET, DEFAULT_ORDER, DEFAULT_CONCENTRATION, DEFAULT_SEED);
    }

    /**
     * Parses a spec such as "markov:order=2,alphabet=abcdefgh,concentration=0.5,seed=1" (the form
     * {@link #spec()} prints); missing keys take the defaults. The alphabet must not contain ','.
     */
    public static MarkovSource fromSpec(String spec) {
        String body = spec.startsWith("markov:") ? spec.substring("markov:".length()) : spec;
        String alphabet = DEFAULT_ALPHABET;
        int order = DEFAULT_ORDER;
        double concentration = DEFAULT_CONCENTRATION;
        long seed = DEFAULT_SEED;
        for (String part : body.isEmpty() ? new String[0] : body.split(",", -1)) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            try {
                switch (key) {
                    case "alphabet" -> alphabet = value;
                    case "order" -> order = Integer.parseInt(value);
                    case "concentration" -> concentration = Double.parseDouble(value);
                    case "seed" -> seed = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("markov spec \"" + spec + "\" has unknown key \""
                            + key + "\"; use order=, alphabet=, concentration= and seed=, separated by commas,"
                            + " e.g. markov:order=2,alphabet=abcdefgh,concentration=0.5,seed=1");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("markov spec \"" + spec + "\" has a bad number for " + key
                        + ": \"" + value + "\"; e.g. markov:order=2,alphabet=abcdefgh,concentration=0.5,seed=1");
            }
        }
        return new MarkovSource(alphabet, order, concentration, seed);
    }

    // ---- exact quantities ---------------------------------------------------------------

    /** Stationary distribution over the A^order contexts (a copy). */
    public double[] stationary() {
        return stationary.clone();
    }

    /** Entropy rate H = sum_s pi(s) H(P(.|s)), in nats per symbol. */
    @Override
    public double entropyRate() {
        return entropyRate;
    }

    /**
     * H(X_j | X_0..X_{j-1}) of the stationary process in nats: the best loss achievable with j
     * symbols of context. j = 0 gives the entropy of one symbol; j &gt;= order gives the entropy rate.
     */
    @Override
    public double conditionalEntropy(int j) {
        if (j < 0) {
            throw new IllegalArgumentException("conditional entropy needs a context length of at least 0, got " + j);
        }
        return j >= order ? entropyRate : conditionalEntropies[j];
    }

    /** Stationary distribution of m consecutive symbols, 0 &lt;= m &lt;= order, indexed base A (a copy). */
    public double[] marginal(int m) {
        if (m < 0 || m > order) {
            throw new IllegalArgumentException("marginal length must be between 0 and the order " + order + ", got " + m);
        }
        return prefixMarginals[m].clone();
    }

    /** P(. | context) for a context index in [0, A^order) (a copy). */
    public double[] transitionRow(int context) {
        if (context < 0 || context >= contexts) {
            throw new IllegalArgumentException("context index must be between 0 and " + (contexts - 1) + ", got " + context);
        }
        return Arrays.copyOfRange(probs, context * size, context * size + size);
    }

    /**
     * ln P(x_i | previous symbols) for every code point of {@code text} under the stationary chain:
     * the transition row once {@code order} symbols are known, the stationary marginals before.
     * Their negated mean is the true model's loss on the text.
     */
    @Override
    public double[] conditionalLogProbs(String text) {
        int[] x = toSymbols(text);
        double[] logProbs = new double[x.length];
        int context = 0; // index of the last min(i, order) symbols
        for (int i = 0; i < x.length; i++) {
            int next = context * size + x[i];
            logProbs[i] = i < order
                    ? Math.log(prefixMarginals[i + 1][next]) - Math.log(prefixMarginals[i][context])
                    : Math.log(probs[next]);
            context = next % contexts;
        }
        return logProbs;
    }

    // ---- sampling -------------------------------------------------------------------------

    /**
     * A sample of {@code length} symbols, deterministic for {@code seed}: the first {@code order}
     * symbols are a context drawn from the stationary distribution, so the whole text is stationary.
     */
    @Override
    public String sample(int length, long seed) {
        if (length < 0) {
            throw new IllegalArgumentException("sample length must be at least 0, got " + length);
        }
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder out = new StringBuilder(length);
        int context = search(stationaryCumulative, 0, contexts, random.nextDouble());
        int start = Math.min(order, length);
        for (int i = 0; i < start; i++) {
            // Digit i of the context, most significant (oldest) first.
            int digit = (int) (context / pow(size, order - 1 - i) % size);
            out.appendCodePoint(symbols[digit]);
        }
        for (int i = start; i < length; i++) {
            int x = search(cumulative, context * size, size, random.nextDouble());
            out.appendCodePoint(symbols[x]);
            context = (context * size + x) % contexts;
        }
        return out.toString();
    }

    // ---- accessors --------------------------------------------------------------------------

    @Override
    public String alphabet() {
        return alphabet;
    }

    @Override
    public int alphabetSize() {
        return size;
    }

    @Override
    public int order() {
        return order;
    }

    /** The Dirichlet concentration; NaN for a chain built {@link #fromTable from an explicit table}. */
    public double concentration() {
        return concentration;
    }

    /** The seed of the Dirichlet rows; 0 for a chain built {@link #fromTable from an explicit table}. */
    public long seed() {
        return seed;
    }

    /** Number of contexts, A^order. */
    public int contextCount() {
        return contexts;
    }

    /** The symbol index of a code point, or -1 if it is outside the alphabet. */
    public int symbolIndex(int codePoint) {
        return codePoint >= 0 && codePoint < symbolIndex.length ? symbolIndex[codePoint] : -1;
    }

    /** Expected UTF-8 bytes per symbol under the stationary distribution. */
    @Override
    public double bytesPerChar() {
        return bytesPerChar;
    }

    /**
     * E.g. "markov:order=2,alphabet=abcdefgh,concentration=0.5,seed=1", which {@link #fromSpec} reads back; for a
     * chain built {@link #fromTable from an explicit table}, the spec given there.
     */
    @Override
    public String spec() {
        if (tableSpec != null) {
            return tableSpec;
        }
        String c = BigDecimal.valueOf(concentration).stripTrailingZeros().toPlainString();
        return "markov:order=" + order + ",alphabet=" + alphabet + ",concentration=" + c + ",seed=" + seed;
    }

    @Override
    public String toString() {
        return spec();
    }

    // ---- construction -----------------------------------------------------------------------

    private static String kind(String spec) {
        int colon = spec.indexOf(':');
        return colon < 0 ? spec : spec.substring(0, colon);
    }

    /** The code points of an alphabet of distinct characters; {@code what} names the source in errors. */
    static int[] validateAlphabet(String alphabet, String what) {
        if (alphabet == null || alphabet.isEmpty()) {
            throw new IllegalArgumentException(what + " alphabet is empty; give its distinct characters, e.g. alphabet=abcdefgh");
        }
        for (int i = 0; i < alphabet.length(); i++) {
            char c = alphabet.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < alphabet.length()
                    && Character.isLowSurrogate(alphabet.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format(
                        what + " alphabet has an unpaired surrogate U+%04X at UTF-16 index %d; give valid Unicode", (int) c, i));
            }
        }
        int[] symbols = alphabet.codePoints().toArray();
        java.util.Map<Integer, Integer> first = new java.util.HashMap<>();
        for (int i = 0; i < symbols.length; i++) {
            Integer j = first.putIfAbsent(symbols[i], i);
            if (j != null) {
                throw new IllegalArgumentException(String.format(
                        "%s alphabet repeats U+%04X at character offset %d (first at %d); list each character once", what,
                        symbols[i], i, j));
            }
        }
        return symbols;
    }

    private static int checkedTableSize(int size, int order) {
        long table = size;
        for (int i = 0; i < order; i++) {
            table *= size;
            if (table > MAX_TABLE_SIZE) {
                throw new IllegalArgumentException("markov source with " + size + " symbols and order " + order
                        + " needs more than 2^24 transition probabilities (A^(order+1)); use a smaller alphabet or order");
            }
        }
        return (int) table;
    }

    private static int utf8Length(int codePoint) {
        return Character.toString(codePoint).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static int[] indexSymbols(int[] symbols) {
        int max = Arrays.stream(symbols).max().orElse(0);
        int[] index = new int[max + 1];
        Arrays.fill(index, -1);
        for (int i = 0; i < symbols.length; i++) {
            index[symbols[i]] = i;
        }
        return index;
    }

    /** One Dirichlet(concentration) row per context: normalised Gamma variates. */
    private double[] drawRows(SplittableRandom random) {
        double[] rows = new double[contexts * size];
        double[] logGamma = new double[size];
        for (int s = 0; s < contexts; s++) {
            // Work with log Gamma variates: for a small concentration they underflow as plain doubles.
            double max = Double.NEGATIVE_INFINITY;
            for (int x = 0; x < size; x++) {
                logGamma[x] = logGammaVariate(concentration, random);
                max = Math.max(max, logGamma[x]);
            }
            int base = s * size;
            double sum = 0;
            for (int x = 0; x < size; x++) {
                rows[base + x] = Math.exp(logGamma[x] - max);
                sum += rows[base + x];
            }
            // Floor tiny probabilities so log P stays finite, then renormalise.
            double floored = 0;
            for (int x = 0; x < size; x++) {
                rows[base + x] = Math.max(rows[base + x] / sum, MIN_PROBABILITY);
                floored += rows[base + x];
            }
            for (int x = 0; x < size; x++) {
                rows[base + x] /= floored;
            }
        }
        return rows;
    }

    /** ln of a Gamma(shape, 1) variate: Marsaglia–Tsang, boosted by U^(1/shape) for shape &lt; 1. */
    static double logGammaVariate(double shape, SplittableRandom random) {
        if (shape < 1) {
            double u = 1 - random.nextDouble(); // in (0, 1], so the log is finite
            return logGammaVariate(shape + 1, random) + Math.log(u) / shape;
        }
        double d = shape - 1.0 / 3.0;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = normal(random);
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * z * z * z * z || Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) {
                return Math.log(d) + Math.log(v);
            }
        }
    }

    /** Standard normal by the polar method (our own, so samples do not depend on the JDK's choice). */
    private static double normal(SplittableRandom random) {
        while (true) {
            double u = 2 * random.nextDouble() - 1;
            double v = 2 * random.nextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1) {
                return u * Math.sqrt(-2 * Math.log(s) / s);
            }
        }
    }

    /** Solves pi T = pi, sum pi = 1 by Gaussian elimination with partial pivoting. */
    private double[] solveStationary() {
        int n = contexts;
        // Row i of the system is equation i: sum_s pi(s) (T[s][i] - [s == i]) = 0 ...
        double[][] m = new double[n][n + 1];
        for (int s = 0; s < n; s++) {
            m[s][s] -= 1;
            for (int x = 0; x < size; x++) {
                m[(s * size + x) % n][s] += probs[s * size + x];
            }
        }
        // ... except the last, which is replaced by the normalisation sum pi = 1.
        Arrays.fill(m[n - 1], 1.0);
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                if (f != 0) {
                    for (int k = col; k <= n; k++) {
                        m[r][k] -= f * m[col][k];
                    }
                }
            }
        }
        double[] pi = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double v = m[r][n];
            for (int k = r + 1; k < n; k++) {
                v -= m[r][k] * pi[k];
            }
            pi[r] = v / m[r][r];
        }
        // Rounding can leave -1e-17 where the answer is a tiny positive number.
        for (int s = 0; s < n; s++) {
            pi[s] = Math.max(pi[s], 0);
        }
        normalise(pi);
        return polish(pi);
    }

    /** Power iteration on the context chain; a lazy step keeps it converging even for near-periodic chains. */
    private double[] iterateStationary() {
        double[] pi = new double[contexts];
        Arrays.fill(pi, 1.0 / contexts);
        long maxIterations = Math.max(1000, POWER_ITERATION_MAX_WORK / ((long) contexts * size));
        double[] next = new double[contexts];
        for (long it = 0; it < maxIterations; it++) {
            step(pi, next);
            double change = 0;
            for (int s = 0; s < contexts; s++) {
                next[s] = 0.1 * pi[s] + 0.9 * next[s];
                change += Math.abs(next[s] - pi[s]);
            }
            normalise(next);
            double[] tmp = pi;
            pi = next;
            next = tmp;
            if (change < STATIONARY_TOLERANCE) {
                return pi;
            }
        }
        throw new IllegalArgumentException("markov source " + spec() + " mixes too slowly to compute its stationary"
                + " distribution; raise the concentration or lower the order");
    }

    /** A few plain power steps to shave the elimination's rounding error. */
    private double[] polish(double[] pi) {
        double[] next = new double[contexts];
        for (int i = 0; i < 3; i++) {
            step(pi, next);
            normalise(next);
            double[] tmp = pi;
            pi = next;
            next = tmp;
        }
        return pi;
    }

    /** next = pi T, where T moves context s to (s*A + x) mod A^order with probability P(x|s). */
    private void step(double[] pi, double[] next) {
        Arrays.fill(next, 0);
        for (int s = 0; s < contexts; s++) {
            double w = pi[s];
            int base = s * size;
            int target = base % contexts;
            for (int x = 0; x < size; x++) {
                next[target + x] += w * probs[base + x];
            }
        }
    }

    private double[][] prefixMarginals() {
        double[][] marginals = new double[order + 1][];
        marginals[order] = stationary;
        for (int m = order; m > 0; m--) {
            double[] longer = marginals[m];
            double[] shorter = new double[longer.length / size];
            for (int y = 0; y < longer.length; y++) {
                shorter[y / size] += longer[y]; // drop the newest symbol
            }
            marginals[m - 1] = shorter;
        }
        return marginals;
    }

    private double[] conditionalEntropies() {
        double[] h = new double[order + 1];
        h[order] = entropyRate;
        for (int j = 0; j < order; j++) {
            double[] shorter = prefixMarginals[j];
            double[] longer = prefixMarginals[j + 1];
            h[j] = entropy(longer, 0, longer.length) - entropy(shorter, 0, shorter.length);
        }
        // More context never hurts; this only removes rounding noise when two values are equal.
        for (int j = order - 1; j >= 0; j--) {
            h[j] = Math.max(h[j], h[j + 1]);
        }
        return h;
    }

    private int[] toSymbols(String text) {
        int[] codePoints = text.codePoints().toArray();
        int[] x = new int[codePoints.length];
        for (int i = 0; i < codePoints.length; i++) {
            x[i] = symbolIndex(codePoints[i]);
            if (x[i] < 0) {
                int cp = codePoints[i];
                String shown = Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.isSurrogate((char) cp)
                        ? "" : " '" + new String(Character.toChars(cp)) + "'";
                String where = tableSpec == null ? "the markov alphabet \"" + alphabet + "\"" : "the alphabet of " + tableSpec;
                throw new IllegalArgumentException(String.format("character U+%04X%s at character offset %d is not in"
                        + " %s; the text must come from this source", cp, shown, i, where));
            }
        }
        return x;
    }

    // ---- small numeric helpers ---------------------------------------------------------------

    private static void cumulate(double[] p, int from, int n, double[] out) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += p[from + i];
            out[from + i] = sum;
        }
        out[from + n - 1] = Double.POSITIVE_INFINITY; // the last entry catches u that rounding left above the sum
    }

    /** Index (relative to from) of the first cumulative entry above u. */
    private static int search(double[] cum, int from, int n, double u) {
        if (n <= 16) {
            int i = 0;
            while (cum[from + i] <= u) {
                i++;
            }
            return i;
        }
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[from + mid] <= u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Entropy in nats of p[from, from+n). */
    private static double entropy(double[] p, int from, int n) {
        double h = 0;
        for (int i = from; i < from + n; i++) {
            if (p[i] > 0) {
                h -= p[i] * Math.log(p[i]);
            }
        }
        return h;
    }

    private static void normalise(double[] p) {
        double sum = 0;
        for (double v : p) {
            sum += v;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
    }

    private static long pow(int base, int exponent) {
        long result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= base;
        }
        return result;
    }
}
