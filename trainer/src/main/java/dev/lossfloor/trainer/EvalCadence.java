package dev.lossfloor.trainer;

/**
 * When the held-out split is scored besides the full pass at every epoch end: at step 0 (the untrained model) and
 * every {@code every} steps, on a fixed subset of the split ({@link HeldOutEvaluator#subset}). {@code every = 0}
 * means epoch ends only.
 */
public record EvalCadence(int every) {
    /** Evaluations a run gets by default, whatever its length, so that the fall toward the floor is drawn. */
    public static final int DEFAULT_POINTS = 40;
    /** Tokens the evaluations between epoch ends score at least (the whole split where it is under twice this). */
    public static final int SUBSET_TOKENS = 8_192;
    public static final EvalCadence EPOCH_ENDS = new EvalCadence(0);

    public EvalCadence {
        if (every < 0) throw new IllegalArgumentException("evaluation interval must be >= 0 steps (0 = epoch ends only), got " + every);
    }

    /** About {@link #DEFAULT_POINTS} evaluations over {@code totalSteps}. */
    public static EvalCadence spread(int totalSteps) {
        return new EvalCadence(Math.max(1, (int) Math.round((double) totalSteps / DEFAULT_POINTS)));
    }

    /** Whether the untrained model is scored before the first step. */
    public boolean atStart() { return every > 0; }

    /** Whether an evaluation falls after this many steps. */
    public boolean due(long step) { return every > 0 && step % every == 0; }
}
