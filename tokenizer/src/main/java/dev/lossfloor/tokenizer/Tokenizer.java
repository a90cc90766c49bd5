package dev.lossfloor.tokenizer;

import java.util.Map;

/** Maps text to token ids and back, keeping exact byte and character counts per token. */
public interface Tokenizer {

    /** Short name of the scheme, e.g. "byte", "char", "bpe:2048", "word:5000" or "gpt2". */
    String spec();

    /** Number of distinct token ids; ids are 0..vocabSize()-1. */
    int vocabSize();

    /** Tokenizes {@code text}; throws IllegalArgumentException on text it cannot represent. */
    Encoding encode(String text);

    /**
     * The id that stands for text outside the vocabulary ({@code <unk>}), or -1 when every text has an exact
     * encoding. Held-out loss with {@code <unk>} tokens is not comparable with a lossless tokenizer's.
     */
    default int unkId() {
        return -1;
    }

    /** Turns ids back into text; throws IllegalArgumentException on an id outside the vocabulary. */
    String decode(int[] ids);

    /** Printable form of one token, e.g. "a", "\\n", "&lt;unk&gt;" or "0xE2". */
    String tokenDisplay(int id);

    /**
     * Everything needed to rebuild this tokenizer with {@link Tokenizers#fromState(Map)}: a
     * JSON-friendly map of String, Number, Boolean and List values.
     */
    Map<String, Object> state();
}
