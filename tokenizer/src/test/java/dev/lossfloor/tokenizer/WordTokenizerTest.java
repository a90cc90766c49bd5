package dev.lossfloor.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WordTokenizerTest {

    private static final String TRAIN = "the cat sat on the mat. the dog sat on the log.\n";

    @Test
    void keepsTheMostFrequentPieces() {
        WordTokenizer words = WordTokenizer.fit(TRAIN, 4);
        // " the" 3, " sat" 2, " on" 2, "." 2; "the" (no space, once) and the rest once
        assertEquals(List.of(" the", " on", " sat", "."), words.words());
        assertEquals("word:4", words.spec());
        assertEquals(5, words.vocabSize());
        assertEquals(4, words.unkId());
    }

    @Test
    void unknownWordsKeepTheirSpaceAndCountExactly() {
        WordTokenizer words = WordTokenizer.fit(TRAIN + "x  y", 100); // "x", " ", " y": the single space is a word
        String text = "the cat ate the höhle.";
        Encoding enc = words.encode(text);
        // "the", " cat", " " + <unk> (" ate"), " the", " " + <unk> (" höhle"), "."
        assertEquals(2, enc.unknownCount());
        assertEquals("the cat <unk> the <unk>.", words.decode(enc.ids()));
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, enc.totalBytes());
        assertEquals(text.codePointCount(0, text.length()), enc.totalChars());
        assertArrayEquals(new int[]{1, 5}, new int[]{enc.charsPerToken()[5], enc.charsPerToken()[6]});
        assertEquals(6, enc.bytesPerToken()[6], "<unk> covers the 6 bytes of höhle");
        assertEquals(2.0 / enc.length(), (double) enc.unknownCount() / enc.length());
    }

    @Test
    void knownTextRoundTrips() {
        WordTokenizer words = WordTokenizer.fit(TRAIN, 1000);
        Encoding enc = words.encode(TRAIN);
        assertEquals(0, enc.unknownCount());
        assertEquals(TRAIN, words.decode(enc.ids()));
    }

    @Test
    void stateRoundTrips() {
        WordTokenizer words = WordTokenizer.fit(TRAIN, 6);
        Tokenizer rebuilt = Tokenizers.fromState(new HashMap<>(words.state()));
        assertEquals(words.state(), rebuilt.state());
        assertArrayEquals(words.encode(TRAIN).ids(), rebuilt.encode(TRAIN).ids());
        assertThrows(IllegalArgumentException.class, () -> Tokenizers.fromState(Map.of("type", "word", "vocab", List.of(1, 2))));
        assertThrows(IllegalArgumentException.class, () -> Tokenizers.fromState(Map.of("type", "word", "vocab", List.of("a", "a"))));
    }
}
