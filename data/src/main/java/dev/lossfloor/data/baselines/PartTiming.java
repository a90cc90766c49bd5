package dev.lossfloor.data.baselines;

/** Wall time of one part of {@link Baselines#compute}. */
public record PartTiming(String part, double seconds) {
}
