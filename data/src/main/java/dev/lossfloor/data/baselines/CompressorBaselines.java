package dev.lossfloor.data.baselines;

import dev.lossfloor.data.InformationMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;
import org.tukaani.xz.XZOutputStream;

/** Compressed sizes of a held-out text, alone and conditional on a training text, as entropy upper bounds. */
public final class CompressorBaselines {

    /** The compressors, each at its strongest standard setting. */
    public enum Compressor {
        /** java.util.zip.Deflater level 9, raw DEFLATE stream (no zlib header or checksum: gzip -9 minus 18 bytes). */
        DEFLATE("deflate", "java.util.zip.Deflater level 9, raw DEFLATE (no zlib/gzip wrapper)"),
        /** bzip2 block size 900k (bzip2 -9), Apache Commons Compress. */
        BZIP2("bzip2", "Apache Commons Compress BZip2CompressorOutputStream, block size 900k (bzip2 -9)"),
        /**
         * xz preset 9 extreme (xz -9e: LZMA2, BT4 match finder, nice length 273, depth 512), XZ for Java, CRC64
         * check; the dictionary is the input size (at least 4 KiB, at most -9's 64 MiB): a dictionary that holds
         * the whole input compresses exactly as a larger one, and keeps the encoder within a small heap.
         */
        XZ("xz", "XZ for Java, preset 9 extreme (xz -9e: BT4, nice 273, depth 512), dictionary = input size, CRC64");

        private final String id;
        private final String settings;

        Compressor(String id, String settings) {
            this.id = id;
            this.settings = settings;
        }

        public String id() {
            return id;
        }

        public String settings() {
            return settings;
        }

        /** The compressed size of {@code data} in bytes. */
        public long compressedSize(byte[] data) {
            try {
                return switch (this) {
                    case DEFLATE -> deflate(data);
                    case BZIP2 -> {
                        CountingOutputStream count = new CountingOutputStream();
                        try (OutputStream out = new BZip2CompressorOutputStream(count, 9)) {
                            out.write(data);
                        }
                        yield count.count;
                    }
                    case XZ -> {
                        CountingOutputStream count = new CountingOutputStream();
                        try (OutputStream out = new XZOutputStream(count, xzOptions(data.length))) {
                            out.write(data);
                        }
                        yield count.count;
                    }
                };
            } catch (IOException e) {
                throw new UncheckedIOException(id + " failed on " + data.length + " bytes in memory", e);
            }
        }
    }

    private CompressorBaselines() {
    }

    /** Every compressor on {@code heldOut}, alone and after {@code train}. */
    public static List<CompressionResult> compute(String train, String heldOut) {
        List<CompressionResult> out = new ArrayList<>();
        for (Compressor c : Compressor.values()) out.add(compute(c, train, heldOut));
        return out;
    }

    public static CompressionResult compute(Compressor compressor, String train, String heldOut) {
        byte[] trainUtf8 = train.getBytes(StandardCharsets.UTF_8);
        byte[] heldOutUtf8 = heldOut.getBytes(StandardCharsets.UTF_8);
        long chars = heldOut.codePointCount(0, heldOut.length());
        if (chars == 0) throw new IllegalArgumentException("the held-out text is empty");
        byte[] both = new byte[trainUtf8.length + heldOutUtf8.length];
        System.arraycopy(trainUtf8, 0, both, 0, trainUtf8.length);
        System.arraycopy(heldOutUtf8, 0, both, trainUtf8.length, heldOutUtf8.length);
        long start = System.nanoTime();
        long alone = compressor.compressedSize(heldOutUtf8);
        long trainOnly = compressor.compressedSize(trainUtf8);
        long joint = compressor.compressedSize(both);
        double seconds = (System.nanoTime() - start) / 1e9;
        double aloneBits = 8.0 * alone;
        double conditionalBits = 8.0 * (joint - trainOnly);
        return new CompressionResult(compressor.id(), compressor.settings(), alone, trainOnly, joint,
                InformationMetrics.perUnit(aloneBits, chars), InformationMetrics.perUnit(aloneBits, heldOutUtf8.length),
                InformationMetrics.perUnit(conditionalBits, chars),
                InformationMetrics.perUnit(conditionalBits, heldOutUtf8.length), chars, heldOutUtf8.length, seconds);
    }

    private static long deflate(byte[] data) {
        Deflater deflater = new Deflater(9, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] buffer = new byte[1 << 16];
            long size = 0;
            while (!deflater.finished()) size += deflater.deflate(buffer);
            return size;
        } finally {
            deflater.end();
        }
    }

    static LZMA2Options xzOptions(int inputLength) throws UnsupportedOptionsException {
        LZMA2Options options = new LZMA2Options(9);
        // xz's --extreme on top of preset 9 (liblzma lzma_lzma_preset): normal mode, BT4, nice 273, depth 512
        options.setMode(LZMA2Options.MODE_NORMAL);
        options.setMatchFinder(LZMA2Options.MF_BT4);
        options.setNiceLen(273);
        options.setDepthLimit(512);
        options.setDictSize(Math.max(LZMA2Options.DICT_SIZE_MIN, Math.min(options.getDictSize(), inputLength)));
        return options;
    }

    /** Discards what is written and counts the bytes. */
    private static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
