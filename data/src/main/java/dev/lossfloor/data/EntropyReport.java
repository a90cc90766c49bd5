package dev.lossfloor.data;

import java.util.Locale;

/**
 * One entropy (usually a source's entropy rate) in every unit lossfloor prints: nats and bits, per character
 * and per UTF-8 byte, and the per-character perplexity. Built only through {@link InformationMetrics}.
 *
 * @param natsPerChar  nats per character (code point)
 * @param bitsPerChar  bits per character
 * @param natsPerByte  nats per UTF-8 byte = natsPerChar / bytesPerChar
 * @param bitsPerByte  bits per UTF-8 byte
 * @param perplexity   per-character perplexity e^natsPerChar
 * @param bytesPerChar expected UTF-8 bytes per character
 */
public record EntropyReport(double natsPerChar, double bitsPerChar, double natsPerByte, double bitsPerByte,
                            double perplexity, double bytesPerChar) {

    public static EntropyReport of(double natsPerChar, double bytesPerChar) {
        double natsPerByte = InformationMetrics.natsPerByte(natsPerChar, bytesPerChar);
        return new EntropyReport(natsPerChar, InformationMetrics.natsToBits(natsPerChar), natsPerByte,
                InformationMetrics.natsToBits(natsPerByte), InformationMetrics.perplexityFromNats(natsPerChar),
                bytesPerChar);
    }

    /** E.g. "0.8900 nats = 1.2840 bits/char, 1.2840 bits/byte (1.000 bytes/char)". */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.4f nats = %.4f bits/char, %.4f bits/byte (%.3f bytes/char)",
                natsPerChar, bitsPerChar, bitsPerByte, bytesPerChar);
    }
}
