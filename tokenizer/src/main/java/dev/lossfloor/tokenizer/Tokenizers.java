package dev.lossfloor.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes tokenizers from a spec ({@code byte}, {@code char}, {@code bpe:VOCAB}, {@code word:VOCAB}, {@code gpt2}) and a
 * training text, and rebuilds them from their {@link Tokenizer#state()} maps, e.g. after a JSON round trip.
 */
public final class Tokenizers {

    /** The specs, as the usage line of --tokenizer names them. */
    public static final String SPECS = "byte, char, bpe:VOCAB, word:VOCAB or gpt2";

    private Tokenizers() {
    }

    /** A parsed spec: its kind (byte, char, bpe, word, gpt2) and, for bpe and word, the vocabulary size. */
    public record Spec(String kind, int size) {
        @Override
        public String toString() {
            return size > 0 ? kind + ":" + size : kind;
        }
    }

    /** Parses a spec; a bad one is an IllegalArgumentException with a one-line message naming it. */
    public static Spec parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        switch (s) {
            case "byte", "char", "gpt2":
                return new Spec(s, 0);
            default:
                break;
        }
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        if (!kind.equals("bpe") && !kind.equals("word")) {
            throw new IllegalArgumentException("--tokenizer " + (s.isEmpty() ? "''" : s) + " is not supported; use " + SPECS);
        }
        if (colon < 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("--tokenizer " + s + " needs a vocabulary size, e.g. " + kind + ":"
                    + (kind.equals("bpe") ? "2048" : "5000"));
        }
        String number = s.substring(colon + 1).replace("_", "");
        int size;
        try {
            size = Integer.parseInt(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--tokenizer " + s + ": the vocabulary size '" + s.substring(colon + 1)
                    + "' is not a whole number; e.g. " + kind + ":" + (kind.equals("bpe") ? "2048" : "5000"));
        }
        if (kind.equals("bpe") && (size < 256 || size > BpeTokenizer.MAX_VOCAB)) {
            throw new IllegalArgumentException("--tokenizer " + s + ": a BPE vocabulary has 256 byte ids plus the merges,"
                    + " so VOCAB must be between 256 and " + BpeTokenizer.MAX_VOCAB + ", got " + size);
        }
        if (kind.equals("word") && size < 1) {
            throw new IllegalArgumentException("--tokenizer " + s + ": VOCAB must be at least 1 word, got " + size);
        }
        return new Spec(kind, size);
    }

    /**
     * Makes the tokenizer a spec names, learning it from {@code trainingText} where it learns anything (char, bpe,
     * word). {@code unk}: the char tokenizer maps unseen characters to {@code <unk>}; {@code bpeSplit}: BPE pre-splits
     * with GPT-2's pattern.
     */
    public static Tokenizer create(String spec, String trainingText, boolean unk, boolean bpeSplit) {
        Spec parsed = parse(spec);
        return switch (parsed.kind()) {
            case "byte" -> new ByteTokenizer();
            case "char" -> CharTokenizer.fit(trainingText, unk);
            case "bpe" -> BpeTokenizer.train(trainingText, parsed.size(), bpeSplit);
            case "word" -> WordTokenizer.fit(trainingText, parsed.size());
            case "gpt2" -> Gpt2Tokenizer.get();
            default -> throw new IllegalStateException(parsed.kind());
        };
    }

    /** Rebuilds a tokenizer; numbers may arrive as Integer, Long or Double (JSON parsers differ). */
    public static Tokenizer fromState(Map<String, Object> state) {
        if (state == null) {
            throw new IllegalArgumentException("tokenizer state is missing; the checkpoint must store a \"tokenizer\" map");
        }
        Object type = state.get("type");
        if ("byte".equals(type)) {
            return new ByteTokenizer();
        }
        if ("char".equals(type)) {
            return CharTokenizer.of(vocab(state.get("vocab")), unk(state.get("unk")));
        }
        if ("bpe".equals(type)) {
            return bpe(state);
        }
        if ("word".equals(type)) {
            if (!(state.get("vocab") instanceof List<?> list) || list.stream().anyMatch(w -> !(w instanceof String))) {
                throw new IllegalArgumentException("word tokenizer state needs \"vocab\" as a list of strings, got "
                        + describe(state.get("vocab")));
            }
            return WordTokenizer.of(list.stream().map(String.class::cast).toList());
        }
        if ("gpt2".equals(type)) {
            Object encoding = state.get("encoding");
            if (encoding != null && !Gpt2Tokenizer.ENCODING.equals(encoding)) {
                throw new IllegalArgumentException("gpt2 tokenizer state names encoding " + describe(encoding)
                        + "; only " + Gpt2Tokenizer.ENCODING + " is supported");
            }
            return Gpt2Tokenizer.get();
        }
        throw new IllegalArgumentException("tokenizer state has type " + (type == null ? "null" : "\"" + type + "\"")
                + "; expected \"byte\", \"char\", \"bpe\", \"word\" or \"gpt2\" (the checkpoint is corrupt or from"
                + " another program)");
    }

    private static Tokenizer bpe(Map<String, Object> state) {
        Object split = state.get("split");
        if (split != null && !"gpt2".equals(split) && !"none".equals(split)) {
            throw new IllegalArgumentException("bpe tokenizer state \"split\" must be \"gpt2\" or \"none\", got "
                    + describe(split));
        }
        if (!(state.get("merges") instanceof List<?> list)) {
            throw new IllegalArgumentException("bpe tokenizer state needs \"merges\" as a list of [left, right] id pairs,"
                    + " got " + describe(state.get("merges")));
        }
        List<int[]> merges = new ArrayList<>(list.size());
        for (int r = 0; r < list.size(); r++) {
            if (!(list.get(r) instanceof List<?> pair) || pair.size() != 2) {
                throw new IllegalArgumentException("bpe tokenizer state merge " + r + " must be a [left, right] pair, got "
                        + describe(list.get(r)));
            }
            merges.add(new int[]{integer(pair.get(0), r, "bpe tokenizer state merge"),
                    integer(pair.get(1), r, "bpe tokenizer state merge")});
        }
        BpeTokenizer tokenizer = BpeTokenizer.of(merges, !"none".equals(split));
        Object size = state.get("vocab_size");
        if (size instanceof Number n && n.intValue() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("bpe tokenizer state says vocab_size " + n + " but holds "
                    + merges.size() + " merges (" + tokenizer.vocabSize() + " ids); the state is corrupt");
        }
        return tokenizer;
    }

    private static int[] vocab(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(
                    "char tokenizer state needs \"vocab\" as a list of code points, got " + describe(value));
        }
        int[] vocab = new int[list.size()];
        for (int i = 0; i < vocab.length; i++) {
            vocab[i] = integer(list.get(i), i, "char tokenizer state \"vocab\" entry");
        }
        return vocab;
    }

    private static int integer(Object value, int index, String what) {
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw new IllegalArgumentException(what + " " + index + " must be an integer, got " + describe(value));
    }

    private static boolean unk(Object value) {
        if (value == null) {
            return false; // an absent flag means no <unk> id
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("char tokenizer state \"unk\" must be true or false, got " + describe(value));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = String.valueOf(value);
        // Keep the message on one short line even for a large or multi-line value.
        text = text.replaceAll("\\s+", " ");
        return value.getClass().getSimpleName() + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
