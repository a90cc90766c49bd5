package dev.lossfloor.data;

import dev.lossfloor.data.NgramEstimator.Smoothing;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds the synthetic sources with exact entropy from their specs, {@code NAME:key=value,key=value,...}:
 *
 * <ul>
 *   <li>{@code iid:alphabet=abcd} (uniform), {@code iid:alphabet=abcd,zipf=1.1} (p_i proportional to 1/i^s in
 *       alphabet order) or {@code iid:alphabet=abcd,weights=4;2;1;1} (one positive weight per character,
 *       separated by ';', normalised): independent characters, entropy rate = the entropy of one character.</li>
 *   <li>{@code markov:order=2,alphabet=abcd,concentration=0.5,seed=1}: rows drawn from a Dirichlet, see
 *       {@link MarkovSource#fromSpec}.</li>
 *   <li>{@code ngram-of:corpus.txt,order=2} or {@code ngram-of:path=corpus.txt,order=2,smoothing=add,delta=0.1}:
 *       the order-k character chain estimated from a UTF-8 file (see {@link NgramEstimator}); its alphabet is
 *       every distinct character of the file, and A^(order+1) must not exceed 2^24.</li>
 * </ul>
 *
 * Missing keys take the defaults (alphabet abcd, uniform; order 2, Witten-Bell smoothing). Values cannot
 * contain ',' (it separates keys), so an alphabet or corpus path with a comma cannot be written as a spec.
 * Every bad spec is an {@link IllegalArgumentException} with a one-line message naming the key or value and
 * showing a correct example.
 */
public final class Sources {

    public static final String IID_EXAMPLE = "iid:alphabet=abcd,weights=4;2;1;1";
    public static final String MARKOV_EXAMPLE = "markov:order=2,alphabet=abcd,concentration=0.5,seed=1";
    public static final String NGRAM_EXAMPLE = "ngram-of:path=corpus.txt,order=2,smoothing=witten-bell";

    public static final String DEFAULT_IID_ALPHABET = "abcd";
    public static final int DEFAULT_NGRAM_ORDER = 2;
    public static final Smoothing DEFAULT_SMOOTHING = Smoothing.wittenBell();

    private Sources() {
    }

    /** The built-in source of lossfloor's default run, {@link MarkovSource#builtIn()}. */
    public static MarkovSource builtIn() {
        return MarkovSource.builtIn();
    }

    /** Parses {@code iid:...}, {@code markov:...} or {@code ngram-of:...}; {@link SyntheticSource#spec()} reads back. */
    public static SyntheticSource fromSpec(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("source spec is empty; e.g. " + IID_EXAMPLE + ", " + MARKOV_EXAMPLE
                    + " or " + NGRAM_EXAMPLE);
        }
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        String body = colon < 0 ? "" : spec.substring(colon + 1);
        return switch (name) {
            case "iid" -> iidFromSpec(spec, body);
            case "markov" -> MarkovSource.fromSpec(spec);
            case "ngram-of" -> ngramFromSpec(spec, body);
            default -> throw new IllegalArgumentException("unknown source \"" + shown(name) + "\" in spec \""
                    + shown(spec) + "\"; use iid, markov or ngram-of, e.g. " + IID_EXAMPLE + ", " + MARKOV_EXAMPLE
                    + " or " + NGRAM_EXAMPLE);
        };
    }

    // ---- iid --------------------------------------------------------------------------------

    /** Independent, uniformly distributed characters: H = ln(alphabet size). */
    public static MarkovSource uniform(String alphabet) {
        int size = iidAlphabetSize(alphabet);
        double[] row = new double[size];
        java.util.Arrays.fill(row, 1.0 / size);
        return MarkovSource.fromTable("iid:alphabet=" + alphabet, alphabet, 0, row);
    }

    /** Independent characters with p_i proportional to 1/i^exponent, i = 1, 2, ... in alphabet order. */
    public static MarkovSource zipf(String alphabet, double exponent) {
        if (!(exponent >= 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("iid zipf exponent must be a finite number >= 0 (0 = uniform), got "
                    + exponent + "; e.g. iid:alphabet=abcd,zipf=1.1");
        }
        int size = iidAlphabetSize(alphabet);
        double[] row = new double[size];
        for (int i = 0; i < size; i++) {
            row[i] = Math.pow(i + 1, -exponent);
        }
        return MarkovSource.fromTable("iid:alphabet=" + alphabet + ",zipf=" + format(exponent), alphabet, 0,
                normalised(row));
    }

    /** Independent characters with probabilities proportional to {@code weights}, one positive weight per character. */
    public static MarkovSource weighted(String alphabet, double... weights) {
        int size = iidAlphabetSize(alphabet);
        if (weights.length != size) {
            throw new IllegalArgumentException("iid source has " + weights.length + " weights for the " + size
                    + " characters of its alphabet; give one weight per character, e.g. " + IID_EXAMPLE);
        }
        StringBuilder spec = new StringBuilder("iid:alphabet=").append(alphabet).append(",weights=");
        for (int i = 0; i < size; i++) {
            if (!(weights[i] > 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("iid weight " + (i + 1) + " is " + weights[i] + "; every weight"
                        + " must be positive and finite (drop the character instead), e.g. " + IID_EXAMPLE);
            }
            spec.append(i == 0 ? "" : ";").append(format(weights[i]));
        }
        return MarkovSource.fromTable(spec.toString(), alphabet, 0, normalised(weights.clone()));
    }

    private static int iidAlphabetSize(String alphabet) {
        int size = MarkovSource.validateAlphabet(alphabet, "iid").length;
        if (alphabet.contains(",")) {
            throw new IllegalArgumentException("iid alphabet \"" + shown(alphabet) + "\" contains ',', which separates"
                    + " spec keys; use other characters, e.g. " + IID_EXAMPLE);
        }
        return size;
    }

    private static MarkovSource iidFromSpec(String spec, String body) {
        Map<String, String> values = keyValues("iid", spec, body, Set.of("alphabet", "zipf", "weights"), null,
                IID_EXAMPLE);
        String alphabet = values.getOrDefault("alphabet", DEFAULT_IID_ALPHABET);
        if (values.containsKey("zipf") && values.containsKey("weights")) {
            throw new IllegalArgumentException("iid spec \"" + shown(spec) + "\" gives both zipf= and weights=; give"
                    + " one of them (or neither, for uniform), e.g. " + IID_EXAMPLE);
        }
        if (values.containsKey("zipf")) {
            return zipf(alphabet, number("iid", spec, "zipf", values.get("zipf"), IID_EXAMPLE));
        }
        if (values.containsKey("weights")) {
            String[] parts = values.get("weights").split(";", -1);
            double[] weights = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                weights[i] = number("iid", spec, "weights", parts[i], IID_EXAMPLE);
            }
            return weighted(alphabet, weights);
        }
        return uniform(alphabet);
    }

    // ---- ngram-of ---------------------------------------------------------------------------

    /** The order-{@code order} character chain estimated from a UTF-8 file; the spec names the path as given. */
    public static MarkovSource ngramOf(Path corpus, int order, Smoothing smoothing) {
        String text;
        try {
            text = TextFiles.readUtf8(corpus);
        } catch (DataException e) {
            throw new IllegalArgumentException("ngram-of corpus " + e.getMessage(), e);
        }
        return ngramOf(text, corpus.toString(), order, smoothing);
    }

    /**
     * The order-{@code order} character chain estimated from {@code text}; {@code name} is the corpus path the
     * spec records (so that {@link #fromSpec} rebuilds it when the text is that file).
     */
    public static MarkovSource ngramOf(String text, String name, int order, Smoothing smoothing) {
        if (name.contains(",")) {
            throw new IllegalArgumentException("ngram-of corpus path \"" + shown(name) + "\" contains ',', which"
                    + " separates spec keys; rename or link the file");
        }
        String spec = "ngram-of:path=" + name + ",order=" + order + "," + smoothing.spec();
        if (order < 0) {
            throw new IllegalArgumentException("ngram-of order must be at least 0, got " + order + "; e.g. "
                    + NGRAM_EXAMPLE);
        }
        if (text.codePointCount(0, text.length()) <= order) {
            throw new IllegalArgumentException("ngram-of corpus " + shown(name) + " has "
                    + text.codePointCount(0, text.length()) + " characters; order " + order + " needs at least "
                    + (order + 1));
        }
        String alphabet = NgramEstimator.alphabetOf(text);
        int size = alphabet.codePointCount(0, alphabet.length());
        int maxOrder = NgramEstimator.maxOrder(size);
        if (order > maxOrder) {
            throw new IllegalArgumentException("ngram-of corpus " + shown(name) + " has " + size + " distinct"
                    + " characters, so order=" + order + " needs " + size + "^" + (order + 1) + " transition"
                    + " probabilities, more than 2^24; use order=" + maxOrder + (maxOrder > 0 ? " or lower" : ""));
        }
        return MarkovSource.fromTable(spec, alphabet, order,
                NgramEstimator.transitionTable(text, alphabet, order, smoothing));
    }

    private static MarkovSource ngramFromSpec(String spec, String body) {
        Map<String, String> values = keyValues("ngram-of", spec, body, Set.of("path", "order", "smoothing", "delta"),
                "path", NGRAM_EXAMPLE);
        String path = values.get("path");
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("ngram-of spec \"" + shown(spec) + "\" names no corpus; give its path,"
                    + " e.g. " + NGRAM_EXAMPLE);
        }
        int order = DEFAULT_NGRAM_ORDER;
        if (values.containsKey("order")) {
            try {
                order = Integer.parseInt(values.get("order"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ngram-of spec \"" + shown(spec) + "\" has a bad integer for order: \""
                        + shown(values.get("order")) + "\"; e.g. " + NGRAM_EXAMPLE);
            }
        }
        // delta= alone means add-delta; smoothing=add alone takes the default delta.
        String smoothingName = values.getOrDefault("smoothing",
                values.containsKey("delta") ? Smoothing.ADD : DEFAULT_SMOOTHING.name());
        double delta = values.containsKey("delta")
                ? number("ngram-of", spec, "delta", values.get("delta"), NGRAM_EXAMPLE)
                : Smoothing.ADD.equals(smoothingName) ? Smoothing.DEFAULT_DELTA : 0;
        Smoothing smoothing;
        try {
            smoothing = new Smoothing(smoothingName, delta);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ngram-of spec \"" + shown(spec) + "\": " + e.getMessage(), e);
        }
        return ngramOf(Path.of(path), order, smoothing);
    }

    // ---- parsing helpers --------------------------------------------------------------------------

    /**
     * key=value pairs separated by ','; a first part that is not {@code key=...} for a known key is the value of
     * {@code positional} (when given).
     */
    private static Map<String, String> keyValues(String kind, String spec, String body, Set<String> keys,
                                                 String positional, String example) {
        Map<String, String> values = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return values;
        }
        String[] parts = body.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? null : part.substring(eq + 1);
            if (i == 0 && positional != null && (value == null || !keys.contains(key))) {
                key = positional;
                value = part;
            }
            if (value == null) {
                throw new IllegalArgumentException(kind + " spec \"" + shown(spec) + "\" has \"" + shown(part)
                        + "\" without a value; write key=value pairs separated by ',', e.g. " + example);
            }
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(kind + " spec \"" + shown(spec) + "\" has unknown key \"" + shown(key)
                        + "\"; use " + String.join("=, ", keys.stream().sorted().toList()) + "=, e.g. " + example);
            }
            if (values.put(key, value) != null) {
                throw new IllegalArgumentException(kind + " spec \"" + shown(spec) + "\" gives " + key
                        + "= twice; give each key once, e.g. " + example);
            }
        }
        return values;
    }

    private static double number(String kind, String spec, String key, String value, String example) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(kind + " spec \"" + shown(spec) + "\" has a bad number for " + key
                    + ": \"" + shown(value) + "\"; e.g. " + example);
        }
    }

    private static double[] normalised(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= sum;
        }
        return weights;
    }

    /** The shortest plain decimal of a number, e.g. 4.0 -&gt; "4", 0.10 -&gt; "0.1", as specs write it. */
    static String format(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Control characters escaped, so an error message stays on one line. */
    private static String shown(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
