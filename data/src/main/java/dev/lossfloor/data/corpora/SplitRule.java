package dev.lossfloor.data.corpora;

import dev.lossfloor.data.DataException;
import dev.lossfloor.data.Split;
import dev.lossfloor.data.Splits;
import dev.lossfloor.data.TextFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** How a corpus is cut into train, validation and (optionally) test texts. */
public sealed interface SplitRule {

    /** One line for humans, e.g. "first 90% of the characters train, the rest validates". */
    String describe();

    /** Reads the resolved files and cuts them. */
    CorpusSplit apply(ResolvedCorpus corpus);

    /**
     * The first {@code floor(n * trainFraction)} of the n characters (code points) train and the rest validates:
     * nanoGPT's {@code data[:int(n*0.9)]}, {@code data[int(n*0.9):]}. Needs a single-file corpus.
     */
    record FirstFraction(double trainFraction) implements SplitRule {
        public FirstFraction {
            if (!(trainFraction > 0 && trainFraction < 1)) {
                throw new IllegalArgumentException("train fraction must be in (0, 1), got " + trainFraction);
            }
        }

        @Override
        public String describe() {
            return "first " + percent(trainFraction) + " of the characters train, the last " + percent(1 - trainFraction)
                    + " validate";
        }

        @Override
        public CorpusSplit apply(ResolvedCorpus corpus) {
            Path file = corpus.singleFile();
            String text = TextFiles.readUtf8(file);
            long n = text.codePointCount(0, text.length());
            if (n < 2) throw new DataException(file + " has " + n + " characters, too few to split " + describe());
            Split split = Splits.tail(text, 1 - trainFraction);
            return new CorpusSplit(split.train(), split.val(), null);
        }
    }

    /**
     * Consecutive blocks of {@code train}, {@code val} and {@code test} bytes (test may be 0: no test split),
     * which must add up to the file's size; the enwik8 convention (90M/5M/5M, Al-Rfou et al. 2018, Transformer-XL).
     * A cut that falls inside a multi-byte UTF-8 character moves forward to the start of the next character, so
     * every part decodes strictly and no character is lost or split; a cut moves by at most 3 bytes.
     */
    record ByteCounts(long train, long val, long test) implements SplitRule {
        public ByteCounts {
            requireCounts(train, val, test);
        }

        @Override
        public String describe() {
            return "bytes " + counts(train, val, test) + " (cuts moved forward to UTF-8 character boundaries)";
        }

        @Override
        public CorpusSplit apply(ResolvedCorpus corpus) {
            Path file = corpus.singleFile();
            byte[] bytes = readBytes(file);
            if (bytes.length != train + val + test) {
                throw new DataException(file + " has " + bytes.length + " bytes but the split " + counts(train, val, test)
                        + " needs " + (train + val + test) + "; check that it is the right file");
            }
            int cut1 = nextCharBoundary(bytes, (int) train);
            int cut2 = nextCharBoundary(bytes, (int) (train + val));
            String trainText = decodeStrict(bytes, 0, cut1, file);
            String valText = decodeStrict(bytes, cut1, cut2, file);
            String testText = test == 0 ? null : decodeStrict(bytes, cut2, bytes.length, file);
            if (trainText.isEmpty() || valText.isEmpty() || (testText != null && testText.isEmpty())) {
                throw new DataException(file + ": the split " + counts(train, val, test) + " leaves a part empty");
            }
            return new CorpusSplit(trainText, valText, testText);
        }
    }

    /**
     * Consecutive blocks of {@code train}, {@code val} and {@code test} characters (code points; test may be 0),
     * which must add up to the file's length in characters; the text8 convention (90M/5M/5M).
     */
    record CharCounts(long train, long val, long test) implements SplitRule {
        public CharCounts {
            requireCounts(train, val, test);
        }

        @Override
        public String describe() {
            return "characters " + counts(train, val, test);
        }

        @Override
        public CorpusSplit apply(ResolvedCorpus corpus) {
            Path file = corpus.singleFile();
            String text = TextFiles.readUtf8(file);
            long n = text.codePointCount(0, text.length());
            if (n != train + val + test) {
                throw new DataException(file + " has " + n + " characters but the split " + counts(train, val, test)
                        + " needs " + (train + val + test) + "; check that it is the right file");
            }
            int cut1 = text.offsetByCodePoints(0, (int) train);
            int cut2 = text.offsetByCodePoints(cut1, (int) val);
            return new CorpusSplit(text.substring(0, cut1), text.substring(cut1, cut2),
                    test == 0 ? null : text.substring(cut2));
        }
    }

    /** The corpus ships its splits as files (paths as in {@link CorpusFile#path()}); {@code test} may be null. */
    record SeparateFiles(String train, String val, String test) implements SplitRule {
        public SeparateFiles {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(val, "val");
        }

        @Override
        public String describe() {
            return "official files: train " + train + ", validation " + val + (test == null ? "" : ", test " + test);
        }

        @Override
        public CorpusSplit apply(ResolvedCorpus corpus) {
            return new CorpusSplit(TextFiles.readUtf8(corpus.path(train)), TextFiles.readUtf8(corpus.path(val)),
                    test == null ? null : TextFiles.readUtf8(corpus.path(test)));
        }
    }

    /**
     * The first offset at or after {@code offset} where a UTF-8 character starts (a byte that is not a
     * continuation byte 10xxxxxx), or {@code bytes.length}.
     */
    static int nextCharBoundary(byte[] bytes, int offset) {
        int i = offset;
        while (i < bytes.length && (bytes[i] & 0xC0) == 0x80) {
            i++;
        }
        return i;
    }

    private static void requireCounts(long train, long val, long test) {
        if (train <= 0 || val <= 0 || test < 0 || train + val + test > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("split counts must be train > 0, val > 0, test >= 0 and fit in an array, got "
                    + train + "/" + val + "/" + test);
        }
    }

    private static String counts(long train, long val, long test) {
        return String.format("%,d train / %,d val", train, val) + (test == 0 ? "" : String.format(" / %,d test", test));
    }

    private static String percent(double f) {
        // 6 significant digits: 1 - 0.9 prints as 10%, not 9.999999999999998%
        return java.math.BigDecimal.valueOf(f * 100).round(new java.math.MathContext(6)).stripTrailingZeros()
                .toPlainString() + "%";
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            throw new DataException("cannot read " + file + " (" + String.valueOf(e.getMessage()).replaceAll("\\s+", " ")
                    + "); check that it is readable and that -Xmx is large enough", e);
        }
    }

    /** Strict UTF-8 decoding of bytes[from, to); errors name the file and the absolute byte offset. */
    private static String decodeStrict(byte[] bytes, int from, int to, Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new DataException(file + ": invalid UTF-8 at byte offset " + in.position()
                    + "; check that it is the right file");
        }
        return out.flip().toString();
    }
}
