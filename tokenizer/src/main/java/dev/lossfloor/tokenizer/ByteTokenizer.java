package dev.lossfloor.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/** One token per UTF-8 byte: a fixed vocabulary of 256 ids that can represent any text. */
public final class ByteTokenizer implements Tokenizer {

    public static final int VOCAB_SIZE = 256;

    @Override
    public String spec() {
        return "byte";
    }

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    @Override
    public Encoding encode(String text) {
        Unicode.requireNoLoneSurrogates(text);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        int[] bytesPerToken = new int[bytes.length];
        int[] charsPerToken = new int[bytes.length];
        Arrays.fill(bytesPerToken, 1);
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
            // A code point is counted once, at its last byte (as every byte-level tokenizer here does): a byte ends a
            // character unless the next byte is a continuation byte (10xxxxxx).
            charsPerToken[i] = i + 1 < bytes.length && ByteTokens.isContinuation(bytes[i + 1]) ? 0 : 1;
        }
        return new Encoding(ids, bytesPerToken, charsPerToken, 0);
    }

    @Override
    public String decode(int[] ids) {
        byte[] bytes = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= VOCAB_SIZE) {
                throw new IllegalArgumentException("token id " + id + " at position " + i
                        + " is outside the byte vocabulary 0..255; the ids come from a different tokenizer");
            }
            bytes[i] = (byte) id;
        }
        // Model samples may cut a character in half; the replacement character marks that.
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String tokenDisplay(int id) {
        if (id < 0 || id >= VOCAB_SIZE) {
            throw new IllegalArgumentException("token id " + id + " is outside the byte vocabulary 0..255");
        }
        // printable ASCII and the usual whitespace read as characters; every other byte as 0xNN
        boolean readable = id == '\n' || id == '\t' || id == '\r' || (id >= 0x20 && id < 0x7F);
        return readable ? Unicode.display(id) : String.format("0x%02X", id);
    }

    @Override
    public Map<String, Object> state() {
        return Map.of("type", "byte");
    }

    @Override
    public String toString() {
        return "ByteTokenizer[256]";
    }
}
