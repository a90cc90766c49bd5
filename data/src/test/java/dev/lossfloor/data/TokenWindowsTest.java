package dev.lossfloor.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TokenWindowsTest {

    private static int[] range(int n) {
        int[] tokens = new int[n];
        Arrays.setAll(tokens, i -> i);
        return tokens;
    }

    @Test
    void countsWindows() {
        assertEquals(3, new TokenWindows(range(13), 4).count());
        assertEquals(2, new TokenWindows(range(12), 4).count());
        assertEquals(1, new TokenWindows(range(5), 4).count());
        assertEquals(9, new TokenWindows(range(10), 1).count());
    }

    @Test
    void copiesInputsAndShiftedTargets() {
        TokenWindows windows = new TokenWindows(range(13), 4);
        int[] inputs = new int[8];
        int[] targets = new int[8];
        windows.fill(new int[] {2, 0}, 0, 2, inputs, targets);
        assertArrayEquals(new int[] {8, 9, 10, 11, 0, 1, 2, 3}, inputs);
        assertArrayEquals(new int[] {9, 10, 11, 12, 1, 2, 3, 4}, targets);
        assertThrows(IndexOutOfBoundsException.class, () -> windows.copyWindow(3, inputs, 0, targets, 0));
    }

    @Test
    void epochOrderIsADeterministicPermutation() {
        TokenWindows windows = new TokenWindows(range(1001), 10);
        int[] order = windows.epochOrder(7, 0);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(range(100), sorted);
        assertArrayEquals(order, windows.epochOrder(7, 0));
        assertFalse(Arrays.equals(order, windows.epochOrder(7, 1)));
        assertFalse(Arrays.equals(order, windows.epochOrder(8, 0)));
        assertFalse(Arrays.equals(order, range(100)));
    }

    @Test
    void rejectsTooFewTokens() {
        DataException e = assertThrows(DataException.class, () -> new TokenWindows(range(4), 4));
        assertEquals("training split has 4 tokens; a window needs at least context+1 = 5 tokens: use a longer corpus"
                + " or a smaller --context", e.getMessage());
        assertThrows(DataException.class, () -> new TokenWindows(new int[0], 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TokenWindows(range(10), 0))
                .getMessage().contains("--context"));
    }
}
