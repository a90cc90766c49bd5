package dev.lossfloor.trainer;

/**
 * The shape of the GPT decoder. Defaults are nanoGPT's CPU config (4 layers, 4 heads, 128 wide, context 64,
 * no dropout) with the head tied to the token embedding, as nanoGPT does.
 */
public record GptConfig(int vocabSize, int layers, int heads, int embd, int context, double dropout, boolean tieWeights) {

    public static final int DEFAULT_LAYERS = 4;
    public static final int DEFAULT_HEADS = 4;
    public static final int DEFAULT_EMBD = 128;
    public static final int DEFAULT_CONTEXT = 64;

    public GptConfig {
        require(vocabSize >= 2, "vocabulary size must be at least 2, got " + vocabSize);
        require(layers >= 1, "--layers must be at least 1, got " + layers);
        require(heads >= 1, "--heads must be at least 1, got " + heads);
        require(embd >= 1, "--embd must be at least 1, got " + embd);
        require(embd % heads == 0, "--embd " + embd + " is not divisible by --heads " + heads
                + "; choose an --embd that is a multiple of the number of heads");
        require(context >= 2, "--context must be at least 2, got " + context);
        require(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got " + dropout);
    }

    public int headSize() { return embd / heads; }

    /** Number of trainable parameters (a tied head counted once). */
    public long parameterCount() {
        long c = embd;
        long perBlock = 2 * (2 * c)            // two LayerNorms
                + 3 * (c * c + c)               // q, k, v projections
                + (c * c + c)                   // attention output projection
                + (c * 4 * c + 4 * c)           // MLP up
                + (4 * c * c + c);              // MLP down
        long total = (long) vocabSize * c + (long) context * c + layers * perBlock + 2 * c;
        if (!tieWeights) total += c * vocabSize;
        return total;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
