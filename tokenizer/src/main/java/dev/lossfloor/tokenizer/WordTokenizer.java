package dev.lossfloor.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Words and punctuation: the text is cut by GPT-2's pre-split ({@link Gpt2PreTokenizer}: a word keeps the one space
 * before it, as " the"; numbers, runs of punctuation and runs of whitespace are pieces of their own) and the VOCAB
 * most frequent pieces of the training split are the vocabulary (ties: the smaller string first), plus a last id,
 * {@code <unk>}, for every other piece.
 *
 * <p>Because the spaces live inside the pieces, every token covers an exact span of the text: byte and character
 * counts per token sum to the text's. An unknown piece that starts with a space becomes two tokens when " " is in the
 * vocabulary, the space and {@code <unk>}, so decoding keeps the spacing ("the <unk> of"); {@code <unk>} covers the
 * bytes and characters of what it replaced. Decoding is exact for text without unknown pieces. With any {@code <unk>}
 * the model never has to spell the rare words, so its loss is not comparable with a lossless tokenizer's.
 */
public final class WordTokenizer implements Tokenizer {

    public static final String UNK = "<unk>";

    private final String[] vocab;
    private final Map<String, Integer> ids;
    private final int spaceId;

    private WordTokenizer(String[] vocab) {
        this.vocab = vocab;
        this.ids = new HashMap<>(vocab.length * 2);
        for (int id = 0; id < vocab.length; id++) {
            if (vocab[id].isEmpty() || ids.put(vocab[id], id) != null) {
                throw new IllegalArgumentException("word vocabulary entry " + id + " is empty or repeated; the saved"
                        + " tokenizer is corrupt");
            }
        }
        Integer space = ids.get(" ");
        this.spaceId = space == null ? -1 : space;
    }

    /** Learns the {@code words} most frequent pieces of {@code trainingText}. */
    public static WordTokenizer fit(String trainingText, int words) {
        if (words < 1) {
            throw new IllegalArgumentException("word vocabulary size must be at least 1, got " + words);
        }
        if (trainingText == null || trainingText.isEmpty()) {
            throw new IllegalArgumentException("training text is empty; the word tokenizer needs text to count words in");
        }
        Unicode.requireNoLoneSurrogates(trainingText);
        Map<String, int[]> counts = new HashMap<>();
        int start = 0;
        for (int end : Gpt2PreTokenizer.ends(trainingText)) {
            counts.computeIfAbsent(trainingText.substring(start, end), k -> new int[1])[0]++;
            start = end;
        }
        List<Map.Entry<String, int[]>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Integer.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
        String[] vocab = new String[Math.min(words, sorted.size())];
        for (int i = 0; i < vocab.length; i++) {
            vocab[i] = sorted.get(i).getKey();
        }
        return new WordTokenizer(vocab);
    }

    /** Rebuilds a tokenizer from its vocabulary in id order (without {@code <unk>}). */
    public static WordTokenizer of(List<String> vocab) {
        if (vocab.isEmpty()) {
            throw new IllegalArgumentException("word vocabulary is empty; it needs at least one word");
        }
        return new WordTokenizer(vocab.toArray(String[]::new));
    }

    @Override
    public String spec() {
        return "word:" + vocab.length;
    }

    @Override
    public int vocabSize() {
        return vocab.length + 1;
    }

    @Override
    public int unkId() {
        return vocab.length;
    }

    /** The words in id order (without {@code <unk>}). */
    public List<String> words() {
        return Collections.unmodifiableList(Arrays.asList(vocab));
    }

    @Override
    public Encoding encode(String text) {
        Unicode.requireNoLoneSurrogates(text);
        int[] ends = Gpt2PreTokenizer.ends(text);
        IntList idList = new IntList(ends.length + 16);
        IntList bytes = new IntList(ends.length + 16);
        IntList chars = new IntList(ends.length + 16);
        int unknown = 0;
        int start = 0;
        for (int end : ends) {
            String piece = text.substring(start, end);
            Integer id = ids.get(piece);
            if (id != null) {
                idList.add(id);
                bytes.add(utf8Length(piece));
                chars.add(piece.codePointCount(0, piece.length()));
            } else {
                String rest = piece;
                if (spaceId >= 0 && piece.length() > 1 && piece.charAt(0) == ' ') {
                    idList.add(spaceId);
                    bytes.add(1);
                    chars.add(1);
                    rest = piece.substring(1);
                }
                idList.add(vocab.length);
                bytes.add(utf8Length(rest));
                chars.add(rest.codePointCount(0, rest.length()));
                unknown++;
            }
            start = end;
        }
        return new Encoding(idList.toArray(), bytes.toArray(), chars.toArray(), unknown);
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            n += Unicode.utf8Length(cp);
            i += Character.charCount(cp);
        }
        return n;
    }

    /** Decodes ids; {@code <unk>} becomes the literal text "&lt;unk&gt;". */
    @Override
    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            checkId(id, i);
            out.append(id == vocab.length ? UNK : vocab[id]);
        }
        return out.toString();
    }

    @Override
    public String tokenDisplay(int id) {
        checkId(id, -1);
        if (id == vocab.length) {
            return UNK;
        }
        StringBuilder out = new StringBuilder();
        vocab[id].codePoints().forEach(cp -> out.append(Unicode.display(cp)));
        return out.toString();
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("type", "word");
        state.put("split", "gpt2");
        state.put("vocab", List.of(vocab));
        return Collections.unmodifiableMap(state);
    }

    @Override
    public String toString() {
        return "WordTokenizer[" + vocab.length + " words + <unk>]";
    }

    private void checkId(int id, int position) {
        if (id < 0 || id > vocab.length) {
            throw new IllegalArgumentException("token id " + id + (position >= 0 ? " at position " + position : "")
                    + " is outside the word vocabulary 0.." + vocab.length + "; the ids come from a different tokenizer");
        }
    }
}
