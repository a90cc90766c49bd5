package dev.lossfloor.data.baselines;

import java.util.Arrays;

/**
 * A character vocabulary: the distinct Unicode code points of some texts, sorted, with dense ids 0..size-1.
 *
 * <p>The n-gram baselines use the distinct characters of the WHOLE text (training and held-out parts), as
 * nanoGPT's {@code prepare.py} and {@code ../shared/bench/kn_ngram.py} do: the Kneser-Ney recursion bottoms out
 * in the uniform distribution 1/V over this vocabulary, so every held-out character has a probability above
 * zero even if training never saw it. (Taking V from the held-out text leaks a little information, at most
 * a few bits per unseen character; it is the convention of the reference numbers.)
 */
public final class CharVocabulary {
    private final int[] codePoints;
    private final int[] ids; // ids[codePoint] = id, or -1; indexed up to the largest code point

    private CharVocabulary(int[] sortedDistinct) {
        this.codePoints = sortedDistinct;
        int max = sortedDistinct.length == 0 ? 0 : sortedDistinct[sortedDistinct.length - 1];
        this.ids = new int[max + 1];
        Arrays.fill(ids, -1);
        for (int i = 0; i < sortedDistinct.length; i++) ids[sortedDistinct[i]] = i;
    }

    /** The distinct code points of all {@code texts}. */
    public static CharVocabulary of(String... texts) {
        boolean[] seen = new boolean[Character.MAX_CODE_POINT + 1];
        int distinct = 0;
        for (String text : texts) {
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                if (!seen[cp]) {
                    seen[cp] = true;
                    distinct++;
                }
                i += Character.charCount(cp);
            }
        }
        int[] sorted = new int[distinct];
        for (int cp = 0, j = 0; cp < seen.length; cp++) if (seen[cp]) sorted[j++] = cp;
        return new CharVocabulary(sorted);
    }

    /** Number of distinct characters V. */
    public int size() {
        return codePoints.length;
    }

    /** The id of {@code codePoint}, or -1 if it is not in the vocabulary. */
    public int id(int codePoint) {
        return codePoint >= 0 && codePoint < ids.length ? ids[codePoint] : -1;
    }

    /** The code point with id {@code id}. */
    public int codePoint(int id) {
        return codePoints[id];
    }

    /** The code points in id order (a copy). */
    public int[] codePoints() {
        return codePoints.clone();
    }

    /**
     * The ids of the code points of {@code text}; a character outside the vocabulary is an error that names it
     * and its offset (in code points).
     */
    public int[] encode(String text, String what) {
        int[] out = new int[text.codePointCount(0, text.length())];
        for (int i = 0, j = 0; i < text.length(); j++) {
            int cp = text.codePointAt(i);
            int id = id(cp);
            if (id < 0) {
                throw new IllegalArgumentException(what + " has character U+" + String.format("%04X", cp)
                        + " at offset " + j + " (code points), which is not in the vocabulary; build the vocabulary"
                        + " from every text the model must score, e.g. CharVocabulary.of(train, heldOut)");
            }
            out[j] = id;
            i += Character.charCount(cp);
        }
        return out;
    }
}
