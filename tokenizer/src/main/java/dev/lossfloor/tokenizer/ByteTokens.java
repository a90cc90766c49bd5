package dev.lossfloor.tokenizer;

/**
 * The byte strings of a byte-level vocabulary (BPE, GPT-2) and the exact byte and character accounting of a token
 * sequence over it.
 *
 * <p>A token may end in the middle of a multi-byte UTF-8 character (GPT-2 splits most CJK characters). The rule: a
 * character belongs to the token that holds its LAST byte. Every token covers its bytes exactly, so the byte counts
 * sum to the text's UTF-8 length, and every character has exactly one last byte, so the character counts sum to
 * the code point count. On a byte string that is not valid UTF-8 (the byte-level API accepts any) a "character" ends
 * at every byte that is not followed by a continuation byte (10xxxxxx), which on valid UTF-8 is exactly the end of
 * each code point.
 */
final class ByteTokens {
    private final byte[][] bytes;
    /** Characters that end inside the token, before its last byte. */
    private final int[] innerEnds;
    /** Whether the token's first byte is a continuation byte (then the previous token's last byte ends no character). */
    private final boolean[] startsWithContinuation;

    ByteTokens(byte[][] bytes) {
        this.bytes = bytes;
        this.innerEnds = new int[bytes.length];
        this.startsWithContinuation = new boolean[bytes.length];
        for (int id = 0; id < bytes.length; id++) {
            byte[] b = bytes[id];
            int ends = 0;
            for (int k = 0; k + 1 < b.length; k++) {
                if (!isContinuation(b[k + 1])) {
                    ends++;
                }
            }
            innerEnds[id] = ends;
            startsWithContinuation[id] = b.length > 0 && isContinuation(b[0]);
        }
    }

    static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    int size() {
        return bytes.length;
    }

    byte[] bytes(int id) {
        return bytes[id];
    }

    int length(int id) {
        return bytes[id].length;
    }

    /** The encoding of {@code ids} with exact per-token byte and character counts (see the class comment). */
    Encoding encoding(int[] ids, int unknownCount) {
        int n = ids.length;
        int[] bytesPerToken = new int[n];
        int[] charsPerToken = new int[n];
        for (int i = 0; i < n; i++) {
            int id = ids[i];
            bytesPerToken[i] = bytes[id].length;
            boolean lastByteEnds = i + 1 == n || !startsWithContinuation[ids[i + 1]];
            charsPerToken[i] = innerEnds[id] + (lastByteEnds ? 1 : 0);
        }
        return new Encoding(ids, bytesPerToken, charsPerToken, unknownCount);
    }

    /** The concatenated bytes of {@code ids}; an id outside the vocabulary is a one-line error naming the tokenizer. */
    byte[] concat(int[] ids, String name) {
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= bytes.length) {
                throw new IllegalArgumentException("token id " + id + " at position " + i + " is outside the " + name
                        + " vocabulary 0.." + (bytes.length - 1) + "; the ids come from a different tokenizer");
            }
            total += bytes[id].length;
        }
        byte[] out = new byte[Math.toIntExact(total)];
        int at = 0;
        for (int id : ids) {
            byte[] b = bytes[id];
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    /** Printable form of a token: its text when it is whole UTF-8, else its bytes as 0xNN. */
    String display(int id) {
        byte[] b = bytes[id];
        if (b.length == 1 && (b[0] & 0xFF) >= 0x80) {
            return String.format("0x%02X", b[0] & 0xFF);
        }
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
        try {
            String text = decoder.decode(java.nio.ByteBuffer.wrap(b)).toString();
            StringBuilder out = new StringBuilder();
            text.codePoints().forEach(cp -> out.append(Unicode.display(cp)));
            return out.toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            StringBuilder out = new StringBuilder();
            for (byte x : b) {
                out.append(String.format("0x%02X", x & 0xFF));
            }
            return out.toString();
        }
    }

    /** Counts the "characters" of a byte string by the rule of the class comment. */
    static long characters(byte[] text) {
        long chars = 0;
        for (int k = 0; k < text.length; k++) {
            if (k + 1 == text.length || !isContinuation(text[k + 1])) {
                chars++;
            }
        }
        return chars;
    }
}
