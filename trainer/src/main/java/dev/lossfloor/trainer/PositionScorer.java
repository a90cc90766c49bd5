package dev.lossfloor.trainer;

import dev.lossfloor.data.SlidingWindowPlan;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

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
        score(model, ids, stride, 1, visitor);
    }

    /**
     * As {@link #score(GptModel, int[], int, Visitor)}, computing up to {@code workers} batches of windows at once on
     * the fast path (one FastGpt per worker, results visited in text order, so the outcome does not depend on the
     * number of workers). Each worker's matrix products run single-threaded: batches in parallel scale better than
     * small products split across threads.
     */
    public static void score(GptModel model, int[] ids, int stride, int workers, Visitor visitor) {
        int context = model.config().context(), vocab = model.config().vocabSize();
        SlidingWindowPlan plan = SlidingWindowPlan.of(ids.length, context, stride);
        FastGpt fast = model.fastPath();
        if (fast == null) {
            scoreWithGraph(model, ids, plan, visitor);
            return;
        }
        // at most ~4M log-probabilities per batch: a GPT-2 vocabulary gets one window at a time
        int perBatch = Math.max(1, Math.min(fast.capacity(), 4_000_000 / (context * vocab)));
        int lanes = Math.max(1, workers);
        FastGpt[] engines = new FastGpt[lanes];
        engines[0] = fast;
        for (int k = 1; k < lanes; k++) engines[k] = new FastGpt(model, perBatch);
        int[][] inputs = new int[lanes][perBatch * context], targets = new int[lanes][perBatch * context];
        double[][] all = new double[lanes][perBatch * context * vocab];
        int[] from = new int[lanes]; // per lane: the first position any of its windows scores (the last block skips the rest)
        double[] logProbs = new double[vocab];
        ExecutorService pool = lanes > 1 ? Executors.newFixedThreadPool(lanes - 1, daemonThreads()) : null;
        try {
            for (int round = 0; round < plan.size(); round += lanes * perBatch) {
                List<Future<?>> pending = new ArrayList<>();
                Runnable onThisThread = null;
                for (int k = 0; k < lanes; k++) {
                    int first = round + k * perBatch;
                    if (first >= plan.size()) break;
                    int lane = k, batch = Math.min(perBatch, plan.size() - first);
                    from[k] = context - 1;
                    for (int b = 0; b < batch; b++) {
                        int start = plan.start(first + b);
                        System.arraycopy(ids, start, inputs[k], b * context, context);
                        System.arraycopy(ids, start + 1, targets[k], b * context, context);
                        from[k] = Math.min(from[k], plan.firstScored(first + b));
                    }
                    Runnable pass = () -> engines[lane].logProbabilities(inputs[lane], batch, from[lane], all[lane]);
                    if (k == 0) {
                        onThisThread = pass; // run after the other lanes are submitted, so that they overlap
                        pending.add(null);
                    } else {
                        pending.add(pool.submit(pass));
                    }
                }
                onThisThread.run();
                for (int k = 0; k < pending.size(); k++) {
                    if (pending.get(k) != null) await(pending.get(k));
                    int first = round + k * perBatch, batch = Math.min(perBatch, plan.size() - first);
                    for (int b = 0; b < batch; b++) {
                        int start = plan.start(first + b);
                        for (int t = plan.firstScored(first + b); t < context; t++) {
                            int row = (b * (context - from[k]) + t - from[k]) * vocab;
                            System.arraycopy(all[k], row, logProbs, 0, vocab);
                            visitor.visit(start + t + 1, targets[k][b * context + t], logProbs);
                        }
                    }
                }
            }
        } finally {
            if (pool != null) pool.shutdownNow();
        }
    }

    private static void scoreWithGraph(GptModel model, int[] ids, SlidingWindowPlan plan, Visitor visitor) {
        int context = model.config().context(), vocab = model.config().vocabSize();
        int perBatch = HeldOutEvaluator.WINDOWS_PER_BATCH;
        int[] inputs = new int[perBatch * context], targets = new int[perBatch * context];
        double[] logProbs = new double[vocab];
        for (int first = 0; first < plan.size(); first += perBatch) {
            int batch = Math.min(perBatch, plan.size() - first);
            for (int b = 0; b < batch; b++) {
                int start = plan.start(first + b);
                System.arraycopy(ids, start, inputs, b * context, context);
                System.arraycopy(ids, start + 1, targets, b * context, context);
            }
            INDArray logits = model.logits(inputs, batch);
            double[] flat = logits.reshape(logits.length()).toDoubleVector();
            for (int b = 0; b < batch; b++) {
                int start = plan.start(first + b);
                for (int t = plan.firstScored(first + b); t < context; t++) {
                    logSoftmax(flat, (b * context + t) * vocab, vocab, logProbs);
                    visitor.visit(start + t + 1, targets[b * context + t], logProbs);
                }
            }
        }
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scoring interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static ThreadFactory daemonThreads() {
        return r -> {
            Thread t = new Thread(r, "lossfloor-scorer");
            t.setDaemon(true);
            return t;
        };
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
