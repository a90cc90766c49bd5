package dev.lossfloor.trainer;

import dev.lossfloor.data.SlidingWindowPlan;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Visits every predicted token of a text (all but the first) exactly once with the model's full log-probability
 * distribution, using the same sliding windows as {@link HeldOutEvaluator}: the basis of per-token surprisal,
 * predictive entropy, ranks and calibration.
 */
public final class PositionScorer {

    /** Receives, for the token at {@code index}, the model's log-probabilities (nats) over the vocabulary. */
    public interface Visitor {
        void visit(int index, int target, double[] logProbs);
    }

    private PositionScorer() {}

    public static void score(GptModel model, int[] ids, int stride, Visitor visitor) {
        int context = model.config().context(), vocab = model.config().vocabSize();
        SlidingWindowPlan plan = SlidingWindowPlan.of(ids.length, context, stride);
        FastGpt fast = model.fastPath();
        int perBatch = fast != null ? fast.capacity() : HeldOutEvaluator.WINDOWS_PER_BATCH;
        int[] inputs = new int[perBatch * context], targets = new int[perBatch * context];
        double[] logProbs = new double[vocab];
        double[] all = fast != null ? new double[perBatch * context * vocab] : null;
        for (int first = 0; first < plan.size(); first += perBatch) {
            int batch = Math.min(perBatch, plan.size() - first);
            for (int b = 0; b < batch; b++) {
                int start = plan.start(first + b);
                System.arraycopy(ids, start, inputs, b * context, context);
                System.arraycopy(ids, start + 1, targets, b * context, context);
            }
            double[] flat;
            if (fast != null) {
                fast.logProbabilities(inputs, batch, all); // already normalised: log-softmax below changes nothing
                flat = all;
            } else {
                INDArray logits = model.logits(inputs, batch);
                flat = logits.reshape(logits.length()).toDoubleVector();
            }
            for (int b = 0; b < batch; b++) {
                int start = plan.start(first + b);
                for (int t = plan.firstScored(first + b); t < context; t++) {
                    int row = (b * context + t) * vocab;
                    logSoftmax(flat, row, vocab, logProbs);
                    visitor.visit(start + t + 1, targets[b * context + t], logProbs);
                }
            }
        }
    }

    /** Log-softmax of one row in double precision (max-shifted). */
    static void logSoftmax(double[] logits, int offset, int n, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[offset + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(logits[offset + i] - max);
        double logSum = max + Math.log(sum);
        for (int i = 0; i < n; i++) out[i] = logits[offset + i] - logSum;
    }
}
