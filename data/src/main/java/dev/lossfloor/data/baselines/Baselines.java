package dev.lossfloor.data.baselines;

import dev.lossfloor.data.InformationMetrics;
import dev.lossfloor.data.Split;
import dev.lossfloor.data.Splits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Classic upper bounds on the entropy of a held-out text: order-0 entropy, character n-gram models with
 * (modified) Kneser-Ney smoothing, and general-purpose compressors. Any model worth training should beat them.
 */
public final class Baselines {

    private Baselines() {
    }

    /**
     * The most characters of training text the baselines read: the n-gram counts grow with the distinct k-grams of
     * the text (about 70 bytes each; orders 1..8 of 4 million characters of enwik8 hold under 300 MB), so a longer
     * text is cut to its first this many characters and the report says so. That keeps the baselines of any
     * registered corpus, enwik8 included, within the default 2 GB heap and about 20 s on 2 cores.
     */
    public static final long DEFAULT_MAX_TRAIN_CHARS = 4_000_000;

    /**
     * Every baseline for {@code heldOut} given {@code train}: unigram entropy of {@code train}, KN and MKN n-gram
     * models of orders 1..maxOrder (vocabulary: the characters of both texts, see {@link CharVocabulary}), and
     * deflate, bzip2 and xz, alone and conditional on {@code train}.
     */
    public static BaselineReport compute(String train, String heldOut, int maxOrder) {
        return compute(train, heldOut, maxOrder, DEFAULT_MAX_TRAIN_CHARS);
    }

    /**
     * As {@link #compute(String, String, int)}, reading at most the first {@code maxTrainChars} characters (code
     * points) of {@code train}; the report records how many were read of how many ({@link BaselineReport#trainText}).
     */
    public static BaselineReport compute(String train, String heldOut, int maxOrder, long maxTrainChars) {
        if (maxTrainChars < 1) throw new IllegalArgumentException("the training text cap must be at least 1 character, got " + maxTrainChars);
        long available = train.codePointCount(0, train.length());
        String trainText = "all";
        if (available > maxTrainChars) {
            train = train.substring(0, train.offsetByCodePoints(0, (int) maxTrainChars));
            trainText = String.format(java.util.Locale.ROOT, "the first %,d of %,d characters: the n-gram counts of a longer"
                    + " text do not fit the default heap", maxTrainChars, available);
        }
        List<PartTiming> timings = new ArrayList<>();
        long t0 = System.nanoTime();
        UnigramResult unigram = unigramEntropy(train);
        timings.add(new PartTiming("unigram", seconds(t0)));

        t0 = System.nanoTime();
        CharVocabulary vocab = CharVocabulary.of(train, heldOut);
        KneserNeyModel model = KneserNeyModel.train(train, vocab, maxOrder);
        timings.add(new PartTiming("ngram-count", seconds(t0)));
        t0 = System.nanoTime();
        List<NGramResult> ngrams = model.score(heldOut);
        List<LevelDiscounts> discounts = model.discounts();
        timings.add(new PartTiming("ngram-score", seconds(t0)));
        model = null; // let the counts go before the compressors allocate

        List<CompressionResult> compressors = new ArrayList<>();
        for (CompressorBaselines.Compressor c : CompressorBaselines.Compressor.values()) {
            CompressionResult r = CompressorBaselines.compute(c, train, heldOut);
            compressors.add(r);
            timings.add(new PartTiming(c.id(), r.seconds()));
        }
        return new BaselineReport(train.codePointCount(0, train.length()), available, trainText,
                heldOut.codePointCount(0, heldOut.length()),
                heldOut.getBytes(StandardCharsets.UTF_8).length, vocab.size(), maxOrder, unigram, ngrams, discounts,
                compressors, timings);
    }

    /** Order-0 maximum-likelihood entropy of the characters (code points) of {@code text}. */
    public static UnigramResult unigramEntropy(String text) {
        int[] counts = new int[Character.MAX_CODE_POINT + 1];
        long n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            counts[cp]++;
            n++;
            i += Character.charCount(cp);
        }
        if (n == 0) throw new IllegalArgumentException("the text is empty");
        int distinct = 0;
        for (int c : counts) if (c > 0) distinct++;
        double[] p = new double[distinct];
        for (int cp = 0, j = 0; cp < counts.length; cp++) if (counts[cp] > 0) p[j++] = (double) counts[cp] / n;
        double nats = InformationMetrics.entropyNats(p);
        return new UnigramResult(InformationMetrics.natsToBits(nats), nats, n, distinct);
    }

    /**
     * The split of {@code ../shared/bench/kn_ngram.py} and nanoGPT's shakespeare_char: the first
     * floor(0.9 x characters) code points train, the rest is held out ({@link Splits#tail} with 0.1).
     */
    public static Split referenceSplit(String text) {
        return Splits.tail(text, 0.1);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
