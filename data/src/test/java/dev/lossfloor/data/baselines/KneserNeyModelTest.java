package dev.lossfloor.data.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossfloor.data.InformationMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KneserNeyModelTest {

    private static final double LN2 = Math.log(2);

    /**
     * Train "abab", V = {a, b}, held out "abba".
     * <pre>
     * Level 1 raw counts a:2 b:2: count-of-counts n1 = 0, n2 = 2, so Y = 0.5 (fallback), KN D = 0.5;
     *   MKN D1 = Y = 0.5 (n1 = 0), D2 = 2 - 3 Y n3/n2 = 2, D3+ = Y = 0.5 (n3 = 0).
     *   KN  P1(a) = (2 - 0.5 + 0.5 x 2 x 1/2) / 4 = 1/2;  MKN P1(a) = (2 - 2 + 2 x 2 x 1/2) / 4 = 1/2.
     * Level 2 raw counts ab:2 ba:1: n1 = 1, n2 = 1, Y = 1/3 = KN D; MKN D1 = 1 - 2/3 = 1/3, D2 = 2, D3+ = Y.
     * Level 1 continuation counts (distinct bigrams ab, ba): N1+(.b) = 1, N1+(.a) = 1: n1 = 2, n2 = 0, Y = 0.5;
     *   KN Pc(a) = (1 - 0.5 + 0.5 x 2 x 1/2) / 2 = 1/2;  MKN D1 = 1: Pc(a) = (0 + 1 x 2 x 1/2) / 2 = 1/2.
     * Context "a" (total 2, one child b:2): KN  P(b|a) = (2 - 1/3 + 1/3 x 1/2) / 2 = 11/12, P(a|a) = 1/12;
     *                                       MKN P(b|a) = (2 - 2 + 2 x 1/2) / 2 = 1/2,    P(a|a) = 1/2.
     * Context "b" (total 1: the final b is followed by nothing; child a:1): both P(a|b) = (1 - 1/3 + 1/6) = 5/6.
     * Held-out "abba", order 2: a (no context yet: the order-1 value 1/2), b|a, b|b = 1/6, a|b = 5/6.
     * </pre>
     */
    @Test
    void handCheckedAbab() {
        CharVocabulary vocab = CharVocabulary.of("abab", "abba");
        KneserNeyModel model = KneserNeyModel.train("abab", vocab, 2);
        List<NGramResult> r = model.score("abba");
        assertEquals(4, r.size());
        double order1 = 4 * LN2;
        double kn2 = LN2 + Math.log(12.0 / 11) + Math.log(6) + Math.log(6.0 / 5);
        double mkn2 = LN2 + LN2 + Math.log(6) + Math.log(6.0 / 5);
        assertResult(r.get(0), "kn", 1, order1 / 4, 4, 4);
        assertResult(r.get(1), "kn", 2, kn2 / 4, 4, 4);
        assertResult(r.get(2), "mkn", 1, order1 / 4, 4, 4);
        assertResult(r.get(3), "mkn", 2, mkn2 / 4, 4, 4);
        assertEquals(11.0 / 12, model.probability(Smoothing.KN, 2, cps("a"), 'b'), 1e-15);
        assertEquals(1.0 / 12, model.probability(Smoothing.KN, 2, cps("a"), 'a'), 1e-15);
        assertEquals(0.5, model.probability(Smoothing.MKN, 2, cps("a"), 'b'), 1e-15);
        assertEquals(5.0 / 6, model.probability(Smoothing.MKN, 2, cps("b"), 'a'), 1e-15);
        // an unseen context falls back to the continuation distribution: 1/2 each
        assertEquals(0.5, model.probability(Smoothing.KN, 2, cps("x"), 'a'), 1e-15);
    }

    /**
     * Train "aaaa", held out "aab": V = {a, b} although b never occurs in training.
     * <pre>
     * Level 1 raw a:4: only n4 = 1, so Y = 0.5 and every discount falls back to Y = 0.5 (KN and MKN alike):
     *   P1(a) = (4 - 0.5 + 0.5 x 1 x 1/2) / 4 = 15/16, P1(b) = 1/16.
     * Level 2 raw aa:3: n3 = 1, Y = 0.5; MKN D3+ = 3 - 4 Y n4/n3 = 3 (the clamp's upper end), KN D = 0.5.
     * Level 1 continuation: N1+(.a) = 1: n1 = 1, Y = 0.5; KN D = 0.5, MKN D1 = 1 - 2 Y n2/n1 = 1.
     *   KN Pc(a) = (1 - 0.5 + 0.5 x 1/2) = 3/4, Pc(b) = 1/4;  MKN Pc(a) = (0 + 1 x 1/2) = 1/2 = Pc(b).
     * Context "a" (total 3, child a:3): KN  P(a|a) = (3 - 0.5 + 0.5 x 3/4) / 3 = 23/24, P(b|a) = 1/24;
     *                                   MKN P(a|a) = (3 - 3 + 3 x 1/2) / 3 = 1/2,   P(b|a) = 1/2.
     * Held-out "aab": order 1: 15/16, 15/16, 1/16. Order 2: 15/16 (no context), then a|a, b|a.
     * </pre>
     */
    @Test
    void handCheckedAaaaWithACharacterOnlyInTheHeldOutText() {
        CharVocabulary vocab = CharVocabulary.of("aaaa", "aab");
        KneserNeyModel model = KneserNeyModel.train("aaaa", vocab, 2);
        List<NGramResult> r = model.score("aab");
        double order1 = -2 * Math.log(15.0 / 16) - Math.log(1.0 / 16);
        double kn2 = -Math.log(15.0 / 16) - Math.log(23.0 / 24) - Math.log(1.0 / 24);
        double mkn2 = -Math.log(15.0 / 16) + 2 * LN2;
        assertResult(r.get(0), "kn", 1, order1 / 3, 3, 3);
        assertResult(r.get(1), "kn", 2, kn2 / 3, 3, 3);
        assertResult(r.get(2), "mkn", 1, order1 / 3, 3, 3);
        assertResult(r.get(3), "mkn", 2, mkn2 / 3, 3, 3);
        LevelDiscounts raw2 = model.discounts().stream()
                .filter(d -> d.level() == 2 && d.counts().equals("raw")).findFirst().orElseThrow();
        assertEquals(new LevelDiscounts(2, "raw", 0.5, 0.5, 0.5, 3.0), raw2);
    }

    @Test
    void probabilitiesSumToOneForEveryContextOrderAndSmoothing() {
        String text = syntheticText(30_000, 7);
        String train = text.substring(0, 27_000);
        String heldOut = text.substring(27_000) + "§ωZ"; // characters training never saw
        CharVocabulary vocab = CharVocabulary.of(train, heldOut);
        KneserNeyModel model = KneserNeyModel.train(train, vocab, 8);
        int[] alphabet = vocab.codePoints();

        List<int[]> contexts = new ArrayList<>();
        Random random = new Random(3);
        int[] t = cps(train);
        int[] h = cps(heldOut);
        for (int i = 0; i < 40; i++) {
            int at = 7 + random.nextInt(t.length - 7);
            contexts.add(Arrays.copyOfRange(t, at - 7, at)); // seen in training
            at = 7 + random.nextInt(h.length - 7);
            contexts.add(Arrays.copyOfRange(h, at - 7, at)); // held out: partly unseen
        }
        contexts.add(new int[0]); // no context at all
        contexts.add(cps("e")); // shorter than the order
        contexts.add(cps("q§ω")); // unseen
        contexts.add(cps("\u0000\u0000\u0000\u0000\u0000\u0000\u0000")); // outside the vocabulary
        contexts.add(Arrays.copyOfRange(t, t.length - 7, t.length)); // the end of training

        double worst = 0;
        for (Smoothing s : Smoothing.values()) {
            for (int order = 1; order <= 8; order++) {
                for (int[] context : contexts) {
                    double sum = 0;
                    for (int w : alphabet) {
                        double p = model.probability(s, order, context, w);
                        assertTrue(p > 0 && p <= 1 + 1e-12, s + " order " + order + ": p = " + p);
                        sum += p;
                    }
                    worst = Math.max(worst, Math.abs(sum - 1));
                    assertEquals(1.0, sum, 1e-9, s + " order " + order + " context " + new String(context, 0, context.length));
                }
            }
        }
        assertTrue(worst < 1e-9, "worst deviation " + worst);
    }

    @Test
    void scoreAgreesWithProbabilityAndDoesNotDependOnMaxOrder() {
        String text = syntheticText(12_000, 11);
        String train = text.substring(0, 10_000);
        String heldOut = text.substring(10_000, 10_600);
        CharVocabulary vocab = CharVocabulary.of(train, heldOut);
        KneserNeyModel model = KneserNeyModel.train(train, vocab, 6);
        List<NGramResult> results = model.score(heldOut);
        int[] h = cps(heldOut);
        for (NGramResult r : results) {
            Smoothing s = r.smoothing().equals("kn") ? Smoothing.KN : Smoothing.MKN;
            double nats = 0;
            for (int i = 0; i < h.length; i++) {
                int[] context = Arrays.copyOfRange(h, Math.max(0, i - 5), i);
                nats += InformationMetrics.nllNats(model.probability(s, r.order(), context, h[i]));
            }
            assertEquals(nats / h.length, r.natsPerChar(), 1e-12, r.toString());
        }
        // the order-k model uses the continuation levels 1..k-1 and the raw level k: the same in any larger model
        List<NGramResult> small = KneserNeyModel.train(train, vocab, 3).score(heldOut);
        for (NGramResult r : small) {
            NGramResult big = results.stream()
                    .filter(b -> b.smoothing().equals(r.smoothing()) && b.order() == r.order()).findFirst().orElseThrow();
            assertEquals(big.natsPerChar(), r.natsPerChar(), 1e-12, r.toString());
        }
    }

    @Test
    void countsCodePointsAndUtf8Bytes() {
        String train = "😀a😀b😀a";
        String heldOut = "😀é";
        KneserNeyModel model = KneserNeyModel.train(train, CharVocabulary.of(train, heldOut), 2);
        NGramResult r = model.score(heldOut).get(0);
        assertEquals(2, r.chars());
        assertEquals(6, r.bytes());
        assertEquals(r.bitsPerChar() * 2 / 6, r.bitsPerByte(), 1e-12);
        assertEquals(InformationMetrics.natsToBits(r.natsPerChar()), r.bitsPerChar(), 1e-12);
        assertEquals(3, model.distinctNGrams(1));
        assertEquals(4, model.distinctNGrams(2)); // 😀a (twice), a😀, 😀b, b😀
    }

    @Test
    void rejectsHeldOutCharactersOutsideTheVocabulary() {
        KneserNeyModel model = KneserNeyModel.train("abc", CharVocabulary.of("abc"), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.score("abd"));
        assertTrue(e.getMessage().contains("U+0064 at offset 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KneserNeyModel.train("abc", CharVocabulary.of("abc"), 0));
    }

    private static void assertResult(NGramResult r, String smoothing, int order, double nats, long chars, long bytes) {
        assertEquals(smoothing, r.smoothing());
        assertEquals(order, r.order());
        assertEquals(nats, r.natsPerChar(), 1e-12, r.toString());
        assertEquals(InformationMetrics.bitsPerChar(nats * chars, chars), r.bitsPerChar(), 1e-12);
        assertEquals(InformationMetrics.bitsPerByte(nats * chars, bytes), r.bitsPerByte(), 1e-12);
        assertEquals(chars, r.chars());
        assertEquals(bytes, r.bytes());
    }

    static int[] cps(String s) {
        return s.codePoints().toArray();
    }

    /** Pseudo-words from a seeded generator: many repeated contexts, some rare ones, spaces and newlines. */
    static String syntheticText(int length, long seed) {
        Random random = new Random(seed);
        String[] words = new String[300];
        String letters = "etaoinshrdlucmfwypvbgkjqxz";
        for (int i = 0; i < words.length; i++) {
            StringBuilder w = new StringBuilder();
            int n = 1 + random.nextInt(8);
            for (int j = 0; j < n; j++) w.append(letters.charAt((int) Math.min(25, Math.abs(random.nextGaussian()) * 8)));
            words[i] = w.toString();
        }
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            // Zipf-like word choice
            text.append(words[(int) Math.min(words.length - 1, Math.exp(random.nextDouble() * Math.log(words.length)) - 1)]);
            text.append(random.nextInt(12) == 0 ? ".\n" : " ");
        }
        return text.substring(0, length);
    }
}
