package dev.lossfloor.data;

/**
 * The one place where nats, bits, perplexity, bits per character and bits per byte are converted.
 * Everything that prints or stores such a number calls these methods; no conversion is re-derived inline.
 *
 * <p>Conventions: natural logarithms throughout (nats); bits = nats / ln 2; perplexity = e^(nats per token)
 * = 2^(bits per token); bits per character and per byte divide the total nats of the predicted text by
 * ln 2 times that text's characters (Unicode code points) or UTF-8 bytes (lm-evaluation-harness).
 */
public final class InformationMetrics {
    public static final double LN2 = Math.log(2.0);

    private InformationMetrics() {}

    /** Negative log-likelihood, in nats, of an outcome that had probability p. */
    public static double nllNats(double p) {
        if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("probability must be in (0, 1], got " + p);
        return -Math.log(p);
    }

    public static double natsToBits(double nats) { return nats / LN2; }

    /** The probability of an outcome whose surprisal was {@code bits}: 2^-bits. */
    public static double probabilityFromSurprisalBits(double bits) { return Math.pow(2.0, -bits); }

    public static double bitsToNats(double bits) { return bits * LN2; }

    /** Perplexity = e^(mean NLL in nats per token): the effective number of equally likely choices. */
    public static double perplexityFromNats(double natsPerToken) { return Math.exp(natsPerToken); }

    public static double perplexityFromBits(double bitsPerToken) { return Math.pow(2.0, bitsPerToken); }

    public static double natsFromPerplexity(double perplexity) { return Math.log(perplexity); }

    public static double bitsFromPerplexity(double perplexity) { return Math.log(perplexity) / LN2; }

    /** Mean NLL per unit (token, char, byte) in nats. */
    public static double perUnit(double totalNats, long units) {
        if (units <= 0) throw new IllegalArgumentException("need at least one unit to average over, got " + units);
        return totalNats / units;
    }

    /** Bits per character: total nats / (ln 2 x characters of the predicted text). */
    public static double bitsPerChar(double totalNats, long chars) { return natsToBits(perUnit(totalNats, chars)); }

    /** Bits per byte: total nats / (ln 2 x UTF-8 bytes of the predicted text). */
    public static double bitsPerByte(double totalNats, long bytes) { return natsToBits(perUnit(totalNats, bytes)); }

    /**
     * Nats per UTF-8 byte of a stationary source from its nats per character and its expected UTF-8 bytes per
     * character: over n characters the total nats n x natsPerChar are spread over n x bytesPerChar bytes.
     */
    public static double natsPerByte(double natsPerChar, double bytesPerChar) {
        if (!(bytesPerChar >= 1 - 1e-9 && bytesPerChar <= 4 + 1e-9))
            throw new IllegalArgumentException("UTF-8 bytes per character must be between 1 and 4, got " + bytesPerChar);
        return natsPerChar / bytesPerChar;
    }

    /** Shannon entropy of a distribution, in nats (0 log 0 = 0). */
    public static double entropyNats(double[] p) {
        double h = 0;
        for (double pi : p) if (pi > 0) h -= pi * Math.log(pi);
        return h;
    }

    public static double entropyBits(double[] p) { return natsToBits(entropyNats(p)); }

    /** Cross-entropy H(p, q) = -sum p log q, in nats: the expected NLL of a model q on data from p. */
    public static double crossEntropyNats(double[] p, double[] q) {
        checkSameLength(p, q);
        double h = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) continue;
            if (q[i] <= 0) return Double.POSITIVE_INFINITY;
            h -= p[i] * Math.log(q[i]);
        }
        return h;
    }

    /** KL(p || q) = H(p, q) - H(p) >= 0, in nats. */
    public static double klNats(double[] p, double[] q) {
        checkSameLength(p, q);
        double kl = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) continue;
            if (q[i] <= 0) return Double.POSITIVE_INFINITY;
            kl += p[i] * Math.log(p[i] / q[i]);
        }
        return kl;
    }

    private static void checkSameLength(double[] p, double[] q) {
        if (p.length != q.length)
            throw new IllegalArgumentException("distributions differ in length: " + p.length + " vs " + q.length);
    }
}
