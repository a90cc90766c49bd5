package dev.lossfloor.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EncodingTest {

    @Test
    void sumsAndSlices() {
        Encoding encoding = new ByteTokenizer().encode("aé😀");
        assertEquals(7, encoding.length());
        assertEquals(7, encoding.bytes(0, 7));
        assertEquals(3, encoding.chars(0, 7));
        assertEquals(2, encoding.chars(0, 3));
        Encoding slice = encoding.slice(1, 3);
        assertArrayEquals(new int[] {0xC3, 0xA9}, slice.ids());
        assertEquals(1, slice.chars(0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> encoding.bytes(3, 8));
        assertThrows(IllegalArgumentException.class,
                () -> new Encoding(new int[2], new int[1], new int[2], 0));
    }
}
