package dev.lossfloor.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Strict reading of UTF-8 corpora, with errors that point at the offending file and byte. */
public final class TextFiles {

    private static final String DEFAULT_EMPTY_HINT = "with some text";

    private TextFiles() {
    }

    /** Reads a UTF-8 text file strictly; a leading byte order mark is dropped. */
    public static String readUtf8(Path file) {
        return readUtf8(file, DEFAULT_EMPTY_HINT);
    }

    /**
     * Reads a UTF-8 text file strictly. {@code emptyHint} finishes the message for an empty file,
     * e.g. "with at least 1025 characters (--context 1024)", giving
     * "&lt;file&gt; is empty; give a UTF-8 text file with at least 1025 characters (--context 1024)".
     */
    public static String readUtf8(Path file, String emptyHint) {
        byte[] bytes = readBytes(file);
        if (bytes.length == 0) {
            throw new DataException(file + " is empty; give a UTF-8 text file " + emptyHint);
        }
        return decodeUtf8(bytes, file.toString());
    }

    /**
     * Decodes UTF-8 strictly; {@code source} names the data in the error message. Malformed
     * input is reported with the byte offset of its first bad byte, so it can be found with a hex viewer.
     */
    public static String decodeUtf8(byte[] bytes, String source) {
        // Skip a UTF-8 byte order mark: some editors write one, and it is not part of the text.
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        // UTF-8 never needs more UTF-16 chars than bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            // On an error the input buffer stands at the first byte of the malformed sequence.
            throw new DataException(source + ": invalid UTF-8 at byte offset " + in.position()
                    + "; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)");
        }
        out.flip();
        return out.toString();
    }

    /** Lower-case hex SHA-256 of a text's UTF-8 bytes (e.g. a generated synthetic sample). */
    public static String sha256(String text) {
        MessageDigest digest = newSha256();
        digest.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256, which every Java runtime must provide", e);
        }
    }

    /** Lower-case hex SHA-256 of a file's bytes, to record exactly which corpus a run used. */
    public static String sha256(Path file) {
        MessageDigest digest = newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw readError(file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] readBytes(Path file) {
        if (Files.isDirectory(file)) {
            throw new DataException(file + " is a directory; give the path of a UTF-8 text file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            throw readError(file, e);
        }
    }

    private static DataException readError(Path file, Throwable e) {
        if (e instanceof NoSuchFileException) {
            return new DataException(file + " not found; check the path", e);
        }
        if (e instanceof AccessDeniedException) {
            return new DataException(file + " is not readable (permission denied); check the file permissions", e);
        }
        if (e instanceof OutOfMemoryError) {
            return new DataException(file + " is too large to load into memory; use a smaller file or raise -Xmx", e);
        }
        String reason = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
        return new DataException("cannot read " + file + " (" + reason + "); check that it is a readable file", e);
    }
}
