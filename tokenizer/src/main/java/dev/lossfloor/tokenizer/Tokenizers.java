package dev.lossfloor.tokenizer;

import java.util.List;
import java.util.Map;

/** Rebuilds tokenizers from their {@link Tokenizer#state()} maps, e.g. after a JSON round trip. */
public final class Tokenizers {

    private Tokenizers() {
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
        throw new IllegalArgumentException("tokenizer state has type " + (type == null ? "null" : "\"" + type + "\"")
                + "; expected \"byte\" or \"char\" (the checkpoint is corrupt or from another program)");
    }

    private static int[] vocab(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(
                    "char tokenizer state needs \"vocab\" as a list of code points, got " + describe(value));
        }
        int[] vocab = new int[list.size()];
        for (int i = 0; i < vocab.length; i++) {
            vocab[i] = integer(list.get(i), i);
        }
        return vocab;
    }

    private static int integer(Object value, int index) {
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw new IllegalArgumentException("char tokenizer state \"vocab\" entry " + index
                + " must be an integer code point, got " + describe(value));
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
