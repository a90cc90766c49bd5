package dev.lossfloor.trainer;

/** A non-finite loss or gradient: training stops with a diagnosis instead of writing NaN parameters. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) { super(message); }
}
