package dev.lossfloor.data.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lossfloor.data.Split;
import dev.lossfloor.data.TextFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The n-gram baselines against {@code ../shared/bench/kn_ngram.py} on Tiny Shakespeare (90/10 split by
 * character): its published yardsticks, and its exact values for every order (python3 kn_ngram.py 8
 * tinyshakespeare.txt out.json, 2026-11-21). About 2 s on 2 cores.
 */
class TinyShakespeareBaselinesTest {

    // kn_ngram.py's out.json, nats/char for orders 1..8
    private static final double[] REFERENCE_KN = {3.3473284841046373, 2.4843967471352406, 2.0449043174380046,
            1.7290363030974305, 1.5789463848078489, 1.5580749033223447, 1.564846501907308, 1.5740780227923048};
    private static final double[] REFERENCE_MKN = {3.3473304198971054, 2.4835572210400225, 2.038150629259876,
            1.7190708552789045, 1.5611843513920551, 1.522647261200856, 1.5165274103766828, 1.5192300965521017};
    private static final double REFERENCE_UNIGRAM_BITS = 4.7739994738216245;

    static Path corpus(String name) {
        return dev.lossfloor.data.SharedCorpora.require(name);
    }

    @Test
    void matchesTheReferenceImplementation() {
        Split split = Baselines.referenceSplit(TextFiles.readUtf8(corpus("tinyshakespeare.txt")));
        assertEquals(1_003_854, split.train().length());
        assertEquals(111_540, split.val().length());

        CharVocabulary vocab = CharVocabulary.of(split.train(), split.val());
        assertEquals(65, vocab.size());
        KneserNeyModel model = KneserNeyModel.train(split.train(), vocab, 8);
        List<NGramResult> results = model.score(split.val());

        // the yardsticks
        assertEquals(1.5165, nats(results, "mkn", 7), 0.002);
        assertEquals(1.5581, nats(results, "kn", 6), 0.002);
        assertEquals(1.5612, nats(results, "mkn", 5), 0.002);
        assertEquals(4.774, Baselines.unigramEntropy(split.train()).bitsPerChar(), 0.001);

        // the same arithmetic as the reference: agreement to rounding error
        for (int order = 1; order <= 8; order++) {
            assertEquals(REFERENCE_KN[order - 1], nats(results, "kn", order), 1e-9, "kn order " + order);
            assertEquals(REFERENCE_MKN[order - 1], nats(results, "mkn", order), 1e-9, "mkn order " + order);
        }
        assertEquals(REFERENCE_UNIGRAM_BITS, Baselines.unigramEntropy(split.train()).bitsPerChar(), 1e-12);
        assertEquals(559_503, model.distinctNGrams(8));
    }

    private static double nats(List<NGramResult> results, String smoothing, int order) {
        return results.stream().filter(r -> r.smoothing().equals(smoothing) && r.order() == order)
                .findFirst().orElseThrow().natsPerChar();
    }
}
