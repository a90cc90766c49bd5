package dev.lossfloor.data.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossfloor.data.Split;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    @Test
    void unigramEntropyByHand() {
        assertEquals(1.0, Baselines.unigramEntropy("aabb").bitsPerChar(), 1e-12);
        assertEquals(2.0, Baselines.unigramEntropy("abcd").bitsPerChar(), 1e-12);
        // p = (1/2, 1/4, 1/4): 1.5 bits
        UnigramResult r = Baselines.unigramEntropy("😀😀ab");
        assertEquals(1.5, r.bitsPerChar(), 1e-12);
        assertEquals(1.5 * Math.log(2), r.natsPerChar(), 1e-12);
        assertEquals(4, r.chars());
        assertEquals(3, r.distinct());
        assertEquals(0.0, Baselines.unigramEntropy("aaaa").bitsPerChar(), 0.0);
    }

    @Test
    void referenceSplitTakesTheFloorOfNinetyPercent() {
        assertEquals(new Split("012345678", "9"), Baselines.referenceSplit("0123456789"));
        // 15 characters: floor(13.5) = 13 train
        assertEquals(13, Baselines.referenceSplit("a".repeat(15)).train().length());
        assertEquals(2, Baselines.referenceSplit("abc").train().length());
        assertThrows(dev.lossfloor.data.DataException.class, () -> Baselines.referenceSplit("a"));
    }

    @Test
    void reportHoldsEveryPart() {
        String text = KneserNeyModelTest.syntheticText(20_000, 1);
        BaselineReport r = Baselines.compute(text.substring(0, 18_000), text.substring(18_000), 4);
        assertEquals(18_000, r.trainChars());
        assertEquals(2_000, r.heldOutChars());
        assertEquals(4, r.maxOrder());
        assertEquals(8, r.ngrams().size());
        assertEquals(3, r.compressors().size());
        assertEquals(List.of("unigram", "ngram-count", "ngram-score", "deflate", "bzip2", "xz"),
                r.timings().stream().map(PartTiming::part).toList());
        // context helps on this text, and the best n-gram model beats the unigram entropy and every compressor
        double best = r.ngram(Smoothing.MKN, 4).bitsPerChar();
        assertTrue(best < r.ngram(Smoothing.MKN, 1).bitsPerChar());
        assertTrue(best < r.unigram().bitsPerChar());
        for (CompressionResult c : r.compressors()) assertTrue(best < c.aloneBitsPerChar(), c.toString());
        assertEquals(7, r.discounts().size()); // raw levels 1..4, continuation levels 1..3
    }

    @Test
    void aLongTrainingTextIsCutToTheCapAndTheReportSaysSo() {
        String text = KneserNeyModelTest.syntheticText(20_000, 1);
        String train = text.substring(0, 18_000), heldOut = text.substring(18_000);
        BaselineReport capped = Baselines.compute(train, heldOut, 3, 5_000);
        assertEquals(5_000, capped.trainChars());
        assertEquals(18_000, capped.trainCharsAvailable());
        assertTrue(capped.trainCapped());
        assertEquals("the first 5,000 of 18,000 characters: the n-gram counts of a longer text do not fit the default heap",
                capped.trainText());
        // the same numbers as the first 5,000 characters given directly
        BaselineReport direct = Baselines.compute(train.substring(0, 5_000), heldOut, 3);
        assertEquals(direct.ngram(Smoothing.MKN, 3).bitsPerChar(), capped.ngram(Smoothing.MKN, 3).bitsPerChar(), 0.0);
        assertEquals(direct.unigram().bitsPerChar(), capped.unigram().bitsPerChar(), 0.0);
        assertEquals("all", direct.trainText());
        assertFalse(direct.trainCapped());
    }

    @Test
    void theCapCountsCharactersNotUtf16Units() {
        String train = "żółć 😀 gęślą ".repeat(100), heldOut = "żółć gęś 😀";
        BaselineReport r = Baselines.compute(train, heldOut, 2, 7);
        assertEquals(7, r.trainChars());
        assertEquals(train.codePointCount(0, train.length()), r.trainCharsAvailable());
    }

    @Test
    void theDefaultCapKeepsEnwik8SizedCountsBounded() {
        assertEquals(4_000_000, Baselines.DEFAULT_MAX_TRAIN_CHARS);
    }
}
