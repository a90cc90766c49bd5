package dev.lossfloor.trainer;

/**
 * Optimisation settings. Defaults follow nanoGPT's Shakespeare-char recipe: AdamW (0.9, 0.99), weight decay 0.1 on
 * 2-D weights, gradient-norm clip 1.0, warmup then cosine decay to lr/10.
 */
public record TrainingSettings(int batch, double lr, double minLr, int warmup, double weightDecay, double clip,
                               long seed, int epochs, int maxSteps, double beta1, double beta2, double epsilon) {

    public TrainingSettings {
        check(batch >= 1, "--batch must be at least 1, got " + batch);
        check(lr > 0 && Double.isFinite(lr), "--lr must be a positive number, got " + lr);
        check(minLr >= 0 && minLr <= lr, "--min-lr must be between 0 and --lr (" + lr + "), got " + minLr);
        check(warmup >= 0, "--warmup must be >= 0 steps, got " + warmup);
        check(weightDecay >= 0, "--weight-decay must be >= 0, got " + weightDecay);
        check(clip >= 0, "--clip must be >= 0 (0 turns clipping off), got " + clip);
        check(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        check(maxSteps >= 0, "--max-steps must be >= 0 (0 means no limit), got " + maxSteps);
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
