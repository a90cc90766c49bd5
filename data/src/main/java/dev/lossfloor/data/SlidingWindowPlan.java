package dev.lossfloor.data;

/**
 * Which windows to run over a held-out token stream so that every token except the first is
 * scored exactly once, with as much context as the stride allows.
 *
 * <p>Window i starts at {@link #start(int)}: inputs are tokens [start, start+context) and targets
 * tokens [start+1, start+context]. Starts are 0, stride, 2*stride, ... while start + context &lt;=
 * tokenCount - 1, plus one window aligned to the end if the last regular one stops short. The
 * first window scores all its targets; each later one scores only the targets after the previous
 * window's last, i.e. targets firstScored(i)..context-1, which see at least context - stride
 * earlier tokens. Positions are computed, not stored, so a plan costs O(1) memory.
 */
public final class SlidingWindowPlan {

    private final int tokenCount;
    private final int context;
    private final int stride;
    private final int regular; // windows at multiples of stride
    private final boolean endWindow; // one extra window aligned to the end

    private SlidingWindowPlan(int tokenCount, int context, int stride) {
        this.tokenCount = tokenCount;
        this.context = context;
        this.stride = stride;
        int lastStart = tokenCount - 1 - context;
        this.regular = lastStart / stride + 1;
        this.endWindow = (long) (regular - 1) * stride != lastStart;
    }

    public static SlidingWindowPlan of(int tokenCount, int context, int stride) {
        if (context < 1) {
            throw new IllegalArgumentException("--context must be at least 1, got " + context);
        }
        if (stride < 1 || stride > context) {
            throw new IllegalArgumentException("--eval-stride must be between 1 and the context length " + context
                    + ", got " + stride);
        }
        if (tokenCount < (long) context + 1) {
            throw new DataException("held-out split has " + tokenCount + " tokens; it needs at least context+1 = "
                    + ((long) context + 1) + " tokens: use a larger --val-fraction, a longer corpus or a smaller --context");
        }
        return new SlidingWindowPlan(tokenCount, context, stride);
    }

    /** Number of windows. */
    public int size() {
        return regular + (endWindow ? 1 : 0);
    }

    /** First input token of window i. */
    public int start(int i) {
        checkIndex(i);
        return i < regular ? i * stride : tokenCount - 1 - context;
    }

    /** Index within window i's targets (0..context-1) of its first scored target. */
    public int firstScored(int i) {
        checkIndex(i);
        if (i == 0) {
            return 0;
        }
        // The previous window's last target is token start(i-1) + context; the next token is the
        // first new one, and target t of this window is token start(i) + 1 + t.
        return start(i - 1) + context - start(i);
    }

    /** Targets scored by window i: context - firstScored(i). */
    public int scoredCount(int i) {
        return context - firstScored(i);
    }

    /** Total scored targets: every token but the first, tokenCount - 1. */
    public long scoredTokens() {
        return tokenCount - 1L;
    }

    public int tokenCount() {
        return tokenCount;
    }

    public int context() {
        return context;
    }

    public int stride() {
        return stride;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("window " + i + " is outside 0.." + (size() - 1));
        }
    }
}
