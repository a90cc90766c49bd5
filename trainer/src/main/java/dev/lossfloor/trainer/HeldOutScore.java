package dev.lossfloor.trainer;

import dev.lossfloor.data.InformationMetrics;

/** The summed NLL of a held-out text and the units it can be expressed in. */
public record HeldOutScore(double totalNats, long tokens, long chars, long bytes) {

    public double natsPerToken() { return InformationMetrics.perUnit(totalNats, tokens); }

    public double perplexity() { return InformationMetrics.perplexityFromNats(natsPerToken()); }

    public double bitsPerToken() { return InformationMetrics.natsToBits(natsPerToken()); }

    public double bitsPerChar() { return InformationMetrics.bitsPerChar(totalNats, chars); }

    public double bitsPerByte() { return InformationMetrics.bitsPerByte(totalNats, bytes); }
}
