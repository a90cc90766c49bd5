package dev.lossfloor.trainer;

import dev.lossfloor.data.TokenWindows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The training loop: epochs over the training split in non-overlapping windows taken in a seeded shuffled order,
 * one forward/backward per batch, global gradient-norm clipping, AdamW, and a held-out evaluation at every epoch
 * end (and where --max-steps stops a run early). The graph is built once; nothing is rebuilt per step.
 */
public final class Trainer {

    /** Progress callbacks; all optional. */
    public interface Listener {
        default void onStart(int totalSteps, int stepsPerEpoch) {}

        default void onStep(long step, int epoch, double loss, double lr) {}

        default void onEpoch(EpochMetrics metrics) {}
    }

    /** Where metrics and checkpoints are written; called only while the parameters are finite. */
    public interface RunHook {
        /** After an evaluation, before the checkpoint of the position that follows it. */
        void afterEvaluation(EpochMetrics metrics, Trainer trainer);

        /** Writes a checkpoint of the current position (epoch ends, every --checkpoint-every steps, a stop request). */
        void checkpoint(Trainer trainer);
    }

    /**
     * Where the loop stands: the next window of the current epoch's order, and the running sums that make the
     * epoch's train_nll. With the model and optimizer state it is all a bit-exact resume needs: data order and
     * dropout masks are functions of (seed, epoch) and (seed, step).
     */
    public record Position(long step, int epoch, int nextWindow, double epochNats, long epochTokens, long tokensSeen,
                           double elapsedSeconds) {
        public static final Position START = new Position(0, 1, 0, 0, 0, 0, 0);
    }

    /** Thrown after a requested stop (Ctrl-C) once the checkpoint of the current position is written. */
    public static final class StoppedException extends RuntimeException {
        public StoppedException(long step) { super("stopped at step " + step); }
    }

    private final GptModel model;
    private final TrainingSettings settings;
    private final TokenWindows windows;
    private final HeldOutEvaluator evaluator;
    private final FloorReference floor;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final int stepsPerEpoch, totalSteps, checkpointEvery;
    private long step, tokensSeen;
    private int epoch = 1, nextWindow;
    private double epochNats, elapsedBefore;
    private long epochTokens, startNanos;
    private volatile boolean stopRequested;

    public Trainer(GptModel model, TrainingSettings settings, int[] trainTokens, HeldOutEvaluator evaluator,
                   FloorReference floor, int checkpointEvery) {
        this.model = model;
        this.settings = settings;
        this.windows = new TokenWindows(trainTokens, model.config().context());
        this.evaluator = evaluator;
        this.floor = floor;
        this.checkpointEvery = checkpointEvery;
        this.optimizer = new AdamW(model.parameters(), settings.beta1(), settings.beta2(), settings.epsilon(),
                settings.weightDecay());
        this.stepsPerEpoch = (windows.count() + settings.batch() - 1) / settings.batch();
        long planned = (long) stepsPerEpoch * settings.epochs();
        if (settings.maxSteps() > 0) planned = Math.min(planned, settings.maxSteps());
        this.totalSteps = Math.toIntExact(planned);
        this.schedule = new LearningRateSchedule(settings.lr(), settings.minLr(), settings.warmup(), totalSteps);
        model.setFastPathCapacity(settings.batch());
    }

    public int stepsPerEpoch() { return stepsPerEpoch; }

    public int totalSteps() { return totalSteps; }

    public long step() { return step; }

    /** Epochs fully evaluated so far. */
    public int completedEpochs() { return epoch - 1; }

    public GptModel model() { return model; }

    public AdamW optimizer() { return optimizer; }

    public Position position() {
        return new Position(step, epoch, nextWindow, epochNats, epochTokens, tokensSeen, elapsedSeconds());
    }

    /** Continues from a checkpoint's position (the model and optimizer are restored separately). */
    public void restore(Position p) {
        step = p.step();
        epoch = p.epoch();
        nextWindow = p.nextWindow();
        epochNats = p.epochNats();
        epochTokens = p.epochTokens();
        tokensSeen = p.tokensSeen();
        elapsedBefore = p.elapsedSeconds();
    }

    /** Asks the loop to checkpoint and stop before its next step (safe to call from another thread). */
    public void requestStop() { stopRequested = true; }

    private double elapsedSeconds() { return elapsedBefore + (System.nanoTime() - startNanos) / 1e9; }

    public List<EpochMetrics> run(Listener listener, RunHook hook) {
        int context = model.config().context(), batchSize = settings.batch();
        int[] inputs = new int[batchSize * context], targets = new int[batchSize * context];
        List<EpochMetrics> history = new ArrayList<>();
        startNanos = System.nanoTime();
        listener.onStart(totalSteps, stepsPerEpoch);
        // an epoch in progress is finished (and evaluated) even when its last step was the run's last
        while (epoch <= settings.epochs() && (step < totalSteps || nextWindow > 0)) {
            int[] order = windows.epochOrder(settings.seed(), epoch);
            while (nextWindow < order.length && step < totalSteps) {
                if (stopRequested) {
                    hook.checkpoint(this);
                    throw new StoppedException(step);
                }
                int batch = Math.min(batchSize, order.length - nextWindow);
                for (int b = 0; b < batch; b++)
                    windows.copyWindow(order[nextWindow + b], inputs, b * context, targets, b * context);
                double lr = schedule.at((int) step);
                double loss = trainStep(inputs, targets, batch, lr);
                int tokens = batch * context;
                epochNats += loss * tokens;
                epochTokens += tokens;
                tokensSeen += tokens;
                nextWindow += batch;
                step++;
                listener.onStep(step, epoch, loss, lr);
                if (checkpointEvery > 0 && step % checkpointEvery == 0 && nextWindow < order.length && step < totalSteps)
                    hook.checkpoint(this);
            }
            HeldOutScore val = evaluator.score(model);
            EpochMetrics metrics = new EpochMetrics(epoch, step, tokensSeen, schedule.at((int) Math.max(step - 1, 0)),
                    epochNats / epochTokens, val, floor == null ? null : floor.floorBpc(),
                    floor == null ? null : floor.trueBpc(), elapsedSeconds());
            history.add(metrics);
            listener.onEpoch(metrics);
            hook.afterEvaluation(metrics, this);
            epoch++;
            nextWindow = 0;
            epochNats = 0;
            epochTokens = 0;
            hook.checkpoint(this);
        }
        return history;
    }

    /**
     * One forward/backward and update; returns the batch's mean NLL in nats per token. The hand-written passes
     * (FastGpt) where they apply, else the SameDiff graph: the same loss and gradients (FastGptTest). Public so that
     * the speed benchmark times exactly what {@link #run} does per step.
     */
    public double trainStep(int[] inputs, int[] targets, int batch, double lr) {
        Random dropoutRng = model.config().dropout() > 0 ? new Random(settings.seed() * 1_000_003L + step) : null;
        FastGpt fast = model.fastPath();
        double loss;
        float[][] grads;
        if (fast != null) {
            loss = fast.lossAndGradients(inputs, targets, batch, dropoutRng);
            grads = fast.gradients();
        } else {
            GptModel.LossAndGradients out = model.lossAndGradients(model.feed(inputs, targets, batch, dropoutRng));
            loss = out.loss();
            grads = optimizer.toFloat(out.gradients());
        }
        double sumSquares = 0;
        String firstNonFinite = null;
        List<GptModel.Parameter> params = model.parameters();
        for (int i = 0; i < params.size(); i++) {
            double sq = sumOfSquares(grads[i]);
            if (!Double.isFinite(sq) && firstNonFinite == null) firstNonFinite = params.get(i).name();
            sumSquares += sq;
        }
        double gradNorm = Math.sqrt(sumSquares);
        if (!Double.isFinite(loss) || !Double.isFinite(gradNorm)) {
            throw new TrainingDivergedException(String.format(
                    "training diverged at step %d (epoch %d): loss %s, gradient norm %s, learning rate %.3g%s; "
                            + "try a lower --lr, a longer --warmup or --clip 1.0",
                    step + 1, epoch, loss, gradNorm, lr,
                    firstNonFinite == null ? "" : ", first non-finite gradient in parameter '" + firstNonFinite + "'"));
        }
        double scale = settings.clip() > 0 && gradNorm > settings.clip() ? settings.clip() / (gradNorm + 1e-6) : 1.0;
        optimizer.step(grads, lr, scale);
        return loss;
    }

    /** Sum of squares, accumulated in double per block of 1024 floats (float partial sums vectorise; blocks keep it exact enough). */
    static double sumOfSquares(float[] g) {
        double total = 0;
        for (int start = 0; start < g.length; start += 1024) {
            int end = Math.min(g.length, start + 1024);
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int j = start;
            for (; j + 3 < end; j += 4) {
                s0 += g[j] * g[j];
                s1 += g[j + 1] * g[j + 1];
                s2 += g[j + 2] * g[j + 2];
                s3 += g[j + 3] * g[j + 3];
            }
            for (; j < end; j++) s0 += g[j] * g[j];
            total += (double) s0 + s1 + s2 + s3;
        }
        return total;
    }
}
