package dev.lossfloor.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {

    private final ByteTokenizer tokenizer = new ByteTokenizer();

    @Test
    void roundTripsMultiByteText() {
        String text = "Grüße, мир, 漢字, 😀";
        Encoding encoding = tokenizer.encode(text);
        assertEquals(text, tokenizer.decode(encoding.ids()));
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(utf8.length, encoding.length());
        for (int i = 0; i < utf8.length; i++) {
            assertEquals(utf8[i] & 0xFF, encoding.ids()[i]);
        }
    }

    @Test
    void roundTripsRandomValidUtf8() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            String text = TestTexts.randomText(random, random.nextInt(0, 300));
            Encoding encoding = tokenizer.encode(text);
            assertEquals(text, tokenizer.decode(encoding.ids()));
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), toBytes(encoding.ids()));
        }
    }

    @Test
    void countsSumToByteLengthAndCodePoints() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 100; trial++) {
            String text = TestTexts.randomText(random, random.nextInt(0, 200)) + "😀";
            Encoding encoding = tokenizer.encode(text);
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, encoding.bytes(0, encoding.length()));
            assertEquals(text.codePointCount(0, text.length()), encoding.chars(0, encoding.length()));
        }
        Encoding emoji = tokenizer.encode("😀");
        assertArrayEquals(new int[] {1, 1, 1, 1}, emoji.bytesPerToken());
        // the character is counted at its last byte
        assertArrayEquals(new int[] {0, 0, 0, 1}, emoji.charsPerToken());
    }

    @Test
    void displaysTokens() {
        assertEquals("a", tokenizer.tokenDisplay('a'));
        assertEquals("\\n", tokenizer.tokenDisplay('\n'));
        assertEquals("0xE2", tokenizer.tokenDisplay(0xE2));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenDisplay(256));
    }

    @Test
    void rejectsBadInput() {
        IllegalArgumentException badId = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.decode(new int[] {65, 300}));
        assertTrue(badId.getMessage().contains("position 1"), badId.getMessage());
        IllegalArgumentException lone = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.encode("ab\uD800c"));
        assertTrue(lone.getMessage().contains("U+D800"), lone.getMessage());
    }

    @Test
    void decodesBrokenSequencesWithReplacement() {
        assertEquals("a\uFFFD", tokenizer.decode(new int[] {'a', 0xE2}));
    }

    private static byte[] toBytes(int[] ids) {
        byte[] bytes = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            bytes[i] = (byte) ids[i];
        }
        return bytes;
    }
}
