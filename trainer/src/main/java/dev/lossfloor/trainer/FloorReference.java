package dev.lossfloor.trainer;

import dev.lossfloor.data.InformationMetrics;

/**
 * What is known about the entropy of the data: the source's entropy rate (the floor) and the true model's NLL on
 * the very characters the model predicts (the empirical floor, so gap_bpc is free of sampling noise).
 */
public record FloorReference(double entropyRateNats, double trueTotalNats, long predictedChars) {

    public double floorBpc() { return InformationMetrics.natsToBits(entropyRateNats); }

    public double trueBpc() { return InformationMetrics.bitsPerChar(trueTotalNats, predictedChars); }
}
