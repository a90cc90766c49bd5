package dev.lossfloor.trainer;

import dev.lossfloor.data.SlidingWindowPlan;
import dev.lossfloor.tokenizer.Encoding;

/**
 * Scores held-out tokens with sliding windows of the context length, so that each scored token sees at least
 * context - stride tokens of context. The full evaluator scores every held-out token exactly once (all but the first,
 * which has no context); {@link #subset} scores a fixed, evenly spread selection of the same windows, the cheap
 * held-out points between epoch ends. The NLL is summed in double precision; bytes and characters are those of the
 * predicted tokens, so bits/char and bits/byte are exact for whatever is scored.
 */
public final class HeldOutEvaluator {
    /** Windows per SameDiff forward pass: large enough to amortise its per-call cost, small enough for memory. */
    static final int WINDOWS_PER_BATCH = 32;

    private final Encoding heldOut;
    private final SlidingWindowPlan plan;
    private final int context;
    /** The plan's windows this evaluator scores, in order; null for all of them. */
    private final int[] windows;
    private final long predictedTokens, predictedChars, predictedBytes;

    public HeldOutEvaluator(Encoding heldOut, int context, int stride) {
        this.heldOut = heldOut;
        this.context = context;
        this.plan = SlidingWindowPlan.of(heldOut.length(), context, stride);
        this.windows = null;
        this.predictedTokens = plan.scoredTokens();
        this.predictedChars = heldOut.chars(1, heldOut.length());
        this.predictedBytes = heldOut.bytes(1, heldOut.length());
    }

    private HeldOutEvaluator(HeldOutEvaluator full, int[] windows) {
        this.heldOut = full.heldOut;
        this.context = full.context;
        this.plan = full.plan;
        this.windows = windows;
        long tokens = 0, chars = 0, bytes = 0;
        for (int w : windows) {
            int from = scoredFrom(w), to = scoredTo(w);
            tokens += to - from;
            chars += heldOut.chars(from, to);
            bytes += heldOut.bytes(from, to);
        }
        this.predictedTokens = tokens;
        this.predictedChars = chars;
        this.predictedBytes = bytes;
    }

    /**
     * The evaluator of the points between epoch ends: whole windows of this plan, evenly spread over the split, that
     * score at least {@code minTokens} tokens; this evaluator itself when the split holds fewer than twice that (a
     * subset would save too little to be worth its noise). The same windows on every call.
     */
    public HeldOutEvaluator subset(long minTokens) {
        if (windows != null) throw new IllegalStateException("already a subset");
        int n = plan.size();
        if (predictedTokens < 2 * minTokens) return this;
        // pick k evenly spaced windows; each scores about a stride of tokens, so start from that estimate and grow
        int k = (int) Math.min(n, Math.max(1, Math.ceil((double) minTokens * n / predictedTokens)));
        while (true) {
            int[] picked = new int[k];
            long tokens = 0;
            for (int j = 0; j < k; j++) {
                picked[j] = (int) ((long) j * n / k);
                tokens += plan.scoredCount(picked[j]);
            }
            if (tokens >= minTokens || k == n) return new HeldOutEvaluator(this, picked);
            k = Math.min(n, k + Math.max(1, (int) Math.ceil((double) (minTokens - tokens) / plan.stride())));
        }
    }

    /** Whether this evaluator scores the whole held-out split. */
    public boolean isFull() { return windows == null; }

    /** The fraction of the held-out split's predicted tokens this evaluator scores (1.0 for the full pass). */
    public double fraction() { return (double) predictedTokens / plan.scoredTokens(); }

    public int stride() { return plan.size() > 1 ? plan.start(1) - plan.start(0) : context; }

    /** Held-out token index of window w's first scored target (target t of a window is token start + 1 + t). */
    private int scoredFrom(int w) { return plan.start(w) + 1 + plan.firstScored(w); }

    private int scoredTo(int w) { return plan.start(w) + 1 + context; }

    /**
     * Character ranges [from, to) of the held-out text that this evaluator's scored tokens cover, in the order
     * scored; the true model of a known source sums its NLL over exactly these (see {@link FloorReference#over}).
     */
    public long[][] scoredCharRanges() {
        int count = windows == null ? plan.size() : windows.length;
        long[][] ranges = new long[count][];
        int[] chars = heldOut.charsPerToken();
        long offset = 0;
        int token = 0;
        for (int j = 0; j < count; j++) {
            int w = windows == null ? j : windows[j];
            int from = scoredFrom(w), to = scoredTo(w);
            for (; token < from; token++) offset += chars[token];
            long start = offset;
            long end = start;
            for (int t = from; t < to; t++) end += chars[t];
            ranges[j] = new long[]{start, end};
        }
        return ranges;
    }

    /** Total NLL in nats of the predicted tokens, with their token, character and byte counts. */
    public HeldOutScore score(GptModel model) {
        int[] ids = heldOut.ids();
        double totalNats = 0;
        int count = windows == null ? plan.size() : windows.length;
        FastGpt fast = model.fastPath();
        int perPass = fast != null ? fast.capacity() : WINDOWS_PER_BATCH;
        int[] inputs = new int[perPass * context];
        int[] targets = new int[perPass * context];
        double[] nll = new double[perPass * context];
        for (int first = 0; first < count; first += perPass) {
            int batch = Math.min(perPass, count - first);
            int from = context - 1; // the first position any window of this pass scores
            for (int b = 0; b < batch; b++) {
                int w = window(first + b);
                int start = plan.start(w);
                System.arraycopy(ids, start, inputs, b * context, context);
                System.arraycopy(ids, start + 1, targets, b * context, context);
                from = Math.min(from, plan.firstScored(w));
            }
            if (fast != null) {
                fast.tokenNll(inputs, targets, batch, from, nll); // rows from..context-1 of each window
            } else {
                nll = model.tokenNll(model.feed(inputs, targets, batch, null)).toDoubleVector();
                from = 0;
            }
            int kept = context - from;
            for (int b = 0; b < batch; b++) {
                for (int t = plan.firstScored(window(first + b)); t < context; t++) {
                    totalNats += nll[b * kept + t - from];
                }
            }
        }
        return new HeldOutScore(totalNats, predictedTokens, predictedChars, predictedBytes);
    }

    private int window(int j) { return windows == null ? j : windows[j]; }

    public long predictedTokens() { return predictedTokens; }

    public long predictedChars() { return predictedChars; }

    public long predictedBytes() { return predictedBytes; }
}
