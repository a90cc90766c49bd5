package dev.lossfloor.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GPT-2's pretrained byte-level BPE, r50k_base (50,257 ids: 50,256 merged byte strings and &lt;|endoftext|&gt;),
 * through jtokkit. Text is encoded as ordinary text (a literal "&lt;|endoftext|&gt;" in the text is not the special
 * token). Byte and character counts per token are exact (a character belongs to the token holding its last byte).
 */
public final class Gpt2Tokenizer implements Tokenizer {

    public static final int VOCAB_SIZE = 50_257;
    public static final String ENCODING = "r50k_base";

    private final com.knuddels.jtokkit.api.Encoding encoding;
    private final ByteTokens tokens;

    private static volatile Gpt2Tokenizer shared;

    private Gpt2Tokenizer() {
        encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
        byte[][] bytes = new byte[VOCAB_SIZE][];
        IntArrayList one = new IntArrayList(1);
        one.add(0);
        for (int id = 0; id < VOCAB_SIZE; id++) {
            one.set(0, id);
            bytes[id] = id == VOCAB_SIZE - 1 ? "<|endoftext|>".getBytes(StandardCharsets.UTF_8) : encoding.decodeBytes(one);
        }
        tokens = new ByteTokens(bytes);
    }

    /** The tokenizer (its 50,257-entry table is built once per JVM). */
    public static Gpt2Tokenizer get() {
        Gpt2Tokenizer t = shared;
        if (t == null) {
            synchronized (Gpt2Tokenizer.class) {
                t = shared;
                if (t == null) {
                    shared = t = new Gpt2Tokenizer();
                }
            }
        }
        return t;
    }

    @Override
    public String spec() {
        return "gpt2";
    }

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    @Override
    public Encoding encode(String text) {
        Unicode.requireNoLoneSurrogates(text);
        return tokens.encoding(encoding.encodeOrdinary(text).toArray(), 0);
    }

    /** The bytes the ids stand for. */
    public byte[] decodeBytes(int[] ids) {
        return tokens.concat(ids, "gpt2");
    }

    @Override
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    @Override
    public String tokenDisplay(int id) {
        if (id < 0 || id >= VOCAB_SIZE) {
            throw new IllegalArgumentException("token id " + id + " is outside the gpt2 vocabulary 0.." + (VOCAB_SIZE - 1));
        }
        return id == VOCAB_SIZE - 1 ? "<|endoftext|>" : tokens.display(id);
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("type", "gpt2");
        state.put("encoding", ENCODING);
        return state;
    }

    @Override
    public String toString() {
        return "Gpt2Tokenizer[r50k_base, 50257]";
    }
}
