package dev.lossfloor.data;

import org.junit.jupiter.api.Test;

import static dev.lossfloor.data.InformationMetrics.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The worked numbers a student can check by hand. */
class InformationMetricsTest {

    @Test
    void negativeLogLikelihoodsInNats() {
        assertEquals(0.2231, nllNats(0.8), 5e-5);
        assertEquals(0.3567, nllNats(0.7), 5e-5);
        assertEquals(1.6094, nllNats(0.2), 5e-5);
        assertThrows(IllegalArgumentException.class, () -> nllNats(0));
    }

    @Test
    void aSurprisalOf3BitsIsAProbabilityOfOneEighth() {
        assertEquals(0.125, probabilityFromSurprisalBits(3.0), 1e-15);
        assertEquals(0.8, probabilityFromSurprisalBits(natsToBits(nllNats(0.8))), 1e-12);
    }

    @Test
    void entropyOfACoinInBits() {
        assertEquals(0.4690, entropyBits(new double[]{0.9, 0.1}), 5e-5);
        assertEquals(1.0, entropyBits(new double[]{0.5, 0.5}), 1e-15);
    }

    @Test
    void uniformOver65CharactersIsLn65Nats() {
        double[] uniform = new double[65];
        java.util.Arrays.fill(uniform, 1.0 / 65);
        assertEquals(4.1744, entropyNats(uniform), 5e-5);
        assertEquals(65.0, perplexityFromNats(entropyNats(uniform)), 1e-9);
    }

    @Test
    void natsPerByteDividesByExpectedBytesPerChar() {
        // 1.5 bits per character over characters of 2 UTF-8 bytes on average: 0.75 bits per byte.
        assertEquals(0.75, natsToBits(natsPerByte(bitsToNats(1.5), 2.0)), 1e-15);
        assertEquals(1.0, natsPerByte(1.0, 1.0), 0.0);
        assertThrows(IllegalArgumentException.class, () -> natsPerByte(1.0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> natsPerByte(1.0, 5));
    }

    @Test
    void unitRoundTrips() {
        for (double nats : new double[]{0.01, 0.2231, 1.4910, 4.1744}) {
            assertEquals(nats, bitsToNats(natsToBits(nats)), 1e-12);
            assertEquals(nats, natsFromPerplexity(perplexityFromNats(nats)), 1e-12);
            double bits = natsToBits(nats);
            assertEquals(perplexityFromNats(nats), perplexityFromBits(bits), 1e-9);
            assertEquals(bits, bitsFromPerplexity(perplexityFromBits(bits)), 1e-12);
        }
    }

    @Test
    void bitsPerCharAndPerByteDivideTheSameTotal() {
        // 36059 tokens at 1.47 nats/token, covering 111540 characters / 120000 bytes
        double total = 1.47 * 36059;
        assertEquals(total / (Math.log(2) * 111540), bitsPerChar(total, 111540), 1e-12);
        assertEquals(total / (Math.log(2) * 120000), bitsPerByte(total, 120000), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> bitsPerChar(1.0, 0));
    }

    @Test
    void crossEntropyIsEntropyPlusKl() {
        double[] p = {0.9, 0.1}, q = {0.6, 0.4};
        assertEquals(crossEntropyNats(p, q), entropyNats(p) + klNats(p, q), 1e-12);
        assertEquals(0.2263, klNats(p, q), 5e-5);
        assertEquals(0.3112, klNats(q, p), 5e-5); // KL is not symmetric
        assertEquals(0.0, klNats(p, p), 1e-15);
    }
}
