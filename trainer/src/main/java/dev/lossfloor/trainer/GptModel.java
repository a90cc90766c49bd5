package dev.lossfloor.trainer;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A GPT decoder in SameDiff, readable in one sitting (after nanoGPT's model.py):
 * token + learned position embeddings, pre-LayerNorm blocks of causal multi-head self-attention and a 4x GELU MLP,
 * a final LayerNorm and a linear head (optionally tied to the token embedding).
 *
 * <p>Workarounds for DL4J 1.0.0-M2.1 (see shared/notes/dl4j-m2.1-pitfalls.md), each covered by a test:
 * embeddings are one-hot x table products (gather's backward fails); the loss is log-softmax times one-hot
 * targets (sparse softmax cross-entropy's backward ignores its incoming gradient); attention is built from
 * matmuls with a constant causal bias (the attention ops take only padding masks); log-softmax is called
 * without a dimension; GELU is composed from erf. Dropout masks are fed from a seeded Java RNG so runs reproduce exactly.
 */
public final class GptModel {
    public static final String INPUT = "input";     // [N, V] one-hot token ids, N = batch x context
    public static final String TARGET = "target";   // [N, V] one-hot next tokens
    public static final String TOKEN_NLL = "token_nll"; // [N] -ln p(target)
    public static final String LOSS = "loss";       // mean of token_nll
    public static final String LOGITS = "logits";   // [N, V]

    /** A trainable tensor and whether AdamW decays it (2-D weights only, as nanoGPT). */
    public record Parameter(String name, INDArray array, boolean decay) {}

    private final GptConfig config;
    private final DataType dataType;
    private final SameDiff sd;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<String> dropoutMasks = new ArrayList<>();
    private final Map<String, long[]> dropoutShapes = new HashMap<>();
    private FastGpt fastPath;
    private int fastPathCapacity = 16;

    private GptModel(GptConfig config, DataType dataType, long seed) {
        this.config = config;
        this.dataType = dataType;
        this.sd = SameDiff.create();
        build(new Random(seed));
        createGradientFunctionQuietly();
    }

    /** M2.1 prints "Added differentiated op ..." to System.out for every op; a learner should not see that. */
    private void createGradientFunctionQuietly() {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            sd.createGradFunction();
        } finally {
            System.setOut(out);
        }
    }

    /** A freshly initialised model: N(0, 0.02) weights, residual projections N(0, 0.02/sqrt(2 layers)), zero biases. */
    public static GptModel create(GptConfig config, DataType dataType, long seed) {
        return new GptModel(config, dataType, seed);
    }

    public GptConfig config() { return config; }

    public DataType dataType() { return dataType; }

    public List<Parameter> parameters() { return Collections.unmodifiableList(parameters); }

    public SameDiff sameDiff() { return sd; }

    /** Set before the first {@link #fastPath()} call: the most windows one fast pass takes (e.g. the batch size). */
    public void setFastPathCapacity(int windows) {
        if (fastPath != null && fastPath.capacity() != windows) fastPath = null;
        fastPathCapacity = windows;
    }

    /**
     * The hand-written passes over this model's parameters ({@link FastGpt}), or null where they do not apply:
     * double precision, a GPU backend, or {@code -Dlossfloor.reference=true} (forces the SameDiff graph).
     */
    public FastGpt fastPath() {
        if (fastPath == null && FastGpt.supports(this)) fastPath = new FastGpt(this, fastPathCapacity);
        return fastPath;
    }

    private void build(Random rng) {
        int v = config.vocabSize(), t = config.context(), c = config.embd(), h = config.heads(), hs = config.headSize();
        double residualStd = 0.02 / Math.sqrt(2.0 * config.layers());

        SDVariable input = sd.placeHolder(INPUT, dataType, -1, v);
        SDVariable target = sd.placeHolder(TARGET, dataType, -1, v);

        SDVariable wte = weight("wte", rng, 0.02, v, c);
        SDVariable wpe = weight("wpe", rng, 0.02, t, c);
        // token embedding as a one-hot product; position embedding broadcast over the batch
        SDVariable tok = sd.mmul(input, wte).reshape(-1, t, c);
        SDVariable x = tok.add(wpe).reshape(-1, c);
        x = dropout(x, "drop.emb", -1, c);

        // additive causal bias: 0 on and below the diagonal, a large negative number above it
        double[] bias = new double[t * t];
        for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) bias[i * t + j] = -1e9;
        SDVariable causalBias = sd.constant("causal_bias", Nd4j.create(bias, new long[]{t, t}, DataType.DOUBLE).castTo(dataType));
        double scale = 1.0 / Math.sqrt(hs);

        for (int l = 0; l < config.layers(); l++) {
            String p = "h" + l + ".";
            // causal self-attention
            SDVariable a = layerNorm(x, p + "ln1", c);
            SDVariable q = heads(linear(a, p + "attn.q", rng, 0.02, c, c), t, h, hs);
            SDVariable k = heads(linear(a, p + "attn.k", rng, 0.02, c, c), t, h, hs);
            SDVariable val = heads(linear(a, p + "attn.v", rng, 0.02, c, c), t, h, hs);
            SDVariable att = sd.mmul(q, k, false, true, false).mul(scale).add(causalBias);
            att = sd.nn().softmax(att, -1);
            att = dropout(att, p + "drop.attn", -1, h, t, t);
            SDVariable y = sd.mmul(att, val).permute(0, 2, 1, 3).reshape(-1, c);
            y = linear(y, p + "attn.proj", rng, residualStd, c, c);
            x = x.add(dropout(y, p + "drop.attn_out", -1, c));
            // MLP
            SDVariable m = layerNorm(x, p + "ln2", c);
            m = gelu(linear(m, p + "mlp.fc", rng, 0.02, c, 4 * c));
            m = linear(m, p + "mlp.proj", rng, residualStd, 4 * c, c);
            x = x.add(dropout(m, p + "drop.mlp_out", -1, c));
        }
        x = layerNorm(x, "ln_f", c);
        SDVariable logits = config.tieWeights()
                ? sd.mmul(LOGITS, x, wte, false, true, false)
                : sd.mmul(LOGITS, x, weight("head", rng, 0.02, c, v));
        // log-softmax on the last axis (no explicit dimension: M2.1 pitfall #3)
        SDVariable logProbs = sd.nn().logSoftmax(logits);
        SDVariable tokenNll = sd.math().neg(TOKEN_NLL, logProbs.mul(target).sum(1));
        SDVariable loss = sd.mean(LOSS, tokenNll);
        sd.setLossVariables(loss);
    }

    /**
     * Exact GELU, x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), as PyTorch's default. Built from erf because M2.1's
     * gelu is the sigmoid approximation and preciseGelu's backward disagrees with its forward (relative error
     * ~2e-4 in the double-precision gradient check).
     */
    private SDVariable gelu(SDVariable x) {
        return x.mul(sd.math().erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0)).mul(0.5);
    }

    /** [N, C] -> [B, H, T, hs] */
    private SDVariable heads(SDVariable x, int t, int h, int hs) {
        return x.reshape(-1, t, h, hs).permute(0, 2, 1, 3);
    }

    private SDVariable linear(SDVariable x, String name, Random rng, double std, int in, int out) {
        SDVariable w = weight(name + ".weight", rng, std, in, out);
        SDVariable b = vector(name + ".bias", out, 0.0);
        return sd.mmul(x, w).add(b);
    }

    private SDVariable layerNorm(SDVariable x, String name, int c) {
        SDVariable gain = vector(name + ".weight", c, 1.0);
        SDVariable bias = vector(name + ".bias", c, 0.0);
        return sd.nn().layerNorm(x, gain, bias, false, 1);
    }

    private SDVariable weight(String name, Random rng, double std, int rows, int cols) {
        double[] w = new double[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian() * std;
        INDArray arr = Nd4j.create(w, new long[]{rows, cols}, DataType.DOUBLE).castTo(dataType);
        parameters.add(new Parameter(name, arr, true));
        return sd.var(name, arr);
    }

    private SDVariable vector(String name, int n, double value) {
        INDArray arr = Nd4j.valueArrayOf(new long[]{n}, value, dataType);
        parameters.add(new Parameter(name, arr, false));
        return sd.var(name, arr);
    }

    private SDVariable dropout(SDVariable x, String name, long... shape) {
        if (config.dropout() == 0) return x;
        dropoutMasks.add(name);
        dropoutShapes.put(name, shape);
        return x.mul(sd.placeHolder(name, dataType, shape));
    }

    // ---------------------------------------------------------------- feeding and running

    /** Placeholder values for a batch of windows: flat inputs/targets of length batch x context. */
    public Map<String, INDArray> feed(int[] inputs, int[] targets, int batch, Random dropoutRng) {
        int n = batch * config.context(), v = config.vocabSize();
        if (inputs.length < n) throw new IllegalArgumentException("inputs shorter than batch x context");
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put(INPUT, oneHot(inputs, n, v));
        feed.put(TARGET, oneHot(targets, n, v));
        for (String mask : dropoutMasks) {
            long[] shape = dropoutShapes.get(mask).clone();
            shape[0] = shape.length == 2 ? n : batch;
            feed.put(mask, dropoutRng == null ? Nd4j.ones(dataType, shape) : dropoutMask(shape, dropoutRng));
        }
        return feed;
    }

    private INDArray oneHot(int[] ids, int n, int v) {
        if (dataType == DataType.DOUBLE) {
            double[] d = new double[n * v];
            for (int i = 0; i < n; i++) d[i * v + ids[i]] = 1.0;
            return Nd4j.create(d, new long[]{n, v}, DataType.DOUBLE);
        }
        float[] f = new float[n * v];
        for (int i = 0; i < n; i++) f[i * v + ids[i]] = 1f;
        return Nd4j.create(f, new long[]{n, v}, 'c').castTo(dataType);
    }

    private INDArray dropoutMask(long[] shape, Random rng) {
        long len = 1;
        for (long s : shape) len *= s;
        float[] m = new float[Math.toIntExact(len)];
        DropoutMasks.fill(rng, config.dropout(), m, m.length);
        return Nd4j.create(m, shape, 'c').castTo(dataType);
    }

    /** Loss and gradients of every parameter, in one execution. */
    public record LossAndGradients(double loss, Map<String, INDArray> gradients) {}

    public LossAndGradients lossAndGradients(Map<String, INDArray> feed) {
        List<String> names = new ArrayList<>(parameters.size());
        for (Parameter p : parameters) names.add(p.name());
        OutAndGrad out = sd.calculateGradientsAndOutputs(feed, List.of(LOSS), names);
        return new LossAndGradients(out.getOutputs().get(LOSS).getDouble(0), out.getGradients());
    }

    /** -ln p(target) of every position, [N]. */
    public INDArray tokenNll(Map<String, INDArray> feed) {
        return sd.output(feed, TOKEN_NLL).get(TOKEN_NLL);
    }

    public double loss(Map<String, INDArray> feed) {
        return sd.output(feed, LOSS).get(LOSS).getDouble(0);
    }

    /** Logits [N, V] for a batch of windows (targets are not needed). */
    public INDArray logits(int[] inputs, int batch) {
        Map<String, INDArray> feed = feed(inputs, inputs, batch, null);
        return sd.output(feed, LOGITS).get(LOGITS);
    }
}
