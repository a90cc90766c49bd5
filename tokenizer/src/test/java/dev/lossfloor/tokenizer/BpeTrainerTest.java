package dev.lossfloor.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {

    /** Words over a small alphabet, so that pairs repeat and merges chain. */
    static String wordyText(SplittableRandom random, int words) {
        String[] alphabet = {"a", "b", "c", "ab", "é", "ß", "漢", "😀", "1", "'s", ",", "."};
        StringBuilder out = new StringBuilder();
        for (int w = 0; w < words; w++) {
            int len = random.nextInt(1, 6);
            for (int k = 0; k < len; k++) {
                out.append(alphabet[random.nextInt(alphabet.length)]);
            }
            out.append(random.nextInt(8) == 0 ? "\n" : random.nextInt(10) == 0 ? "  " : " ");
        }
        return out.toString();
    }

    @Test
    void wikipediaExample() {
        // https://en.wikipedia.org/wiki/Byte_pair_encoding: aa -> Z, ab -> Y, ZY -> X; "aaabdaaabac" -> "XdXac"
        BpeTokenizer bpe = BpeTokenizer.train("aaabdaaabac", 259, false);
        List<int[]> merges = bpe.merges();
        assertArrayEquals(new int[]{'a', 'a'}, merges.get(0));
        assertArrayEquals(new int[]{'a', 'b'}, merges.get(1), "the tie between (Z, a) and (a, b) goes to the smaller left id");
        assertArrayEquals(new int[]{256, 257}, merges.get(2));
        assertArrayEquals(new int[]{258, 'd', 258, 'a', 'c'}, bpe.encode("aaabdaaabac").ids());
    }

    @Test
    void tiesGoToTheSmallestPair() {
        // every pair occurs twice: (b, c) < (c, d) < (d, e) by left id, and (a, b) is smallest of all
        BpeTrainer trainer = new BpeTrainer("abcde abcde", false);
        assertTrue(trainer.mergeOnce());
        assertArrayEquals(new int[]{'a', 'b'}, trainer.merges().get(0));
        // with the split: pieces "abcde" and " abcde"; (a,b)...(d,e) occur twice, (' ', a) once
        BpeTokenizer split = BpeTokenizer.train("abcde abcde", 258, true);
        assertArrayEquals(new int[]{'a', 'b'}, split.merges().get(0));
        // then (a b, c), (c, d), (d, e) occur twice each: (c, d) has the smallest left id
        assertArrayEquals(new int[]{'c', 'd'}, split.merges().get(1));
    }

    @Test
    void stopsWhenNoPairRepeats() {
        BpeTokenizer bpe = BpeTokenizer.train("abcdef", 1000, false);
        assertEquals(256, bpe.vocabSize());
        BpeTrainer trainer = new BpeTrainer("xyxy", false);
        assertTrue(trainer.mergeOnce());
        assertFalse(trainer.mergeOnce(), "after xy -> Z only (Z, Z) is left, once");
    }

    @Test
    void incrementalCountsEqualARecountAfterEveryMerge() {
        SplittableRandom random = new SplittableRandom(7);
        for (boolean split : new boolean[]{true, false}) {
            for (int trial = 0; trial < 6; trial++) {
                String text = trial == 0 ? "aaaaaaaaaa aaaa aaa" : wordyText(random, 40 + 30 * trial);
                BpeTrainer trainer = new BpeTrainer(text, split);
                assertEquals(trainer.recountPairs(), trainer.pairCounts());
                int merges = 0;
                while (merges < 120 && trainer.mergeOnce()) {
                    merges++;
                    assertEquals(trainer.recountPairs(), trainer.pairCounts(), "after merge " + merges + " (split " + split + ")");
                }
                assertTrue(merges >= (trial == 0 ? 2 : 20), "merges " + merges);
            }
        }
    }

    @Test
    void mergesEqualTheNaiveRecountingTrainer() {
        SplittableRandom random = new SplittableRandom(11);
        for (boolean split : new boolean[]{true, false}) {
            for (int trial = 0; trial < 5; trial++) {
                String text = wordyText(random, 300);
                List<int[]> expected = NaiveBpe.train(text, 256 + 150, split);
                List<int[]> actual = BpeTokenizer.train(text, 256 + 150, split).merges();
                assertEquals(expected.size(), actual.size());
                for (int r = 0; r < expected.size(); r++) {
                    assertArrayEquals(expected.get(r), actual.get(r), "merge " + r + " (split " + split + ")");
                }
            }
        }
    }

    @Test
    void trainingIsDeterministic() {
        String text = wordyText(new SplittableRandom(3), 2000);
        BpeTokenizer a = BpeTokenizer.train(text, 400, true);
        BpeTokenizer b = BpeTokenizer.train(text, 400, true);
        assertEquals(a.state(), b.state());
        assertEquals(400, a.vocabSize());
    }

    @Test
    void rejectsVocabularyOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.train("abc", 255, true));
        assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.train("abc", BpeTokenizer.MAX_VOCAB + 1, true));
    }
}
