package dev.lossfloor.data.baselines;

/**
 * A general-purpose compressor as an entropy baseline for a held-out text.
 *
 * <p>"Alone": the held-out text compressed by itself. "Conditional": what the held-out text adds once the
 * compressor has seen the training text, {@code compress(train + heldOut) - compress(train)}: an upper bound
 * on the held-out text's code length given the training text (as far as the compressor's window reaches).
 *
 * @param compressor                "deflate", "bzip2" or "xz"
 * @param settings                  the library and settings used
 * @param aloneBytes                compressed size of the held-out text alone, in bytes
 * @param trainBytes                compressed size of the training text alone
 * @param trainPlusHeldOutBytes     compressed size of training text followed by the held-out text
 * @param aloneBitsPerChar          8 x aloneBytes / held-out characters (code points)
 * @param aloneBitsPerByte          8 x aloneBytes / held-out UTF-8 bytes
 * @param conditionalBitsPerChar    8 x (trainPlusHeldOutBytes - trainBytes) / held-out characters
 * @param conditionalBitsPerByte    8 x (trainPlusHeldOutBytes - trainBytes) / held-out UTF-8 bytes
 * @param chars                     held-out characters
 * @param bytes                     held-out UTF-8 bytes
 * @param seconds                   wall time of the three compressions
 */
public record CompressionResult(String compressor, String settings, long aloneBytes, long trainBytes,
                                long trainPlusHeldOutBytes, double aloneBitsPerChar, double aloneBitsPerByte,
                                double conditionalBitsPerChar, double conditionalBitsPerByte, long chars, long bytes,
                                double seconds) {
}
