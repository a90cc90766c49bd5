package dev.lossfloor.experiments.report;

/**
 * Calibration of a model's top-1 prediction: every scored token falls into one of {@code bins} equal-width bins by
 * its confidence (the probability of the most likely token); per bin the count, the summed confidence and how many
 * top-1 predictions were right. The expected calibration error is the count-weighted mean |accuracy - confidence|
 * over the bins (Guo et al. 2017); the reliability diagram draws the same bins.
 */
public final class Calibration {
    /** Equal-width bins over [0, 1]; the usual choice (Guo et al. use 15). */
    public static final int DEFAULT_BINS = 15;

    private final long[] count, correct;
    private final double[] confidence;

    public Calibration() {
        this(DEFAULT_BINS);
    }

    public Calibration(int bins) {
        if (bins < 1) throw new IllegalArgumentException("calibration needs at least one bin, got " + bins);
        count = new long[bins];
        correct = new long[bins];
        confidence = new double[bins];
    }

    /** One prediction: its top-1 probability and whether the top-1 token was the true one. */
    public void add(double topProbability, boolean right) {
        int b = bin(topProbability);
        count[b]++;
        confidence[b] += topProbability;
        if (right) correct[b]++;
    }

    /** Adds another tally with the same bins. */
    public void add(Calibration other) {
        if (other.bins() != bins()) throw new IllegalArgumentException("calibration bins differ: " + bins() + " vs " + other.bins());
        for (int b = 0; b < bins(); b++) {
            count[b] += other.count[b];
            correct[b] += other.correct[b];
            confidence[b] += other.confidence[b];
        }
    }

    /** The bin of a confidence: [b/B, (b+1)/B), the last bin closed at 1. */
    public int bin(double topProbability) {
        return Math.max(0, Math.min(bins() - 1, (int) (topProbability * bins())));
    }

    public int bins() { return count.length; }

    public long tokens() {
        long n = 0;
        for (long c : count) n += c;
        return n;
    }

    public long correct() {
        long n = 0;
        for (long c : correct) n += c;
        return n;
    }

    /** Fraction of top-1 predictions that were right, over all bins. */
    public double accuracy() {
        long n = tokens();
        return n == 0 ? Double.NaN : (double) correct() / n;
    }

    public long count(int bin) { return count[bin]; }

    /** Fraction right in a bin; NaN for an empty bin. */
    public double accuracy(int bin) { return count[bin] == 0 ? Double.NaN : (double) correct[bin] / count[bin]; }

    /** Mean top-1 probability in a bin; NaN for an empty bin. */
    public double meanConfidence(int bin) { return count[bin] == 0 ? Double.NaN : confidence[bin] / count[bin]; }

    /** Mean top-1 probability over all predictions. */
    public double meanConfidence() {
        double sum = 0;
        for (double c : confidence) sum += c;
        long n = tokens();
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Expected calibration error: sum over bins of (count / tokens) x |accuracy - mean confidence|; 0 without tokens. */
    public double expectedCalibrationError() {
        long n = tokens();
        double ece = 0;
        for (int b = 0; b < bins(); b++)
            if (count[b] > 0) ece += Math.abs(accuracy(b) - meanConfidence(b)) * count[b] / n;
        return ece;
    }
}
