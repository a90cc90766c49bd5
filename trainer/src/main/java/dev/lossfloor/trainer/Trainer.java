package dev.lossfloor.trainer;

import dev.lossfloor.data.TokenWindows;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** Called after each evaluation with finite parameters: where checkpoints are written. */
    public interface EpochEndHook {
        void afterEpoch(EpochMetrics metrics, Trainer trainer);
    }

    private final GptModel model;
    private final TrainingSettings settings;
    private final TokenWindows windows;
    private final HeldOutEvaluator evaluator;
    private final FloorReference floor;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final int stepsPerEpoch, totalSteps;
    private long step;
    private int epoch;

    public Trainer(GptModel model, TrainingSettings settings, int[] trainTokens, HeldOutEvaluator evaluator,
                   FloorReference floor) {
        this.model = model;
        this.settings = settings;
        this.windows = new TokenWindows(trainTokens, model.config().context());
        this.evaluator = evaluator;
        this.floor = floor;
        this.optimizer = new AdamW(model.parameters(), settings.beta1(), settings.beta2(), settings.epsilon(),
                settings.weightDecay());
        this.stepsPerEpoch = (windows.count() + settings.batch() - 1) / settings.batch();
        long planned = (long) stepsPerEpoch * settings.epochs();
        if (settings.maxSteps() > 0) planned = Math.min(planned, settings.maxSteps());
        this.totalSteps = Math.toIntExact(planned);
        this.schedule = new LearningRateSchedule(settings.lr(), settings.minLr(), settings.warmup(), totalSteps);
    }

    public int stepsPerEpoch() { return stepsPerEpoch; }

    public int totalSteps() { return totalSteps; }

    public long step() { return step; }

    public int epoch() { return epoch; }

    public GptModel model() { return model; }

    public AdamW optimizer() { return optimizer; }

    public List<EpochMetrics> run(Listener listener, EpochEndHook hook) {
        int context = model.config().context(), batchSize = settings.batch();
        int[] inputs = new int[batchSize * context], targets = new int[batchSize * context];
        List<EpochMetrics> history = new ArrayList<>();
        long tokensSeen = 0;
        long startNanos = System.nanoTime();
        listener.onStart(totalSteps, stepsPerEpoch);
        for (epoch = 1; epoch <= settings.epochs() && step < totalSteps; epoch++) {
            int[] order = windows.epochOrder(settings.seed(), epoch);
            double epochNats = 0;
            long epochTokens = 0;
            double lr = schedule.at((int) step);
            for (int first = 0; first < order.length && step < totalSteps; first += batchSize) {
                int batch = Math.min(batchSize, order.length - first);
                for (int b = 0; b < batch; b++)
                    windows.copyWindow(order[first + b], inputs, b * context, targets, b * context);
                lr = schedule.at((int) step);
                double loss = trainStep(inputs, targets, batch, lr);
                int tokens = batch * context;
                epochNats += loss * tokens;
                epochTokens += tokens;
                tokensSeen += tokens;
                step++;
                listener.onStep(step, epoch, loss, lr);
            }
            HeldOutScore val = evaluator.score(model);
            EpochMetrics metrics = new EpochMetrics(epoch, step, tokensSeen, lr, epochNats / epochTokens, val,
                    floor == null ? null : floor.floorBpc(), floor == null ? null : floor.trueBpc(),
                    (System.nanoTime() - startNanos) / 1e9);
            history.add(metrics);
            listener.onEpoch(metrics);
            if (hook != null) hook.afterEpoch(metrics, this);
        }
        return history;
    }

    /** One forward/backward and update; returns the batch's mean NLL in nats per token. */
    private double trainStep(int[] inputs, int[] targets, int batch, double lr) {
        Random dropoutRng = model.config().dropout() > 0 ? new Random(settings.seed() * 1_000_003L + step) : null;
        Map<String, INDArray> feed = model.feed(inputs, targets, batch, dropoutRng);
        GptModel.LossAndGradients out = model.lossAndGradients(feed);
        Map<String, INDArray> grads = out.gradients();
        double sumSquares = 0;
        String firstNonFinite = null;
        for (GptModel.Parameter p : model.parameters()) {
            double norm = grads.get(p.name()).norm2Number().doubleValue();
            if (!Double.isFinite(norm) && firstNonFinite == null) firstNonFinite = p.name();
            sumSquares += norm * norm;
        }
        double gradNorm = Math.sqrt(sumSquares);
        if (!Double.isFinite(out.loss()) || !Double.isFinite(gradNorm)) {
            throw new TrainingDivergedException(String.format(
                    "training diverged at step %d (epoch %d): loss %s, gradient norm %s, learning rate %.3g%s; "
                            + "try a lower --lr, a longer --warmup or --clip 1.0",
                    step + 1, epoch, out.loss(), gradNorm, lr,
                    firstNonFinite == null ? "" : ", first non-finite gradient in parameter '" + firstNonFinite + "'"));
        }
        if (settings.clip() > 0 && gradNorm > settings.clip()) {
            double scale = settings.clip() / (gradNorm + 1e-6);
            for (INDArray g : grads.values()) g.muli(scale);
        }
        optimizer.step(grads, lr);
        return out.loss();
    }

    /** Restores the loop position after a checkpoint written at an epoch end. */
    public void restorePosition(long step, int completedEpochs) {
        this.step = step;
        this.epoch = completedEpochs;
    }
}
