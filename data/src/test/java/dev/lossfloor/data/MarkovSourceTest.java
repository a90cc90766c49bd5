package dev.lossfloor.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MarkovSourceTest {

    @Test
    void hugeConcentrationIsNearlyUniform() {
        MarkovSource source = new MarkovSource("abcdefgh", 2, 1e6, 3);
        assertEquals(Math.log(8), source.entropyRate(), 1e-4);
        assertEquals(Math.log(8), source.conditionalEntropy(0), 1e-4);
    }

    @Test
    void trueModelLossMatchesEntropyRate() {
        for (MarkovSource source : new MarkovSource[] {MarkovSource.builtIn(), new MarkovSource("abcd", 3, 0.2, 9)}) {
            String text = source.sample(200_000, 42);
            double[] logProbs = source.conditionalLogProbs(text);
            assertEquals(200_000, logProbs.length);
            double mean = 0;
            for (double lp : logProbs) {
                assertTrue(Double.isFinite(lp));
                mean -= lp;
            }
            mean /= logProbs.length;
            double variance = 0;
            for (double lp : logProbs) {
                variance += (-lp - mean) * (-lp - mean);
            }
            double standardError = Math.sqrt(variance / (logProbs.length - 1) / logProbs.length);
            assertEquals(source.entropyRate(), mean, 4 * standardError, source.spec());
        }
    }

    @Test
    void conditionalEntropyFallsToEntropyRate() {
        for (MarkovSource source : new MarkovSource[] {MarkovSource.builtIn(), new MarkovSource("abc", 4, 0.3, 5),
                new MarkovSource("ab", 1, 1e6, 2)}) {
            int order = source.order();
            for (int j = 1; j <= order + 2; j++) {
                assertTrue(source.conditionalEntropy(j) <= source.conditionalEntropy(j - 1), source.spec() + " j=" + j);
            }
            for (int j = order; j <= order + 2; j++) {
                assertEquals(source.entropyRate(), source.conditionalEntropy(j), 0.0);
            }
            assertTrue(source.conditionalEntropy(0) <= Math.log(source.alphabetSize()) + 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> MarkovSource.builtIn().conditionalEntropy(-1));
    }

    @Test
    void marginalEntropyMatchesSampleFrequencies() {
        MarkovSource source = MarkovSource.builtIn();
        double[] p1 = source.marginal(1);
        String text = source.sample(400_000, 8);
        double[] counts = new double[p1.length];
        text.codePoints().forEach(cp -> counts[source.symbolIndex(cp)]++);
        for (int x = 0; x < p1.length; x++) {
            assertEquals(p1[x], counts[x] / text.length(), 0.005);
        }
    }

    @Test
    void stationaryDistributionIsStationary() {
        // Small (direct solve) and large (power iteration) context chains.
        for (MarkovSource source : new MarkovSource[] {MarkovSource.builtIn(), new MarkovSource("abcdefgh", 4, 0.5, 7),
                new MarkovSource("xyz", 0, 1.0, 1)}) {
            double[] pi = source.stationary();
            int a = source.alphabetSize();
            assertEquals(source.contextCount(), pi.length);
            assertEquals(1.0, Arrays.stream(pi).sum(), 1e-12);
            double[] next = new double[pi.length];
            for (int s = 0; s < pi.length; s++) {
                double[] row = source.transitionRow(s);
                assertEquals(1.0, Arrays.stream(row).sum(), 1e-12);
                for (int x = 0; x < a; x++) {
                    assertTrue(row[x] > 0);
                    next[(s * a + x) % pi.length] += pi[s] * row[x];
                }
            }
            for (int s = 0; s < pi.length; s++) {
                assertTrue(pi[s] >= 0);
                assertEquals(pi[s], next[s], 1e-12, source.spec() + " context " + s);
            }
        }
    }

    @Test
    void seedsAreReproducible() {
        MarkovSource a = new MarkovSource("abcdefgh", 2, 0.5, 11);
        MarkovSource b = new MarkovSource("abcdefgh", 2, 0.5, 11);
        MarkovSource c = new MarkovSource("abcdefgh", 2, 0.5, 12);
        for (int s = 0; s < a.contextCount(); s++) {
            assertArrayEquals(a.transitionRow(s), b.transitionRow(s));
        }
        assertNotEquals(Arrays.toString(a.transitionRow(0)), Arrays.toString(c.transitionRow(0)));
        assertEquals(a.sample(5000, 1), b.sample(5000, 1));
        assertNotEquals(a.sample(5000, 1), a.sample(5000, 2));
        assertNotEquals(a.sample(5000, 1), c.sample(5000, 1));
        assertEquals(a.entropyRate(), b.entropyRate(), 0.0);
        assertEquals(a.sample(3, 1), a.sample(5000, 1).substring(0, 2) + a.sample(3, 1).charAt(2));
    }

    @Test
    void multiByteAlphabetWorks() {
        MarkovSource source = new MarkovSource("αβγ😀", 2, 0.5, 4);
        String text = source.sample(10_000, 3);
        assertEquals(10_000, text.codePointCount(0, text.length()));
        assertTrue(text.codePoints().allMatch(cp -> "αβγ😀".indexOf(Character.toString(cp)) >= 0));
        assertTrue(text.contains("😀"));
        double[] logProbs = source.conditionalLogProbs(text);
        assertEquals(10_000, logProbs.length);
        assertTrue(Arrays.stream(logProbs).allMatch(Double::isFinite));
        assertTrue(source.spec().contains("alphabet=αβγ😀"));
    }

    @Test
    void firstSymbolsUseStationaryMarginals() {
        MarkovSource source = new MarkovSource("abcdefgh", 2, 0.5, 1);
        double[] logProbs = source.conditionalLogProbs("ca");
        int c = source.symbolIndex('c');
        int a = source.symbolIndex('a');
        assertEquals(Math.log(source.marginal(1)[c]), logProbs[0], 1e-12);
        assertEquals(Math.log(source.marginal(2)[c * 8 + a] / source.marginal(1)[c]), logProbs[1], 1e-12);
        // log P("cab") = log pi("ca") + log P(b | ca)
        double[] three = source.conditionalLogProbs("cab");
        assertEquals(Math.log(source.stationary()[c * 8 + a]) + Math.log(source.transitionRow(c * 8 + a)[1]),
                three[0] + three[1] + three[2], 1e-12);
    }

    @Test
    void specRoundTrips() {
        MarkovSource source = MarkovSource.builtIn();
        assertEquals("markov:order=2,alphabet=abcd,concentration=0.5,seed=1", source.spec());
        MarkovSource parsed = MarkovSource.fromSpec(source.spec());
        assertEquals(source.spec(), parsed.spec());
        assertEquals(source.entropyRate(), parsed.entropyRate(), 0.0);
        assertEquals(3, MarkovSource.fromSpec("markov:order=3").order());
        assertThrows(IllegalArgumentException.class, () -> MarkovSource.fromSpec("markov:order=x"));
        assertThrows(IllegalArgumentException.class, () -> MarkovSource.fromSpec("markov:depth=2"));
    }

    @Test
    void rejectsBadSettings() {
        assertMessage(() -> new MarkovSource("", 2, 0.5, 1), "alphabet is empty");
        assertMessage(() -> new MarkovSource("abca", 2, 0.5, 1), "repeats U+0061");
        assertMessage(() -> new MarkovSource("ab", -1, 0.5, 1), "order must be at least 0");
        assertMessage(() -> new MarkovSource("ab", 1, 0, 1), "concentration");
        assertMessage(() -> new MarkovSource("ab", 1, Double.NaN, 1), "concentration");
        assertMessage(() -> new MarkovSource("abcdefghijklmnop", 6, 0.5, 1), "2^24");
        assertMessage(() -> MarkovSource.builtIn().conditionalLogProbs("abcz"), "U+007A 'z' at character offset 3");
        assertMessage(() -> MarkovSource.builtIn().sample(-1, 1), "at least 0");
    }

    @Test
    void explicitTableSharesEverything() {
        MarkovSource drawn = new MarkovSource("abcde", 2, 0.4, 6);
        double[] table = new double[125];
        for (int s = 0; s < 25; s++) {
            System.arraycopy(drawn.transitionRow(s), 0, table, s * 5, 5);
        }
        MarkovSource given = MarkovSource.fromTable("test:copy", "abcde", 2, table);
        assertEquals("test:copy", given.spec());
        assertTrue(Double.isNaN(given.concentration()));
        assertEquals(drawn.entropyRate(), given.entropyRate(), 1e-15);
        assertEquals(drawn.conditionalEntropy(1), given.conditionalEntropy(1), 1e-15);
        assertEquals(drawn.sample(10_000, 5), given.sample(10_000, 5));
        assertArrayEquals(drawn.conditionalLogProbs("abcdeedcba"), given.conditionalLogProbs("abcdeedcba"), 1e-15);
        assertMessage(() -> MarkovSource.fromTable("t:x", "ab", 1, new double[] {0.5, 0.5, 1.0}), "need A^(order+1) = 4");
        assertMessage(() -> MarkovSource.fromTable("t:x", "ab", 1, new double[] {0.5, 0.5, 1.0, 0.0}),
                "P(U+0062 | context 1) = 0.0");
        assertMessage(() -> MarkovSource.fromTable("t:x", "ab", 0, new double[] {0.5, 0.6}), "summing to 1.1");
        assertMessage(() -> MarkovSource.fromTable("t:x", "aa", 0, new double[] {0.5, 0.5}), "t alphabet repeats");
    }

    @Test
    void samplesQuickly() {
        // Sanity check only: the rate is printed, never asserted.
        MarkovSource source = MarkovSource.builtIn();
        source.sample(1_000_000, 0);
        long start = System.nanoTime();
        String text = source.sample(10_000_000, 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("markov sample: %.1f M chars/s%n", text.length() / 1e6 / seconds);
        assertEquals(10_000_000, text.length());
    }

    static void assertMessage(Runnable action, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
