package dev.lossfloor.data.baselines;

import java.util.List;

/**
 * Every classic entropy baseline of a held-out text given a training text; records of plain fields, ready for
 * JSON.
 *
 * @param trainChars     characters (code points) of the training text the baselines read
 * @param trainCharsAvailable characters of the whole training text (more than {@code trainChars} where it was capped)
 * @param trainText      which part was read: "all", or "the first N of M characters: ..." (see
 *                       {@link Baselines#DEFAULT_MAX_TRAIN_CHARS})
 * @param heldOutChars   characters of the held-out text (all of them are predicted)
 * @param heldOutBytes   UTF-8 bytes of the held-out text
 * @param vocabularySize V: distinct characters of training and held-out text together
 * @param maxOrder       the highest n-gram order
 * @param unigram        order-0 MLE entropy of the training text
 * @param ngrams         Kneser-Ney ("kn", orders 1..maxOrder) then modified Kneser-Ney ("mkn") results
 * @param discounts      the discounts the n-gram models estimated per level
 * @param compressors    deflate, bzip2, xz: alone and conditional on the training text
 * @param timings        wall time per part: "unigram", "ngram-count", "ngram-score", "deflate", "bzip2", "xz"
 */
public record BaselineReport(long trainChars, long trainCharsAvailable, String trainText, long heldOutChars, long heldOutBytes, int vocabularySize, int maxOrder,
                             UnigramResult unigram, List<NGramResult> ngrams, List<LevelDiscounts> discounts,
                             List<CompressionResult> compressors, List<PartTiming> timings) {

    public BaselineReport {
        ngrams = List.copyOf(ngrams);
        discounts = List.copyOf(discounts);
        compressors = List.copyOf(compressors);
        timings = List.copyOf(timings);
    }

    /** Whether the baselines read only part of the training text. */
    public boolean trainCapped() {
        return trainChars < trainCharsAvailable;
    }

    /** The n-gram result for one smoothing and order. */
    public NGramResult ngram(Smoothing smoothing, int order) {
        return ngrams.stream().filter(r -> r.smoothing().equals(smoothing.id()) && r.order() == order).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + smoothing.id() + " result of order " + order));
    }
}
