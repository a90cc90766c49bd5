package dev.lossfloor.data.baselines;

/**
 * Order-0 (maximum-likelihood unigram) entropy of a text: -sum_c p(c) log p(c) with p(c) = count(c) / chars.
 *
 * @param bitsPerChar the entropy in bits per character
 * @param natsPerChar the same in nats
 * @param chars       characters (code points) counted
 * @param distinct    distinct characters
 */
public record UnigramResult(double bitsPerChar, double natsPerChar, long chars, int distinct) {
}
