package dev.lossfloor.trainer;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Inverted dropout masks, drawn the same way by the SameDiff reference ({@link GptModel#feed}) and the fast path
 * ({@link FastGpt}): each entry is 1/keep with probability keep, else 0. A mask takes one seed from the step's
 * {@code Random} and draws its entries from a {@link SplittableRandom}, two per 64-bit draw: an entry is kept when
 * the top 24 bits of its 32-bit half are below keep x 2^24 (so keep is exact to 2^-25), tested without a branch.
 * Measured per entry: java.util.Random's nextDouble 40% of a dropout step; SplittableRandom's nextDouble and a
 * branch 1.7 ns; this 0.95 ns.
 */
final class DropoutMasks {
    private DropoutMasks() {}

    static void fill(Random rng, double dropout, float[] out, int len) {
        double keep = 1.0 - dropout;
        float scale = (float) (1.0 / keep);
        int threshold = (int) Math.round(keep * 0x1p24);
        SplittableRandom entries = new SplittableRandom(rng.nextLong());
        int i = 0;
        for (; i + 1 < len; i += 2) {
            long bits = entries.nextLong();
            out[i] = kept((int) bits, threshold) * scale;
            out[i + 1] = kept((int) (bits >>> 32), threshold) * scale;
        }
        if (i < len) out[i] = kept((int) entries.nextLong(), threshold) * scale;
    }

    /** 1 when the top 24 of 32 random bits are below threshold (at most 2^24), else 0: the sign of their difference. */
    private static int kept(int bits, int threshold) {
        return ((bits >>> 8) - threshold) >>> 31;
    }
}
