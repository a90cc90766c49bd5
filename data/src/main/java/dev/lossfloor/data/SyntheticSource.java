package dev.lossfloor.data;

/**
 * A stationary, ergodic character source whose information-theoretic quantities are known exactly, so a
 * trained model's held-out loss can be set against the true entropy rate (the floor no model can beat).
 *
 * <p>Every quantity is in nats per character (Unicode code point); {@link #entropyReport()} converts them
 * through {@link InformationMetrics}. Implementations are immutable and deterministic: one spec gives one
 * source, and one sample seed gives one text. {@link Sources#fromSpec} builds any of them from its spec.
 */
public interface SyntheticSource {

    /** The spec that rebuilds this source through {@link Sources#fromSpec}, e.g. "iid:alphabet=abcd,zipf=1.1". */
    String spec();

    /** The distinct characters the source emits, in symbol-index order. */
    String alphabet();

    /** Number of distinct characters (code points) in the alphabet. */
    default int alphabetSize() {
        return alphabet().codePointCount(0, alphabet().length());
    }

    /** Markov order: how many previous characters the next one depends on (0 = independent characters). */
    int order();

    /** Entropy rate H = lim H(X_n | X_0..X_{n-1}), in nats per character. */
    double entropyRate();

    /**
     * H_j = H(X_j | X_0..X_{j-1}) of the stationary process, in nats: the best expected loss with j characters of
     * context. Non-increasing in j; H_0 is the entropy of one character; j &gt;= order gives the entropy rate.
     */
    double conditionalEntropy(int j);

    /** A stationary sample of {@code length} characters (code points), identical for identical seeds. */
    String sample(int length, long seed);

    /**
     * ln P(x_i | x_0..x_{i-1}) under the source for every character of {@code text}: the true model. Their
     * negated mean is the true model's loss on the text, which tends to {@link #entropyRate()}.
     */
    double[] conditionalLogProbs(String text);

    /**
     * Expected UTF-8 bytes per character under the stationary distribution, so that the entropy rate per byte
     * is exactly {@code entropyRate() / bytesPerChar()}.
     */
    double bytesPerChar();

    /** The entropy rate in nats and bits, per character and per byte. */
    default EntropyReport entropyReport() {
        return EntropyReport.of(entropyRate(), bytesPerChar());
    }

    /** {@link #conditionalEntropy}(j) in nats and bits, per character and per byte. */
    default EntropyReport conditionalEntropyReport(int j) {
        return EntropyReport.of(conditionalEntropy(j), bytesPerChar());
    }
}
