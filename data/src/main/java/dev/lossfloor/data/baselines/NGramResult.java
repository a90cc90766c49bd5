package dev.lossfloor.data.baselines;

/**
 * A character n-gram model scored on a held-out text.
 *
 * @param smoothing   "kn" or "mkn" ({@link Smoothing#id()})
 * @param order       n: the model conditions on the previous n - 1 characters
 * @param natsPerChar mean negative log-likelihood per predicted character, in nats
 * @param bitsPerChar the same in bits per character
 * @param bitsPerByte total bits / UTF-8 bytes of the predicted text
 * @param chars       predicted characters (Unicode code points): every held-out character
 * @param bytes       UTF-8 bytes of the predicted characters
 */
public record NGramResult(String smoothing, int order, double natsPerChar, double bitsPerChar, double bitsPerByte,
                          long chars, long bytes) {
}
