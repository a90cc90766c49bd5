package dev.lossfloor.trainer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryEstimateTest {
    private static final long GB = 1L << 30;
    private static final MemoryEstimate.Limits TWO_GB = new MemoryEstimate.Limits(2 * GB, 2 * GB, 16 * GB);

    private static GptConfig shape(int vocab, int layers, int heads, int embd, int context) {
        return new GptConfig(vocab, layers, heads, embd, context, 0.0, true);
    }

    @Test
    void theDefaultRunFitsEasilyInTwoGigabytes() {
        GptConfig defaults = shape(65, 4, 4, 128, 64);
        for (boolean vector : new boolean[]{true, false}) {
            MemoryEstimate e = MemoryEstimate.of(defaults, 12, 2, vector);
            assertTrue(e.heapBytes() < 200L << 20, "heap " + e.heapBytes());
            assertTrue(e.offHeapBytes() < 200L << 20, "off-heap " + e.offHeapBytes());
            assertDoesNotThrow(() -> e.check(TWO_GB, "the model"));
        }
        // the labs' shapes: lab 3's widest batch, GPT-2's vocabulary and BPE with the default model
        assertDoesNotThrow(() -> MemoryEstimate.of(shape(4, 2, 2, 64, 64), 64, 2, true).check(TWO_GB, "lab 3"));
        assertDoesNotThrow(() -> MemoryEstimate.of(shape(50257, 4, 4, 128, 64), 12, 2, false).check(TWO_GB, "gpt2"));
        assertDoesNotThrow(() -> MemoryEstimate.of(shape(2048, 4, 4, 128, 256), 12, 2, true).check(TWO_GB, "bpe:2048"));
    }

    @Test
    void theParametersAndAdamWAreCounted() {
        GptConfig big = shape(50257, 4, 4, 2048, 64);
        MemoryEstimate e = MemoryEstimate.of(big, 12, 1, true);
        long p = big.parameterCount();
        // two fast-path copies (weights, gradients), AdamW's m, v and working copy, the checkpoint's two: 7 floats each
        assertTrue(e.parameterBytes() >= 7 * 4 * p, e.parameterBytes() + " for " + p + " parameters");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> e.check(TWO_GB, "--embd 2048"));
        assertTrue(error.getMessage().startsWith("--embd 2048 needs about "), error.getMessage());
        assertTrue(error.getMessage().contains("of Java heap"), error.getMessage());
        assertTrue(error.getMessage().contains("more than the 2.0 GB this JVM may use"), error.getMessage());
        assertTrue(error.getMessage().contains("LOSSFLOOR_JAVA_OPTS=\"-Xmx"), error.getMessage());
        assertTrue(error.getMessage().contains("--batch, --context or --embd"), error.getMessage());
    }

    @Test
    void aHugeContextIsRejectedForTheActivations() {
        MemoryEstimate e = MemoryEstimate.of(shape(65, 4, 4, 128, 100_000), 12, 1, true);
        assertTrue(e.largestArray() > MemoryEstimate.MAX_ARRAY);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> e.check(TWO_GB, "--context 100000"));
        assertTrue(error.getMessage().contains("more than a Java array holds"), error.getMessage());
        // no overflow: the attention alone is 12 x 4 x 10^10 floats
        assertTrue(e.heapBytes() > 4L * 12 * 4 * 100_000L * 100_000L, "" + e.heapBytes());
    }

    @Test
    void theActivationsGrowWithTheBatchAndTheOffHeapLimitIsChecked() {
        GptConfig cfg = shape(65, 4, 4, 128, 512);
        MemoryEstimate small = MemoryEstimate.of(cfg, 1, 1, false), large = MemoryEstimate.of(cfg, 64, 1, false);
        assertTrue(large.heapBytes() > 30 * (small.heapBytes() - small.parameterBytes()));
        assertTrue(large.offHeapBytes() > 30 * small.offHeapBytes() / 2);
        MemoryEstimate.Limits littleOffHeap = new MemoryEstimate.Limits(64 * GB, 256L << 20, 128 * GB);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> large.check(littleOffHeap, "--batch 64"));
        assertTrue(error.getMessage().contains("of off-heap memory"), error.getMessage());
    }

    @Test
    void aShapeLargerThanTheMachineAsksForASmallerOne() {
        MemoryEstimate e = MemoryEstimate.of(shape(50257, 12, 16, 2048, 1024), 32, 1, true);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> e.check(new MemoryEstimate.Limits(2 * GB, 2 * GB, 8 * GB), "big"));
        assertTrue(error.getMessage().contains("this machine has 8.0 GB in all; choose a smaller"), error.getMessage());
    }

    @Test
    void theLimitsOfThisJvmAreItsHeapAndJavaCppsLimit() {
        MemoryEstimate.Limits limits = MemoryEstimate.Limits.current();
        assertEquals(Runtime.getRuntime().maxMemory(), limits.heapBytes());
        assertTrue(limits.offHeapBytes() > 0 && limits.offHeapBytes() <= limits.physicalBytes());
    }
}
