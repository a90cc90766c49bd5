package dev.lossfloor.trainer;

import dev.lossfloor.data.SlidingWindowPlan;
import dev.lossfloor.tokenizer.Encoding;

/**
 * Scores every held-out token exactly once (all but the first, which has no context) with sliding windows of the
 * context length, so that each scored token sees at least context - stride tokens of context. The NLL is summed in
 * double precision; bytes and characters are those of the predicted tokens, so bits/char and bits/byte are exact.
 */
public final class HeldOutEvaluator {
    /** Windows per SameDiff forward pass: large enough to amortise its per-call cost, small enough for memory. */
    static final int WINDOWS_PER_BATCH = 32;

    private final Encoding heldOut;
    private final SlidingWindowPlan plan;
    private final int context;
    private final long predictedChars, predictedBytes;

    public HeldOutEvaluator(Encoding heldOut, int context, int stride) {
        this.heldOut = heldOut;
        this.context = context;
        this.plan = SlidingWindowPlan.of(heldOut.length(), context, stride);
        this.predictedChars = heldOut.chars(1, heldOut.length());
        this.predictedBytes = heldOut.bytes(1, heldOut.length());
    }

    public int stride() { return plan.size() > 1 ? plan.start(1) - plan.start(0) : context; }

    /** Total NLL in nats of the predicted tokens, with their token, character and byte counts. */
    public HeldOutScore score(GptModel model) {
        int[] ids = heldOut.ids();
        double totalNats = 0;
        int windows = plan.size();
        FastGpt fast = model.fastPath();
        int perPass = fast != null ? fast.capacity() : WINDOWS_PER_BATCH;
        int[] inputs = new int[perPass * context];
        int[] targets = new int[perPass * context];
        double[] nll = new double[perPass * context];
        for (int first = 0; first < windows; first += perPass) {
            int batch = Math.min(perPass, windows - first);
            int from = context - 1; // the first position any window of this pass scores
            for (int b = 0; b < batch; b++) {
                int start = plan.start(first + b);
                System.arraycopy(ids, start, inputs, b * context, context);
                System.arraycopy(ids, start + 1, targets, b * context, context);
                from = Math.min(from, plan.firstScored(first + b));
            }
            if (fast != null) {
                fast.tokenNll(inputs, targets, batch, from, nll); // rows from..context-1 of each window
            } else {
                nll = model.tokenNll(model.feed(inputs, targets, batch, null)).toDoubleVector();
                from = 0;
            }
            int kept = context - from;
            for (int b = 0; b < batch; b++) {
                for (int t = plan.firstScored(first + b); t < context; t++) {
                    totalNats += nll[b * kept + t - from];
                }
            }
        }
        return new HeldOutScore(totalNats, plan.scoredTokens(), predictedChars, predictedBytes);
    }

    public long predictedTokens() { return plan.scoredTokens(); }

    public long predictedChars() { return predictedChars; }

    public long predictedBytes() { return predictedBytes; }
}
