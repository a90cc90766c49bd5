package dev.lossfloor.data;

import java.util.SplittableRandom;

/**
 * Training windows over a token stream. Window w covers tokens [w*context, w*context + context]
 * (context + 1 tokens): the first {@code context} are the inputs and the last {@code context},
 * shifted by one, the targets. Windows do not overlap except for that one shared boundary token,
 * so an epoch shows every token once; a tail shorter than a window is left out.
 *
 * <p>The token array is shared, not copied.
 */
public final class TokenWindows {

    private final int[] tokens;
    private final int context;
    private final int count;

    public TokenWindows(int[] tokens, int context) {
        if (context < 1) {
            throw new IllegalArgumentException("--context must be at least 1, got " + context);
        }
        this.tokens = tokens;
        this.context = context;
        this.count = tokens.length == 0 ? 0 : (tokens.length - 1) / context;
        if (count == 0) {
            throw new DataException("training split has " + tokens.length + " tokens; a window needs at least context+1 = "
                    + ((long) context + 1) + " tokens: use a longer corpus or a smaller --context");
        }
    }

    /** Number of windows, (tokens - 1) / context. */
    public int count() {
        return count;
    }

    public int context() {
        return context;
    }

    public int tokenCount() {
        return tokens.length;
    }

    /** Tokens that some window predicts: count() * context. */
    public long targetTokens() {
        return (long) count * context;
    }

    /**
     * A shuffled order of the windows 0..count()-1 that depends only on (seed, epoch), so a run
     * resumed at any epoch sees the same batches.
     */
    public int[] epochOrder(long seed, int epoch) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(mix(seed, epoch));
        for (int i = count - 1; i > 0; i--) { // Fisher–Yates
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    /** Copies window {@code window}'s inputs and targets ({@code context} ints each) into the given arrays. */
    public void copyWindow(int window, int[] inputDst, int inputOffset, int[] targetDst, int targetOffset) {
        if (window < 0 || window >= count) {
            throw new IndexOutOfBoundsException("window " + window + " is outside 0.." + (count - 1));
        }
        int start = window * context;
        System.arraycopy(tokens, start, inputDst, inputOffset, context);
        System.arraycopy(tokens, start + 1, targetDst, targetOffset, context);
    }

    /**
     * Fills a batch: row r (of to - from rows) gets window {@code windowIds[from + r]}, written at
     * offset r * context of the flat {@code inputs} and {@code targets} arrays (batch * context ints each).
     */
    public void fill(int[] windowIds, int from, int to, int[] inputs, int[] targets) {
        long needed = (long) (to - from) * context;
        if (from < 0 || to > windowIds.length || from > to) {
            throw new IndexOutOfBoundsException("batch range [" + from + ", " + to + ") is outside the "
                    + windowIds.length + " window ids");
        }
        if (inputs.length < needed || targets.length < needed) {
            throw new IllegalArgumentException("batch of " + (to - from) + " windows needs " + needed
                    + " ints per array, got inputs " + inputs.length + " and targets " + targets.length);
        }
        for (int r = 0; r < to - from; r++) {
            copyWindow(windowIds[from + r], inputs, r * context, targets, r * context);
        }
    }

    /** A well-spread 64-bit seed from (seed, epoch), so neighbouring epochs get unrelated streams. */
    private static long mix(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
