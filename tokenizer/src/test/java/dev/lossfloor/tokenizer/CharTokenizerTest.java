package dev.lossfloor.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CharTokenizerTest {

    @Test
    void vocabularyIsSortedDistinctCodePoints() {
        CharTokenizer tokenizer = CharTokenizer.fit("cab😀ba", false);
        assertArrayEquals(new int[] {'a', 'b', 'c', 0x1F600}, tokenizer.vocabulary());
        assertEquals(4, tokenizer.vocabSize());
        assertEquals(5, CharTokenizer.fit("cab😀ba", true).vocabSize());
        assertEquals(4, CharTokenizer.fit("cab😀ba", true).unkId());
    }

    @Test
    void roundTripsAndCountsMultiByteText() {
        String text = "Grüße, мир, 漢字, 😀";
        CharTokenizer tokenizer = CharTokenizer.fit(text, false);
        Encoding encoding = tokenizer.encode(text);
        assertEquals(text, tokenizer.decode(encoding.ids()));
        assertEquals(text.codePointCount(0, text.length()), encoding.length());
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, encoding.bytes(0, encoding.length()));
        assertEquals(text.codePointCount(0, text.length()), encoding.chars(0, encoding.length()));
        assertEquals(4, encoding.bytesPerToken()[encoding.length() - 1]);
    }

    @Test
    void countsSumOnRandomText() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            String text = TestTexts.randomText(random, random.nextInt(1, 300));
            Encoding encoding = CharTokenizer.fit(text, false).encode(text);
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, encoding.bytes(0, encoding.length()));
            assertEquals(text.codePointCount(0, text.length()), encoding.chars(0, encoding.length()));
        }
    }

    @Test
    void unknownCharacterNamesCodePointAndOffsets() {
        CharTokenizer tokenizer = CharTokenizer.fit("abcü", false);
        // 'é' is code point 5, byte 6 ('ü' takes two bytes).
        UnknownCharacterException e = assertThrows(UnknownCharacterException.class,
                () -> tokenizer.encode("abüca\u00E9b"));
        assertEquals(0xE9, e.codePoint());
        assertEquals(5, e.charOffset());
        assertEquals(6, e.byteOffset());
        assertTrue(e.getMessage().contains("U+00E9 'é'"), e.getMessage());
        assertTrue(e.getMessage().contains("character offset 5"), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset 6"), e.getMessage());
        assertTrue(e.getMessage().contains("--unk"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        UnknownCharacterException tab = assertThrows(UnknownCharacterException.class, () -> tokenizer.encode("a\tb"));
        assertTrue(tab.getMessage().startsWith("character U+0009 at"), tab.getMessage());
    }

    @Test
    void unknownCharactersMapToUnkWithByteCounts() {
        CharTokenizer tokenizer = CharTokenizer.fit("abc", true);
        String text = "a😀bé漢c";
        Encoding encoding = tokenizer.encode(text);
        assertEquals(3, encoding.unknownCount());
        assertArrayEquals(new int[] {0, 3, 1, 3, 3, 2}, encoding.ids());
        assertArrayEquals(new int[] {1, 4, 1, 2, 3, 1}, encoding.bytesPerToken());
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, encoding.bytes(0, encoding.length()));
        assertEquals(6, encoding.chars(0, encoding.length()));
        assertEquals("<unk>", tokenizer.tokenDisplay(3));
        assertEquals("a\uFFFDb", tokenizer.decode(new int[] {0, 3, 1}));
        assertEquals(2, encoding.slice(0, 4, tokenizer.unkId()).unknownCount());
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.fit("", false));
        CharTokenizer tokenizer = CharTokenizer.fit("ab", false);
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {2}));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("a\uDC00"));
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.of(new int[] {'b', 'a'}, false));
    }

    @Test
    void displaysTokens() {
        CharTokenizer tokenizer = CharTokenizer.fit("\n a\u0007", false);
        assertEquals("\\n", tokenizer.tokenDisplay(tokenizer.idOf('\n')));
        assertEquals("<sp>", tokenizer.tokenDisplay(tokenizer.idOf(' ')));
        assertEquals("a", tokenizer.tokenDisplay(tokenizer.idOf('a')));
        assertEquals("U+0007", tokenizer.tokenDisplay(tokenizer.idOf(7)));
    }

    @Test
    void encodesQuickly() {
        // Sanity check only: the timing is printed, not asserted.
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder builder = new StringBuilder();
        while (builder.length() < 8_000_000) {
            builder.append((char) random.nextInt('a', 'z' + 1)).append(random.nextInt(10) == 0 ? "é" : "");
        }
        String text = builder.toString();
        CharTokenizer tokenizer = CharTokenizer.fit(text, false);
        long start = System.nanoTime();
        Encoding encoding = tokenizer.encode(text);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("char encode: %.0f MB/s%n", encoding.bytes(0, encoding.length()) / 1e6 / seconds);
        assertEquals(text.length(), encoding.length());
    }
}
