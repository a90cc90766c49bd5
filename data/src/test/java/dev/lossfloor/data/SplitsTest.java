package dev.lossfloor.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SplitsTest {

    @Test
    void takesValidationFromTheEnd() {
        Split split = Splits.tail("0123456789", 0.1);
        assertEquals(new Split("012345678", "9"), split);
        assertEquals(new Split("01234", "56789"), Splits.tail("0123456789", 0.5));
        assertEquals(new Split("0", "123456789"), Splits.tail("0123456789", 0.9));
    }

    @Test
    void rejectsFractionsOutsideTheOpenInterval() {
        for (double fraction : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Splits.tail("0123456789", fraction));
            assertTrue(e.getMessage().startsWith("--val-fraction must be between 0 and 1 (exclusive), got "));
        }
    }

    @Test
    void rejectsEmptyParts() {
        DataException val = assertThrows(DataException.class, () -> Splits.tail("0123456789", 1e-12));
        assertTrue(val.getMessage().contains("validation split empty"), val.getMessage());
        DataException train = assertThrows(DataException.class, () -> Splits.tail("0123456789", 0.99));
        assertTrue(train.getMessage().contains("training split empty"), train.getMessage());
    }

    @Test
    void cutsAtCodePointBoundaries() {
        // 4 code points, 7 UTF-16 chars: a naive char split at 2/7 would cut the first emoji in half.
        String text = "😀a😀😀";
        Split split = Splits.tail(text, 0.5);
        assertEquals("😀a", split.train());
        assertEquals("😀😀", split.val());
        Split quarter = Splits.tail(text, 0.75);
        assertEquals("😀", quarter.train());
        assertEquals(text, quarter.train() + quarter.val());
        assertTrue(!Character.isLowSurrogate(quarter.val().charAt(0)));
    }
}
