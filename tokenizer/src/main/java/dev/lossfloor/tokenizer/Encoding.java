package dev.lossfloor.tokenizer;

import java.util.Arrays;

/**
 * Token ids of a text plus, per token, how many UTF-8 bytes and Unicode code points of the
 * source text it covers. Summing those counts over all tokens gives the text's exact byte
 * length and code point count, which is what turns a loss in nats per token into bits per
 * byte or per character.
 *
 * <p>The arrays are shared, not copied: an encoding may hold hundreds of millions of tokens.
 *
 * @param ids           token ids
 * @param bytesPerToken UTF-8 bytes of the source text covered by each token
 * @param charsPerToken code points of the source text counted at each token: a character belongs
 *                      to the token that holds its last byte, so a byte-level token that ends
 *                      inside a multi-byte character does not count it (0 for the first bytes
 *                      of a 3-byte character split into byte tokens)
 * @param unknownCount  how many tokens stand for characters outside the vocabulary
 */
public record Encoding(int[] ids, int[] bytesPerToken, int[] charsPerToken, int unknownCount) {

    public Encoding {
        if (ids == null || bytesPerToken == null || charsPerToken == null) {
            throw new IllegalArgumentException("Encoding arrays must not be null");
        }
        if (bytesPerToken.length != ids.length || charsPerToken.length != ids.length) {
            throw new IllegalArgumentException("Encoding arrays differ in length: ids " + ids.length
                    + ", bytesPerToken " + bytesPerToken.length + ", charsPerToken " + charsPerToken.length);
        }
        if (unknownCount < 0 || unknownCount > ids.length) {
            throw new IllegalArgumentException("Encoding unknownCount must be between 0 and " + ids.length
                    + ", got " + unknownCount);
        }
    }

    /** Number of tokens. */
    public int length() {
        return ids.length;
    }

    /** UTF-8 bytes covered by tokens [from, to). */
    public long bytes(int from, int to) {
        return sum(bytesPerToken, from, to);
    }

    /** Code points covered by tokens [from, to). */
    public long chars(int from, int to) {
        return sum(charsPerToken, from, to);
    }

    /** UTF-8 bytes of the whole text. */
    public long totalBytes() {
        return bytes(0, ids.length);
    }

    /** Code points of the whole text. */
    public long totalChars() {
        return chars(0, ids.length);
    }

    /**
     * Tokens [from, to) as a new encoding (copied arrays). The encoding does not record which
     * tokens were unknown, so the slice's {@code unknownCount} is exact only when this encoding
     * has none or the slice covers everything; otherwise it is the upper bound
     * {@code min(unknownCount, to - from)}. Use {@link #slice(int, int, int)} for an exact count.
     */
    public Encoding slice(int from, int to) {
        checkRange(from, to);
        int unknown = (from == 0 && to == ids.length) ? unknownCount : Math.min(unknownCount, to - from);
        return copy(from, to, unknown);
    }

    /** Tokens [from, to) with the unknown tokens counted exactly as the ids equal to {@code unkId}. */
    public Encoding slice(int from, int to, int unkId) {
        checkRange(from, to);
        int unknown = 0;
        if (unknownCount > 0) {
            for (int i = from; i < to; i++) {
                if (ids[i] == unkId) {
                    unknown++;
                }
            }
        }
        return copy(from, to, unknown);
    }

    private Encoding copy(int from, int to, int unknown) {
        return new Encoding(Arrays.copyOfRange(ids, from, to), Arrays.copyOfRange(bytesPerToken, from, to),
                Arrays.copyOfRange(charsPerToken, from, to), unknown);
    }

    private long sum(int[] values, int from, int to) {
        checkRange(from, to);
        long total = 0;
        for (int i = from; i < to; i++) {
            total += values[i];
        }
        return total;
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to > ids.length || from > to) {
            throw new IndexOutOfBoundsException("token range [" + from + ", " + to
                    + ") is outside the encoding of " + ids.length + " tokens");
        }
    }

    @Override
    public String toString() {
        return "Encoding[tokens=" + ids.length + ", bytes=" + totalBytes() + ", chars=" + totalChars()
                + ", unknown=" + unknownCount + "]";
    }
}
