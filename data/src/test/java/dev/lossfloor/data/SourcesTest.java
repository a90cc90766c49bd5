package dev.lossfloor.data;

import static dev.lossfloor.data.MarkovSourceTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossfloor.data.NgramEstimator.Smoothing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {

    @TempDir
    static Path dir;
    static Path wordsFile;

    /** A small word-salad text with a 30-odd character alphabet, newlines and a few multi-byte characters. */
    @BeforeAll
    static void writeCorpus() throws IOException {
        String[] words = {"the", "floor", "of", "loss", "entropy", "rate", "café", "naïve", "model", "learns",
                "slowly", "and", "then", "stops", "at", "zero", "gap", "über", "quick", "jumps"};
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 6000; i++) {
            text.append(words[(int) Math.min(words.length - 1, Math.floor(-Math.log(random.nextDouble()) * 4))]);
            text.append(i % 11 == 10 ? ".\n" : " ");
        }
        wordsFile = dir.resolve("words.txt");
        Files.writeString(wordsFile, text, StandardCharsets.UTF_8);
    }

    static Path corpus(String name) {
        return SharedCorpora.file(name);
    }

    private List<SyntheticSource> examples() {
        return List.of(
                Sources.fromSpec("iid:alphabet=abcdefghijklmnopqrstuvwxyz,zipf=1.1"),
                Sources.fromSpec("iid:alphabet=aé漢,weights=1;2;1"),
                Sources.fromSpec("markov:order=3,alphabet=abcdef,concentration=0.3,seed=4"),
                Sources.fromSpec("ngram-of:" + wordsFile + ",order=2"),
                Sources.fromSpec("ngram-of:path=" + wordsFile + ",order=3,smoothing=add,delta=0.1"));
    }

    @Test
    void trueModelLossIsTheEntropyRate() {
        List<SyntheticSource> sources = new ArrayList<>(examples());
        Path shakespeare = corpus("tinyshakespeare.txt");
        if (shakespeare != null) {
            sources.add(Sources.fromSpec("ngram-of:" + shakespeare + ",order=2"));
            sources.add(Sources.fromSpec("ngram-of:" + shakespeare + ",order=1,smoothing=add,delta=0.1"));
        }
        for (SyntheticSource source : sources) {
            String text = source.sample(300_000, 77);
            assertEquals(300_000, text.codePointCount(0, text.length()));
            double[] logProbs = source.conditionalLogProbs(text);
            double mean = 0;
            for (double lp : logProbs) {
                assertTrue(Double.isFinite(lp) && lp <= 0, source.spec());
                mean -= lp;
            }
            mean /= logProbs.length;
            double standardError = standardError(logProbs, mean);
            System.out.printf("%s: H = %s; true NLL %.4f +- %.4f nats/char; H_0..H_k =", source.spec(),
                    source.entropyReport(), mean, standardError);
            for (int j = 0; j <= source.order(); j++) {
                System.out.printf(" %.4f", source.conditionalEntropy(j));
            }
            System.out.println();
            assertEquals(source.entropyRate(), mean, 4 * standardError, source.spec());
        }
    }

    @Test
    void conditionalEntropiesNeverRise() {
        for (SyntheticSource source : examples()) {
            for (int j = 1; j <= source.order() + 2; j++) {
                assertTrue(source.conditionalEntropy(j) <= source.conditionalEntropy(j - 1), source.spec() + " j=" + j);
            }
            assertEquals(source.entropyRate(), source.conditionalEntropy(source.order()), 0.0);
            assertTrue(source.conditionalEntropy(0) <= Math.log(source.alphabetSize()) + 1e-12, source.spec());
            assertTrue(source.entropyRate() > 0, source.spec());
        }
        SyntheticSource iid = Sources.fromSpec("iid:alphabet=abc,weights=1;2;3");
        assertEquals(iid.entropyRate(), iid.conditionalEntropy(0), 0.0);
        assertEquals(iid.entropyRate(), iid.conditionalEntropy(5), 0.0);
    }

    @Test
    void uniformIsLogAlphabetSizeExactly() {
        StringBuilder cjk = new StringBuilder();
        for (int cp = 0x4E00; cp < 0x4E00 + 1000; cp++) {
            cjk.appendCodePoint(cp);
        }
        for (String alphabet : new String[] {"a", "ab", "abcdefghijklmnopqrstuvwxyz", cjk.toString(), "αβγ😀"}) {
            SyntheticSource source = Sources.fromSpec("iid:alphabet=" + alphabet);
            int size = alphabet.codePointCount(0, alphabet.length());
            assertEquals(Math.log(size), source.entropyRate(), 1e-12, alphabet);
            assertEquals(Math.log(size), source.conditionalEntropy(0), 1e-12, alphabet);
            assertEquals(InformationMetrics.natsToBits(Math.log(size)), source.entropyReport().bitsPerChar(), 1e-12);
            assertEquals(size, source.entropyReport().perplexity(), 1e-9);
        }
        assertEquals(Math.log(26), Sources.fromSpec("iid:alphabet=abcdefghijklmnopqrstuvwxyz,zipf=0").entropyRate(),
                1e-12);
        assertEquals(Math.log(4), Sources.fromSpec("iid:alphabet=abcd,weights=3;3;3;3").entropyRate(), 1e-12);
        assertEquals(2.0, InformationMetrics.natsToBits(Sources.fromSpec("iid").entropyRate()), 1e-12);
    }

    @Test
    void iidProbabilitiesAreTheGivenOnes() {
        MarkovSource zipf = Sources.zipf("abc", 2);
        double z = 1 + 0.25 + 1.0 / 9;
        assertArrayEquals(new double[] {1 / z, 0.25 / z, 1 / 9.0 / z}, zipf.transitionRow(0), 1e-15);
        MarkovSource weighted = Sources.weighted("abcd", 4, 2, 1, 1);
        assertEquals(1.75, InformationMetrics.natsToBits(weighted.entropyRate()), 1e-12); // 1/2, 1/4, 1/8, 1/8
        double[] logProbs = weighted.conditionalLogProbs("abdc");
        assertArrayEquals(new double[] {Math.log(0.5), Math.log(0.25), Math.log(0.125), Math.log(0.125)}, logProbs,
                1e-15);
    }

    @Test
    void oneSeedGivesOneText() {
        for (SyntheticSource source : examples()) {
            SyntheticSource again = Sources.fromSpec(source.spec());
            assertEquals(source.sample(20_000, 3), again.sample(20_000, 3), source.spec());
            assertNotEquals(source.sample(20_000, 3), source.sample(20_000, 4), source.spec());
            assertEquals(source.entropyRate(), again.entropyRate(), 0.0);
        }
    }

    @Test
    void bytesPerCharOfAMultiByteAlphabet() {
        // a: 1 byte, é: 2 bytes, 漢: 3 bytes, with probabilities 1/4, 1/2, 1/4: 1/4 + 1 + 3/4 = 2 bytes per char.
        SyntheticSource source = Sources.fromSpec("iid:alphabet=aé漢,weights=1;2;1");
        assertEquals(2.0, source.bytesPerChar(), 1e-15);
        EntropyReport report = source.entropyReport();
        assertEquals(1.5, report.bitsPerChar(), 1e-12);
        assertEquals(0.75, report.bitsPerByte(), 1e-12);
        assertEquals(report.natsPerChar() / 2, report.natsPerByte(), 1e-15);
        String text = source.sample(200_000, 1);
        double bytes = text.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(2.0, bytes / 200_000, 0.01);
        // A chain: the stationary symbol distribution decides, checked against a long sample.
        SyntheticSource chain = Sources.fromSpec("markov:order=2,alphabet=aé漢😀,concentration=0.5,seed=3");
        String chainText = chain.sample(400_000, 2);
        assertEquals(chain.bytesPerChar(), chainText.getBytes(StandardCharsets.UTF_8).length / 400_000.0, 0.02);
        // An ngram chain of a mostly ASCII corpus: close to the corpus's own bytes per character.
        String corpus = read(wordsFile);
        double corpusBytesPerChar = corpus.getBytes(StandardCharsets.UTF_8).length
                / (double) corpus.codePointCount(0, corpus.length());
        assertTrue(corpusBytesPerChar > 1.01);
        assertEquals(corpusBytesPerChar, Sources.fromSpec("ngram-of:" + wordsFile + ",order=1").bytesPerChar(), 0.002);
        assertEquals(1.0, Sources.fromSpec("markov:alphabet=abcdefgh").bytesPerChar(), 0.0);
    }

    @Test
    void specsRoundTrip() {
        String[][] cases = {
                {"iid:alphabet=abcd", "iid:alphabet=abcd"},
                {"iid", "iid:alphabet=abcd"},
                {"iid:zipf=1.10,alphabet=abcdef", "iid:alphabet=abcdef,zipf=1.1"},
                {"iid:alphabet=aé漢,weights=4.0;2;1", "iid:alphabet=aé漢,weights=4;2;1"},
                {"markov:order=3", "markov:order=3,alphabet=abcd,concentration=0.5,seed=1"},
                {"ngram-of:" + wordsFile, "ngram-of:path=" + wordsFile + ",order=2,smoothing=witten-bell"},
                {"ngram-of:" + wordsFile + ",delta=0.5", "ngram-of:path=" + wordsFile + ",order=2,smoothing=add,delta=0.5"},
                {"ngram-of:order=1,path=" + wordsFile + ",smoothing=add",
                        "ngram-of:path=" + wordsFile + ",order=1,smoothing=add,delta=0.1"},
        };
        for (String[] c : cases) {
            SyntheticSource source = Sources.fromSpec(c[0]);
            assertEquals(c[1], source.spec(), c[0]);
            SyntheticSource again = Sources.fromSpec(source.spec());
            assertEquals(source.spec(), again.spec());
            assertEquals(source.entropyRate(), again.entropyRate(), 0.0, c[0]);
        }
        assertEquals(MarkovSource.builtIn().spec(), Sources.fromSpec(MarkovSource.builtIn().spec()).spec());
        assertEquals(Sources.weighted("xyz", 1, 2, 3).spec(), Sources.fromSpec("iid:alphabet=xyz,weights=1;2;3").spec());
        assertEquals("ngram-of:path=words,order=0,smoothing=witten-bell",
                Sources.ngramOf("ab ba", "words", 0, Smoothing.wittenBell()).spec());
    }

    @Test
    void badSpecsSayWhatToFix() throws IOException {
        Path many = dir.resolve("many.txt");
        StringBuilder text = new StringBuilder();
        for (int cp = 0x100; cp < 0x100 + 300; cp++) {
            text.appendCodePoint(cp);
        }
        Files.writeString(many, text, StandardCharsets.UTF_8);
        assertMessage(() -> Sources.fromSpec(""), "source spec is empty");
        assertMessage(() -> Sources.fromSpec("zipf:alphabet=ab"), "unknown source \"zipf\"");
        assertMessage(() -> Sources.fromSpec("iid:alphabet=ab,zipf=x"), "bad number for zipf: \"x\"");
        assertMessage(() -> Sources.fromSpec("iid:alphabet=ab,zipf=-1"), "zipf exponent must be a finite number >= 0");
        assertMessage(() -> Sources.fromSpec("iid:alphabet=abcd,weights=4;2;1"), "3 weights for the 4 characters");
        assertMessage(() -> Sources.fromSpec("iid:alphabet=abcd,weights=4,2,1,1"), "\"2\" without a value");
        assertMessage(() -> Sources.fromSpec("iid:alphabet=ab,weights=1;0"), "weight 2 is 0.0");
        assertMessage(() -> Sources.fromSpec("iid:alphabet=ab,weights=1;x"), "bad number for weights: \"x\"");
        assertMessage(() -> Sources.fromSpec("iid:alphabet=ab,zipf=1,weights=1;1"), "both zipf= and weights=");
        assertMessage(() -> Sources.fromSpec("iid:alphabet=abca"), "iid alphabet repeats U+0061");
        assertMessage(() -> Sources.fromSpec("iid:alphabet="), "iid alphabet is empty");
        assertMessage(() -> Sources.fromSpec("iid:alphabet=ab,size=3"), "unknown key \"size\"");
        assertMessage(() -> Sources.fromSpec("iid:alphabet=ab,alphabet=cd"), "gives alphabet= twice");
        assertMessage(() -> Sources.fromSpec("markov:order=x"), "bad number for order: \"x\"");
        assertMessage(() -> Sources.fromSpec("markov:depth=2"), "unknown key \"depth\"");
        assertMessage(() -> Sources.fromSpec("ngram-of:"), "names no corpus");
        assertMessage(() -> Sources.fromSpec("ngram-of:" + dir.resolve("missing.txt")), "not found");
        assertMessage(() -> Sources.fromSpec("ngram-of:" + wordsFile + ",order=two"), "bad integer for order: \"two\"");
        assertMessage(() -> Sources.fromSpec("ngram-of:" + wordsFile + ",order=-1"), "order must be at least 0");
        assertMessage(() -> Sources.fromSpec("ngram-of:" + wordsFile + ",smoothing=kneser-ney"),
                "unknown smoothing \"kneser-ney\"");
        assertMessage(() -> Sources.fromSpec("ngram-of:" + wordsFile + ",smoothing=add,delta=0"), "positive finite delta");
        assertMessage(() -> Sources.fromSpec("ngram-of:" + wordsFile + ",smoothing=witten-bell,delta=0.1"),
                "takes no delta");
        assertMessage(() -> Sources.fromSpec("ngram-of:" + many + ",order=2"),
                "300 distinct characters, so order=2 needs 300^3 transition probabilities, more than 2^24; use order=1");
        assertMessage(() -> Sources.ngramOf("ab", "tiny", 2, Smoothing.wittenBell()), "order 2 needs at least 3");
        assertMessage(() -> Sources.fromSpec("iid:alphabet=ab").conditionalLogProbs("abc"), "not in the alphabet of iid");
        assertMessage(() -> Sources.fromSpec("iid:alphabet=a\nb,zipf=?"), "\\u000A");
    }

    @Test
    void ngramTablesFollowTheCounts() {
        // "abab" order 1, add-1: after a, b followed twice and a never: P(b|a) = 3/4; after b, a once: P(a|b) = 2/3.
        MarkovSource add = Sources.ngramOf("abab", "t", 1, Smoothing.add(1));
        assertArrayEquals(new double[] {0.25, 0.75}, add.transitionRow(0), 1e-15);
        assertArrayEquals(new double[] {2 / 3.0, 1 / 3.0}, add.transitionRow(1), 1e-15);
        // "aab" order 0, Witten-Bell: N = 3, T = 2, uniform backoff 1/2: P(a) = (2 + 1) / 5, P(b) = (1 + 1) / 5.
        MarkovSource wb = Sources.ngramOf("aab", "t", 0, Smoothing.wittenBell());
        assertArrayEquals(new double[] {0.6, 0.4}, wb.transitionRow(0), 1e-15);
        // Every symbol has positive probability in every context, seen or not.
        MarkovSource chain = (MarkovSource) Sources.fromSpec("ngram-of:" + wordsFile + ",order=2");
        for (int c = 0; c < chain.contextCount(); c++) {
            for (double p : chain.transitionRow(c)) {
                assertTrue(p > 0);
            }
        }
        assertEquals(NgramEstimator.alphabetOf(Files.exists(wordsFile) ? read(wordsFile) : ""), chain.alphabet());
    }

    @Test
    void ngramSamplesLookLikeTheirCorpus() {
        Path shakespeare = corpus("tinyshakespeare.txt");
        Path file = shakespeare != null ? shakespeare : wordsFile;
        String corpus = read(file);
        SyntheticSource source = Sources.fromSpec("ngram-of:" + file + ",order=2");
        String sample = source.sample(400_000, 9);
        // Character frequencies of the sample follow the corpus.
        for (char c : new char[] {' ', 'e', 't', '\n'}) {
            double inCorpus = corpus.chars().filter(x -> x == c).count() / (double) corpus.length();
            double inSample = sample.chars().filter(x -> x == c).count() / (double) sample.length();
            assertEquals(inCorpus, inSample, 0.1 * inCorpus + 0.002, "frequency of '" + c + "'");
        }
        System.out.println("sample of " + source.spec() + ": " + sample.substring(0, 160).replace("\n", "⏎"));
    }

    @Test
    void generatesQuickly() {
        // Sanity check only: the rates are printed, never asserted.
        List<SyntheticSource> sources = new ArrayList<>(examples());
        Path shakespeare = corpus("tinyshakespeare.txt");
        if (shakespeare != null) {
            sources.add(Sources.fromSpec("ngram-of:" + shakespeare + ",order=2"));
        }
        for (SyntheticSource source : sources) {
            source.sample(1_000_000, 0);
            long start = System.nanoTime();
            String text = source.sample(10_000_000, 1);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("sample %s: %.1f M chars/s%n", source.spec(), 10.0 / seconds);
            assertTrue(text.length() >= 10_000_000);
        }
    }

    @Test
    void shakespeareOrderThreeIsTooLarge() {
        Path shakespeare = SharedCorpora.require("tinyshakespeare.txt");
        assertMessage(() -> Sources.fromSpec("ngram-of:" + shakespeare + ",order=3"), "use order=2 or lower");
    }

    /**
     * Standard error of the mean NLL, by batch means (30 batches) and never below the independent-sample formula:
     * successive log probabilities of a chain are correlated, strongly so for a sparse add-delta chain that
     * lingers in unseen, near-uniform contexts, and then the independent formula is too small.
     */
    static double standardError(double[] logProbs, double mean) {
        double variance = 0;
        for (double lp : logProbs) {
            variance += (-lp - mean) * (-lp - mean);
        }
        double independent = Math.sqrt(variance / (logProbs.length - 1) / logProbs.length);
        int batches = 30;
        int batch = logProbs.length / batches;
        double between = 0;
        for (int b = 0; b < batches; b++) {
            double m = 0;
            for (int i = b * batch; i < (b + 1) * batch; i++) {
                m -= logProbs[i];
            }
            between += (m / batch - mean) * (m / batch - mean);
        }
        return Math.max(independent, Math.sqrt(between / (batches - 1) / batches));
    }

    private static String read(Path file) {
        return TextFiles.readUtf8(file);
    }
}
