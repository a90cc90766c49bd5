package dev.lossfloor.trainer;

/** Linear warmup from 0 to the peak, then cosine decay to the minimum at the last step (nanoGPT's schedule). */
public record LearningRateSchedule(double peak, double min, int warmupSteps, int totalSteps) {

    public LearningRateSchedule {
        if (!(peak > 0)) throw new IllegalArgumentException("--lr must be positive, got " + peak);
        if (min < 0 || min > peak) throw new IllegalArgumentException("--min-lr must be in [0, --lr], got " + min);
        if (warmupSteps < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmupSteps);
    }

    /** Learning rate for the update with 0-based index {@code step}. */
    public double at(int step) {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        if (step >= totalSteps || totalSteps <= warmupSteps) return min;
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return min + 0.5 * (1 + Math.cos(Math.PI * progress)) * (peak - min);
    }
}
