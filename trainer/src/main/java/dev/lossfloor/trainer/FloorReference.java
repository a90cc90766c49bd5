package dev.lossfloor.trainer;

import dev.lossfloor.data.InformationMetrics;

/**
 * What is known about the entropy of the data: the source's entropy rate (the floor) and the true model's NLL on
 * the very characters the model predicts (the empirical floor, so gap_bpc is free of sampling noise).
 *
 * @param charNats the true model's NLL in nats of every held-out character (code point), so that the empirical
 *                 floor of any scored part of the split can be summed ({@link #over}); null where not kept
 */
public record FloorReference(double entropyRateNats, double trueTotalNats, long predictedChars, double[] charNats) {

    public FloorReference(double entropyRateNats, double trueTotalNats, long predictedChars) {
        this(entropyRateNats, trueTotalNats, predictedChars, null);
    }

    public double floorBpc() { return InformationMetrics.natsToBits(entropyRateNats); }

    public double trueBpc() { return InformationMetrics.bitsPerChar(trueTotalNats, predictedChars); }

    /** The reference restricted to the given character ranges [from, to) of the held-out text (a subset's). */
    public FloorReference over(long[][] charRanges) {
        if (charNats == null) throw new IllegalStateException("the per-character NLL of the true model was not kept");
        double nats = 0;
        long chars = 0;
        for (long[] r : charRanges) {
            for (long i = r[0]; i < r[1]; i++) nats += charNats[(int) i];
            chars += r[1] - r[0];
        }
        return new FloorReference(entropyRateNats, nats, chars, charNats);
    }
}
