package dev.lossfloor.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One token per Unicode code point, over the sorted distinct code points of a training text,
 * optionally with a final {@code <unk>} id for code points the training text lacked.
 */
public final class CharTokenizer implements Tokenizer {

    public static final String UNK_DISPLAY = "<unk>";

    private static final int BMP_SIZE = 0x10000;

    private final int[] vocab;
    private final boolean allowUnknown;
    // Id lookup: a flat array covers the BMP (almost all text); a map handles the rest.
    private final int[] bmpIds = new int[BMP_SIZE];
    private final Map<Integer, Integer> supplementaryIds = new HashMap<>();

    private CharTokenizer(int[] vocab, boolean allowUnknown) {
        this.vocab = vocab;
        this.allowUnknown = allowUnknown;
        Arrays.fill(bmpIds, -1);
        for (int id = 0; id < vocab.length; id++) {
            if (vocab[id] < BMP_SIZE) {
                bmpIds[vocab[id]] = id;
            } else {
                supplementaryIds.put(vocab[id], id);
            }
        }
    }

    /** Learns the vocabulary: the sorted distinct code points of {@code trainingText}. */
    public static CharTokenizer fit(String trainingText, boolean allowUnknown) {
        if (trainingText == null || trainingText.isEmpty()) {
            throw new IllegalArgumentException(
                    "training text is empty; the char tokenizer needs at least one character to learn a vocabulary");
        }
        BitSet seen = new BitSet(Character.MAX_CODE_POINT + 1);
        for (int i = 0, n = trainingText.length(); i < n; ) {
            int cp = codePointAt(trainingText, i);
            seen.set(cp);
            i += Character.charCount(cp);
        }
        return new CharTokenizer(seen.stream().toArray(), allowUnknown);
    }

    /** Rebuilds a tokenizer from a vocabulary of strictly increasing code points. */
    public static CharTokenizer of(int[] vocab, boolean allowUnknown) {
        if (vocab.length == 0) {
            throw new IllegalArgumentException("char vocabulary is empty; it needs at least one code point");
        }
        for (int i = 0; i < vocab.length; i++) {
            int cp = vocab[i];
            if (cp < 0 || cp > Character.MAX_CODE_POINT || Character.isSurrogate((char) cp) && cp < BMP_SIZE) {
                throw new IllegalArgumentException("char vocabulary entry " + i + " = " + cp
                        + " is not a valid Unicode scalar value; the saved tokenizer state is corrupt");
            }
            if (i > 0 && cp <= vocab[i - 1]) {
                throw new IllegalArgumentException("char vocabulary entry " + i + " = " + Unicode.name(cp)
                        + " is not above the previous entry; the vocabulary must be sorted and distinct");
            }
        }
        return new CharTokenizer(vocab.clone(), allowUnknown);
    }

    @Override
    public String spec() {
        return "char";
    }

    @Override
    public int vocabSize() {
        return vocab.length + (allowUnknown ? 1 : 0);
    }

    /** Whether unseen characters map to {@link #unkId()} instead of failing. */
    public boolean allowsUnknown() {
        return allowUnknown;
    }

    /** The {@code <unk>} id (the last id), or -1 without one. */
    @Override
    public int unkId() {
        return allowUnknown ? vocab.length : -1;
    }

    /** The vocabulary's code points, in id order (without {@code <unk>}). */
    public int[] vocabulary() {
        return vocab.clone();
    }

    /** The id of a code point, or -1 if it is not in the vocabulary. */
    public int idOf(int codePoint) {
        if (codePoint >= 0 && codePoint < BMP_SIZE) {
            return bmpIds[codePoint];
        }
        Integer id = supplementaryIds.get(codePoint);
        return id == null ? -1 : id;
    }

    @Override
    public Encoding encode(String text) {
        int n = text.length();
        // One token per code point, so the text's UTF-16 length is an upper bound.
        int[] ids = new int[n];
        int[] bytesPerToken = new int[n];
        int[] charsPerToken = new int[n];
        int tokens = 0;
        int unknown = 0;
        long byteOffset = 0;
        for (int i = 0; i < n; ) {
            int cp = codePointAt(text, i);
            int id = idOf(cp);
            int utf8 = Unicode.utf8Length(cp);
            if (id < 0) {
                if (!allowUnknown) {
                    throw new UnknownCharacterException(cp, tokens, byteOffset);
                }
                id = vocab.length;
                unknown++;
            }
            ids[tokens] = id;
            bytesPerToken[tokens] = utf8;
            charsPerToken[tokens] = 1;
            tokens++;
            byteOffset += utf8;
            i += cp < BMP_SIZE ? 1 : 2;
        }
        if (tokens < n) {
            ids = Arrays.copyOf(ids, tokens);
            bytesPerToken = Arrays.copyOf(bytesPerToken, tokens);
            charsPerToken = Arrays.copyOf(charsPerToken, tokens);
        }
        return new Encoding(ids, bytesPerToken, charsPerToken, unknown);
    }

    /** Decodes ids; {@code <unk>} becomes U+FFFD, the replacement character. */
    @Override
    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder(ids.length);
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            checkId(id, i);
            out.appendCodePoint(id == vocab.length ? 0xFFFD : vocab[id]);
        }
        return out.toString();
    }

    @Override
    public String tokenDisplay(int id) {
        checkId(id, -1);
        return id == vocab.length ? UNK_DISPLAY : Unicode.display(vocab[id]);
    }

    @Override
    public Map<String, Object> state() {
        List<Integer> codePoints = new ArrayList<>(vocab.length);
        for (int cp : vocab) {
            codePoints.add(cp);
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("type", "char");
        state.put("vocab", Collections.unmodifiableList(codePoints));
        state.put("unk", allowUnknown);
        return Collections.unmodifiableMap(state);
    }

    @Override
    public String toString() {
        return "CharTokenizer[" + vocab.length + " chars" + (allowUnknown ? " + <unk>" : "") + "]";
    }

    private void checkId(int id, int position) {
        if (id < 0 || id >= vocabSize()) {
            throw new IllegalArgumentException("token id " + id + (position >= 0 ? " at position " + position : "")
                    + " is outside the char vocabulary 0.." + (vocabSize() - 1)
                    + "; the ids come from a different tokenizer");
        }
    }

    /** Like String.codePointAt, but rejects unpaired surrogates, which have no UTF-8 form. */
    private static int codePointAt(String text, int i) {
        char c = text.charAt(i);
        if (!Character.isSurrogate(c)) {
            return c;
        }
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
            char low = text.charAt(i + 1);
            if (Character.isLowSurrogate(low)) {
                return Character.toCodePoint(c, low);
            }
        }
        throw Unicode.loneSurrogate(c, i);
    }
}
