package dev.lossfloor.trainer;

import java.util.Locale;

/**
 * The memory a training run holds, estimated from its shape before anything large is allocated: a shape that
 * cannot fit fails at once with the numbers and the way to raise the limit, instead of an OutOfMemoryError after
 * minutes of work.
 *
 * <p>Java heap: the fast path's float copy of the parameters and of their gradients (per model), AdamW's two moments
 * and its working copy, the checkpoint's copies of the moments, and the activations {@link FastGpt} keeps for a batch
 * (per block: two LayerNorm inputs, the residual, the MLP's 4C-wide pre-activation, its GELU derivative and output,
 * about 15 x C floats per position, plus the attention probabilities, batch x heads x context x context, where the
 * Vector API runs attention; logits and probabilities, 2 x vocabulary floats per position). Off-heap (ND4J and
 * JavaCPP buffers): the SameDiff graph's parameters and causal mask per model, and the native mirrors of those
 * activations that OpenBLAS reads (about the same size again; the attention scores too where OpenBLAS runs attention).
 * A second model and fast path exist when the held-out evaluation runs beside training on a spare core.
 *
 * <p>What is left out (the data's own arrays, the evaluator's lanes, a few MB of scratch) is small next to the
 * activations of any shape that is close to the limit; the estimate is a floor of what the run needs.
 *
 * @param heapBytes      Java heap the run needs
 * @param offHeapBytes   off-heap memory (ND4J, JavaCPP) the run needs
 * @param parameterBytes the part of {@code heapBytes} that grows with the parameters (weights, gradients, AdamW)
 * @param largestArray   elements of the largest single Java array (a Java array holds at most 2^31 - 1)
 */
public record MemoryEstimate(long heapBytes, long offHeapBytes, long parameterBytes, long largestArray) {

    /** The most elements a Java array can hold (HotSpot reserves a few below Integer.MAX_VALUE). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final long FLOAT = Float.BYTES;

    /**
     * The estimate for {@code config} trained in batches of {@code batch} windows, with {@code models} copies of the
     * model (2 when the held-out evaluation runs in the background) and attention in Java arrays when
     * {@code vectorAttention}.
     */
    public static MemoryEstimate of(GptConfig config, int batch, int models, boolean vectorAttention) {
        long p = config.parameterCount();
        long c = config.embd(), t = config.context(), v = config.vocabSize(), l = config.layers(), h = config.heads();
        long n = (long) batch * t; // positions in a batch
        boolean dropout = config.dropout() > 0;
        long padded = vectorAttention ? (t + 15) / 16 * 16 : t;
        long attention = (long) batch * h * t * padded; // one layer's attention probabilities

        long qkvPacked = l * 2 * (3 * c * c + 3 * c);
        long parameterFloats = models * (2 * p + qkvPacked) + 3 * p /* AdamW m, v, values */ + 2 * p /* checkpoint */;
        long perBlockHeap = 15 * n * c + 4 * n + (dropout ? 2 * n * c : 0)
                + (vectorAttention ? 4 * n * c + attention * (dropout ? 3 : 1) : 0);
        long globalHeap = (l + 1) * n * c + n * c + 2 * n * v + n + 2 * n * c + 4 * n * c + 2 * n
                + (vectorAttention ? 4 * n * c : 0) + (dropout ? 3 * n * c + attention : 0);
        long activationFloats = models * (l * perBlockHeap + globalHeap);
        // SameDiff's causal mask is built as a double[context x context] on the heap, once per model
        long maskHeap = 8 * t * t;

        long perBlockNative = 15 * n * c + (vectorAttention ? 0 : attention * (dropout ? 3 : 1));
        long globalNative = (l + 1) * n * c + n * c + 2 * n * v + 2 * n * c + 4 * n * c + 4 * n * c + n;
        long graph = p + 3 * t * t; // the graph's parameters, its float mask and the double one it is cast from
        long nativeFloats = models * (graph + p + qkvPacked + l * perBlockNative + globalNative);

        long largest = Math.max(Math.max(n * v, 4 * n * c), Math.max(t * t, vectorAttention ? attention : 0));
        return new MemoryEstimate(FLOAT * (parameterFloats + activationFloats) + maskHeap, FLOAT * nativeFloats,
                FLOAT * parameterFloats, largest);
    }

    /** The same for a run on this JVM: a background model where a core is spare, the Vector API where it is on. */
    public static MemoryEstimate forTraining(GptConfig config, int batch, int trainingThreads) {
        int models = Runtime.getRuntime().availableProcessors() > trainingThreads ? 2 : 1;
        return of(config, batch, models, FastGpt.vectorAttention(config.headSize(), VectorSupport.available()));
    }

    /** What this JVM may use: its maximum heap, and off-heap the smaller of JavaCPP's limit and the machine's memory. */
    public record Limits(long heapBytes, long offHeapBytes, long physicalBytes) {
        public static Limits current() {
            long physical = physicalMemory();
            long javacpp = org.bytedeco.javacpp.Pointer.maxBytes();
            long offHeap = javacpp > 0 ? Math.min(javacpp, physical) : physical;
            return new Limits(Runtime.getRuntime().maxMemory(), offHeap, physical);
        }

        private static long physicalMemory() {
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getTotalMemorySize();
            return Long.MAX_VALUE;
        }
    }

    /**
     * Fails with one line when the run cannot fit in {@code limits}: the shape, the estimate, the limit and what to
     * change. {@code shape} names the settings (e.g. "--batch 12 --context 64 ...") so that the line says which ones.
     */
    public void check(Limits limits, String shape) {
        String smaller = "choose a smaller --batch, --context or --embd";
        if (largestArray > MAX_ARRAY)
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s needs a single array of %,d floats, more than a"
                    + " Java array holds (%,d); %s", shape, largestArray, MAX_ARRAY, smaller));
        long physical = limits.physicalBytes();
        if (heapBytes > limits.heapBytes())
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s needs about %s of Java heap (%s for the"
                            + " parameters, gradients and AdamW state), more than the %s this JVM may use; %s", shape,
                    size(heapBytes), size(parameterBytes), size(limits.heapBytes()), raise(physical, smaller)));
        if (offHeapBytes > limits.offHeapBytes())
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s needs about %s of off-heap memory (ND4J and"
                            + " OpenBLAS buffers), more than the %s this JVM may use; %s", shape, size(offHeapBytes),
                    size(limits.offHeapBytes()), raise(physical, smaller)));
    }

    /** The fix: a larger -Xmx where the machine has the memory (JavaCPP's off-heap limit follows -Xmx), else a smaller shape. */
    private String raise(long physical, String smaller) {
        if (heapBytes + offHeapBytes > physical * 9 / 10)
            return "this machine has " + size(physical) + " in all; " + smaller;
        long xmx = Math.max(heapBytes, offHeapBytes) * 5 / 4; // room for the data and the collector
        long gb = Math.max(1, (xmx + (1L << 30) - 1) >> 30);
        return "raise the limit with LOSSFLOOR_JAVA_OPTS=\"-Xmx" + gb + "g\" (this machine has " + size(physical) + ") or " + smaller;
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        return String.format(Locale.ROOT, "%d MB", (bytes + (1L << 20) - 1) >> 20);
    }
}
