package dev.lossfloor.trainer;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutMasksTest {

    @Test
    void entriesAreZeroOrOneOverKeepWithTheRightFrequencyAndDependOnlyOnTheSeed() {
        for (double dropout : new double[]{0.1, 0.5, 0.9}) {
            int len = 200_001; // odd: the last entry comes from a draw of its own
            float[] mask = new float[len];
            DropoutMasks.fill(new Random(42), dropout, mask, len);
            float scale = (float) (1.0 / (1.0 - dropout));
            int kept = 0;
            for (float v : mask) {
                assertTrue(v == 0f || v == scale, "entry " + v);
                if (v != 0f) kept++;
            }
            double expected = len * (1.0 - dropout), sd = Math.sqrt(len * dropout * (1.0 - dropout));
            assertEquals(expected, kept, 5 * sd, "kept entries at dropout " + dropout);
            float[] again = new float[len];
            DropoutMasks.fill(new Random(42), dropout, again, len);
            assertArrayEquals(mask, again);
        }
    }

    @Test
    void noDropoutKeepsEverything() {
        float[] mask = new float[1001];
        DropoutMasks.fill(new Random(1), 0.0, mask, mask.length);
        for (float v : mask) assertEquals(1f, v);
    }
}
