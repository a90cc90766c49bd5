package dev.lossfloor.trainer;

import dev.lossfloor.data.TokenWindows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The training loop: epochs over the training split in non-overlapping windows taken in a seeded shuffled order,
 * one forward/backward per batch, global gradient-norm clipping, AdamW, and held-out evaluations: a full pass at
 * every epoch end (and where --max-steps stops a run early), and, with an {@link EvalCadence}, one at step 0 and one
 * every N steps on a fixed subset of the split. Evaluations draw no random numbers and change no state, so the
 * epoch-end values are the same to the last bit whatever the cadence.
 */
public final class Trainer {

    /** Progress callbacks; all optional. */
    public interface Listener {
        default void onStart(int totalSteps, int stepsPerEpoch) {}

        default void onStep(long step, int epoch, double loss, double lr) {}

        /** After every evaluation (step 0, between epoch ends, epoch ends). */
        default void onEvaluation(EpochMetrics metrics) {}
    }

    /** Where metrics and checkpoints are written; called only while the parameters are finite. */
    public interface RunHook {
        /** After an evaluation, before the checkpoint of the position that follows it. */
        void afterEvaluation(EpochMetrics metrics, Trainer trainer);

        /** Writes a checkpoint of the current position (epoch ends, every --checkpoint-every steps, a stop request). */
        void checkpoint(Trainer trainer);
    }

    /**
     * Where the loop stands: the next window of the current epoch's order, and the running sums that make the next
     * evaluation's train_nll (the mean since the previous evaluation). With the model and optimizer state it is all
     * a bit-exact resume needs: data order and dropout masks are functions of (seed, epoch) and (seed, step).
     */
    public record Position(long step, int epoch, int nextWindow, double intervalNats, long intervalTokens, long tokensSeen,
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
    private final HeldOutEvaluator evaluator, between;
    private final FloorReference floor, betweenFloor;
    private final EvalCadence cadence;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final int stepsPerEpoch, totalSteps, checkpointEvery;
    private long step, tokensSeen;
    private int epoch = 1, nextWindow;
    private double intervalNats, elapsedBefore;
    private long intervalTokens, startNanos;
    private boolean restored;
    private volatile boolean stopRequested;
    /** Scores the points between epoch ends beside training; null: in the training thread. */
    private BackgroundEvaluation background;
    /** The row of the evaluation running in the background, given its score. */
    private java.util.function.Function<HeldOutScore, EpochMetrics> pendingRow;

    public Trainer(GptModel model, TrainingSettings settings, int[] trainTokens, HeldOutEvaluator evaluator,
                   FloorReference floor, int checkpointEvery) {
        this(model, settings, trainTokens, evaluator, floor, checkpointEvery, EvalCadence.EPOCH_ENDS);
    }

    /**
     * @param floor   the known source's reference on the full held-out split (null on real text); its per-character
     *                NLL gives the subset's
     * @param cadence evaluations besides the epoch ends'
     */
    public Trainer(GptModel model, TrainingSettings settings, int[] trainTokens, HeldOutEvaluator evaluator,
                   FloorReference floor, int checkpointEvery, EvalCadence cadence) {
        this.model = model;
        this.cadence = cadence;
        this.settings = settings;
        this.windows = new TokenWindows(trainTokens, model.config().context());
        this.evaluator = evaluator;
        this.floor = floor;
        this.between = cadence.every() > 0 ? evaluator.subset(EvalCadence.SUBSET_TOKENS) : evaluator;
        this.betweenFloor = floor == null || between.isFull() ? floor : floor.over(between.scoredCharRanges());
        this.checkpointEvery = checkpointEvery;
        this.optimizer = new AdamW(model.parameters(), settings.beta1(), settings.beta2(), settings.epsilon(),
                settings.weightDecay());
        this.stepsPerEpoch = stepsPerEpoch(windows, settings);
        this.totalSteps = plannedSteps(trainTokens, model.config().context(), settings);
        this.schedule = new LearningRateSchedule(settings.lr(), settings.minLr(), settings.warmup(), totalSteps);
        model.setFastPathCapacity(settings.batch());
    }

    private static int stepsPerEpoch(TokenWindows windows, TrainingSettings settings) {
        return (windows.count() + settings.batch() - 1) / settings.batch();
    }

    /** The steps a run of these settings takes: all its epochs, or --max-steps where that is fewer. */
    public static int plannedSteps(int[] trainTokens, int context, TrainingSettings settings) {
        long planned = (long) stepsPerEpoch(new TokenWindows(trainTokens, context), settings) * settings.epochs();
        if (settings.maxSteps() > 0) planned = Math.min(planned, settings.maxSteps());
        return Math.toIntExact(planned);
    }

    public int stepsPerEpoch() { return stepsPerEpoch; }

    public int totalSteps() { return totalSteps; }

    public EvalCadence cadence() { return cadence; }

    /** What the evaluations between epoch ends score (the full evaluator where the split is small). */
    public HeldOutEvaluator betweenEvaluator() { return between; }

    public long step() { return step; }

    /** Epochs fully evaluated so far. */
    public int completedEpochs() { return epoch - 1; }

    public GptModel model() { return model; }

    public AdamW optimizer() { return optimizer; }

    public Position position() {
        return new Position(step, epoch, nextWindow, intervalNats, intervalTokens, tokensSeen, elapsedSeconds());
    }

    /** Continues from a checkpoint's position (the model and optimizer are restored separately). */
    public void restore(Position p) {
        step = p.step();
        epoch = p.epoch();
        nextWindow = p.nextWindow();
        intervalNats = p.intervalNats();
        intervalTokens = p.intervalTokens();
        tokensSeen = p.tokensSeen();
        elapsedBefore = p.elapsedSeconds();
        restored = true;
    }

    /**
     * Whether the points between epoch ends score a subset of the split and a core the training does not use is here
     * to score them (the fast passes only); see {@link #evaluateInBackground}.
     */
    public boolean canEvaluateInBackground(int trainingThreads) {
        // a point on the whole split may become the best checkpoint, which must hold the parameters it scored: those
        // are scored here, in the training thread (a split that small is quick to score)
        return cadence.every() > 0 && !between.isFull() && BackgroundEvaluation.worthwhile(model, trainingThreads);
    }

    /**
     * Scores the points between epoch ends on a copy of the parameters in a second thread, so that they cost the
     * training almost nothing; their values are the same as in the training thread. Call before {@link #run}.
     */
    public void evaluateInBackground() {
        if (between.isFull()) throw new IllegalStateException("points on the whole split are scored in the training thread");
        if (background == null) background = new BackgroundEvaluation(model, settings.batch());
    }

    /** Asks the loop to checkpoint and stop before its next step (safe to call from another thread). */
    public void requestStop() { stopRequested = true; }

    private double elapsedSeconds() { return elapsedBefore + (System.nanoTime() - startNanos) / 1e9; }

    public List<EpochMetrics> run(Listener listener, RunHook hook) {
        List<EpochMetrics> history = new ArrayList<>();
        try {
            loop(listener, hook, history);
        } catch (TrainingDivergedException e) {
            collect(listener, hook, history); // the points before the divergence are good
            throw e;
        } finally {
            if (background != null) background.close();
            background = null;
            pendingRow = null;
        }
        return history;
    }

    private void loop(Listener listener, RunHook hook, List<EpochMetrics> history) {
        int context = model.config().context(), batchSize = settings.batch();
        int[] inputs = new int[batchSize * context], targets = new int[batchSize * context];
        startNanos = System.nanoTime();
        listener.onStart(totalSteps, stepsPerEpoch);
        // a resumed run's step-0 evaluation is in its metrics already
        if (cadence.atStart() && step == 0 && !restored) history.add(evaluateBetween(0, listener, hook));
        // an epoch in progress is finished (and evaluated) even when its last step was the run's last
        while (epoch <= settings.epochs() && (step < totalSteps || nextWindow > 0)) {
            int[] order = windows.epochOrder(settings.seed(), epoch);
            while (nextWindow < order.length && step < totalSteps) {
                if (stopRequested) {
                    collect(listener, hook, history);
                    hook.checkpoint(this);
                    throw new StoppedException(step);
                }
                int batch = Math.min(batchSize, order.length - nextWindow);
                for (int b = 0; b < batch; b++)
                    windows.copyWindow(order[nextWindow + b], inputs, b * context, targets, b * context);
                double lr = schedule.at((int) step);
                double loss = trainStep(inputs, targets, batch, lr);
                int tokens = batch * context;
                intervalNats += loss * tokens;
                intervalTokens += tokens;
                tokensSeen += tokens;
                nextWindow += batch;
                step++;
                listener.onStep(step, epoch, loss, lr);
                if (background != null && background.done()) collect(listener, hook, history);
                // no point between epoch ends within half an interval of a full pass (every epoch but a run's last
                // one stopped by --max-steps is whole, so the last full pass was at the start of this epoch)
                long stepsToFullPass = Math.min(totalSteps - step, (order.length - nextWindow + batchSize - 1) / batchSize);
                long stepsSinceFullPass = step - (long) (epoch - 1) * stepsPerEpoch;
                if (stepsToFullPass > 0 && cadence.due(step) && 2 * stepsToFullPass >= cadence.every()
                        && (epoch == 1 || 2 * stepsSinceFullPass >= cadence.every())) {
                    double progress = epoch - 1 + (double) nextWindow / order.length;
                    if (background != null) startInBackground(progress, listener, hook, history);
                    else history.add(evaluateBetween(progress, listener, hook));
                }
                if (checkpointEvery > 0 && step % checkpointEvery == 0 && stepsToFullPass > 0) {
                    collect(listener, hook, history); // a resumed run must find every row up to its checkpoint
                    hook.checkpoint(this);
                }
            }
            collect(listener, hook, history);
            EpochMetrics end = row(evaluator.score(model), evaluator, floor, epoch - 1 + (double) nextWindow / order.length, true);
            // the position is the next epoch's start before the row is reported, so a checkpoint taken then (the best
            // one) is the same as the epoch-end checkpoint below
            intervalNats = 0;
            intervalTokens = 0;
            epoch++;
            nextWindow = 0;
            history.add(end);
            report(end, listener, hook);
            hook.checkpoint(this);
        }
    }

    /** Scores a point between epoch ends in this thread, reports its row and starts the next train_nll interval. */
    private EpochMetrics evaluateBetween(double epochProgress, Listener listener, RunHook hook) {
        EpochMetrics metrics = row(between.score(model), between, betweenFloor, epochProgress, false);
        intervalNats = 0;
        intervalTokens = 0;
        report(metrics, listener, hook);
        return metrics;
    }

    /** The row of an evaluation of the current position (and train_nll interval), once its score is known. */
    private EpochMetrics row(HeldOutScore val, HeldOutEvaluator scorer, FloorReference reference, double epochProgress,
                             boolean epochEnd) {
        return rowOfNow(scorer, reference, epochProgress, epochEnd).apply(val);
    }

    /** The row of the current position with its values taken now, completed by a score (that may come later). */
    private java.util.function.Function<HeldOutScore, EpochMetrics> rowOfNow(HeldOutEvaluator scorer, FloorReference reference,
                                                                        double epochProgress, boolean epochEnd) {
        int rowEpoch = epochEnd ? epoch : epoch - 1;
        long rowStep = step, rowTokens = tokensSeen;
        double lr = schedule.at((int) Math.max(step - 1, 0)), elapsed = elapsedSeconds(), fraction = scorer.fraction();
        Double trainNll = intervalTokens == 0 ? null : intervalNats / intervalTokens;
        Double floorBpc = reference == null ? null : reference.floorBpc(), trueBpc = reference == null ? null : reference.trueBpc();
        return val -> new EpochMetrics(rowEpoch, rowStep, rowTokens, lr, trainNll, val, floorBpc, trueBpc, elapsed, fraction,
                epochProgress, epochEnd);
    }

    private void report(EpochMetrics metrics, Listener listener, RunHook hook) {
        listener.onEvaluation(metrics);
        hook.afterEvaluation(metrics, this);
    }

    /** Starts a point between epoch ends on the background thread; its row is reported when collected. */
    private void startInBackground(double epochProgress, Listener listener, RunHook hook, List<EpochMetrics> history) {
        collect(listener, hook, history);
        // the row as of now (step, train_nll interval, elapsed time), completed by the score when it arrives
        pendingRow = rowOfNow(between, betweenFloor, epochProgress, false);
        intervalNats = 0;
        intervalTokens = 0;
        background.start(model, between);
    }

    /** Waits for the evaluation running in the background, if any, and reports its row. */
    private void collect(Listener listener, RunHook hook, List<EpochMetrics> history) {
        if (background == null || !background.running()) return;
        EpochMetrics metrics = pendingRow.apply(background.collect());
        pendingRow = null;
        history.add(metrics);
        report(metrics, listener, hook);
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
                    "training diverged at step %d (epoch %d): loss %s, gradient norm %s, learning rate %.3g%s; %s",
                    step + 1, epoch, loss, gradNorm, lr,
                    firstNonFinite == null ? "" : ", first non-finite gradient in parameter '" + firstNonFinite + "'",
                    divergenceHint(settings)));
        }
        double scale = settings.clip() > 0 && gradNorm > settings.clip() ? settings.clip() / (gradNorm + 1e-6) : 1.0;
        optimizer.step(grads, lr, scale);
        return loss;
    }

    /**
     * What to change after a divergence, from the settings that diverged: each suggestion differs from what the run
     * used (a hint to set what is already set helps nobody), and clipping is suggested only where it is off or loose.
     */
    static String divergenceHint(TrainingSettings s) {
        List<String> tries = new ArrayList<>();
        tries.add(String.format(java.util.Locale.ROOT, "a lower --lr (e.g. %s, a third of %s)", shortNumber(s.lr() / 3), shortNumber(s.lr())));
        tries.add(String.format(java.util.Locale.ROOT, "a longer --warmup (e.g. %d, was %d)", Math.max(100, 4 * s.warmup()), s.warmup()));
        if (!(s.clip() > 0 && s.clip() <= 1))
            tries.add(s.clip() > 0 ? "--clip 1.0 (was " + shortNumber(s.clip()) + ")" : "--clip 1.0 (clipping was off)");
        return "try " + String.join(", ", tries.subList(0, tries.size() - 1)) + " or " + tries.get(tries.size() - 1);
    }

    private static String shortNumber(double x) {
        return new java.math.BigDecimal(x).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
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
