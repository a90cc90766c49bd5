package dev.lossfloor.trainer;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@link GptModel}'s network with hand-written forward and backward passes over arrays allocated once (after
 * llm.c's train_gpt2.c). Same parameters, same mathematics, same dropout masks; it exists because SameDiff M2.1
 * spends more time and memory around the ops than in them. GptModel stays the readable reference: tests check this
 * class's loss, log-probabilities and every gradient against it.
 *
 * <p>Layout: activations are row-major [N, width] float matrices, N = windows x context. The large matrix products
 * go to OpenBLAS on off-heap memory (bias rows and column sums too); element-wise work (LayerNorm, GELU, softmax)
 * runs on Java arrays, and a matrix both sides need is a {@link Dual} copied across once per use. Attention works
 * per (window, head), a head being a strided sub-matrix of the fused [N, 3C] query/key/value matrix (the model's
 * separate q, k, v weights are packed into one [C, 3C] product). Where Java's Vector API is present
 * ({@link VectorSupport}), attention, LayerNorm and GELU run as {@link VectorKernels} on Java arrays; otherwise
 * attention's small products go to OpenBLAS too and the rest runs as plain loops. Single precision only.
 */
public final class FastGpt {

    private final int vocab, layers, heads, embd, context, headSize, capacity;
    private final boolean tied;
    // attention in VectorKernels on Java arrays (score rows padded to tp), else per-head OpenBLAS products off-heap
    private final boolean vector;
    private final int tp;
    // LayerNorm and GELU in VectorKernels (rows of whole vectors), else scalar loops
    private final boolean vectorRows;
    private final double dropout;

    // parameters: float mirrors of the model's INDArrays (refreshed before each pass), in model.parameters() order,
    // in Java arrays (element-wise loops) and, for those a product reads, off-heap (null for the others)
    private final List<GptModel.Parameter> params;
    private final float[][] w, g;
    private final FloatPointer[] wNative;
    private final int iWte, iWpe, iLnfW, iLnfB, iHead;
    private final Block[] blocks;
    private final FloatPointer ones;         // [N] ones: bias rows and column sums as matrix products
    private final FloatPointer gradNative;   // a weight gradient as OpenBLAS writes it, before it is copied to g

    // activations of the last forward pass
    private final Dual[] resid;              // [L+1][N*C]: input of block l; resid[L] feeds the final LayerNorm
    private final Dual lnf, logits, probs;   // probs turns into d loss / d logits in the backward pass
    private final float[] lnfMean, lnfRstd;
    private final int[] targets;
    // backward scratch, shared by the blocks
    private final Dual dResid, dLn, dFc, dBranch; // dBranch: d(branch output) under a dropout mask
    private final FloatPointer dAttY, dQkv, dScores;
    private final FloatBuffer dScoresBuf;
    private final FloatPointer dAttYView, dQkvView; // second views for gemms that read and write the same memory
    private final Dual branch;                    // a residual branch's output before its dropout mask
    private final float[] dropEmb;                // embedding dropout mask
    private final float[] dropScratch;            // an attention dropout mask on its way off-heap
    private final float[] lnScratch, lnScratch2, softmaxRow, softmaxGrad; // one row of LayerNorm backward / attention scores
    private boolean lastPassDropped;
    // vector attention: Java copies of d(attention output) and d(q|k|v), one (window, head)'s dP/dS and a transposed K or V
    private final float[] dAttYJava, dQkvJava, dScoresJava, transposed;

    /**
     * A matrix kept twice: in a Java array, where element-wise loops vectorise, and off-heap, where OpenBLAS reads and
     * writes it without the copies JNI makes of Java arrays (in and out, for every operand of every product). Copies
     * between the two are explicit and made once per use.
     */
    private static final class Dual {
        final float[] a;
        final FloatPointer p;

        Dual(int len) {
            a = new float[len];
            p = new FloatPointer(len);
        }

        void toNative(int len) { p.put(a, 0, len); }

        void toJava(int len) { p.get(a, 0, len); }
    }

    /** One transformer block's parameters (packed), gradients and saved activations. */
    private final class Block {
        final int ln1W, ln1B, qW, qB, kW, kB, vW, vB, projW, projB, ln2W, ln2B, fcW, fcB, mprojW, mprojB;
        final float[] wQkv, bQkv, gWQkv, gBQkv;
        final FloatPointer wQkvNative, bQkvNative;
        final Dual ln1, resid1, ln2, fc, act;
        final float[] ln1Mean, ln1Rstd, ln2Mean, ln2Rstd, fcCdf;
        final FloatPointer qkv, qkvB, att, attB, attY;
        final FloatBuffer attBuf;
        // dropout (null without): masks of the last pass, and the dropped attention probabilities that multiply V
        final float[] dropAttOut, dropMlpOut;
        final FloatPointer dropAtt, attDrop;
        final FloatBuffer dropAttBuf, attDropBuf;
        // vector attention (null without): q|k|v and the attention output in Java arrays, probabilities [.., t, tp],
        // the attention dropout mask ([.., t, t], as drawn) and the dropped probabilities
        final float[] qkvJava, attYJava, probs, dropAttJava, probsDropped;

        Block(int l, Map<String, Integer> index) {
            String p = "h" + l + ".";
            ln1W = index.get(p + "ln1.weight"); ln1B = index.get(p + "ln1.bias");
            qW = index.get(p + "attn.q.weight"); qB = index.get(p + "attn.q.bias");
            kW = index.get(p + "attn.k.weight"); kB = index.get(p + "attn.k.bias");
            vW = index.get(p + "attn.v.weight"); vB = index.get(p + "attn.v.bias");
            projW = index.get(p + "attn.proj.weight"); projB = index.get(p + "attn.proj.bias");
            ln2W = index.get(p + "ln2.weight"); ln2B = index.get(p + "ln2.bias");
            fcW = index.get(p + "mlp.fc.weight"); fcB = index.get(p + "mlp.fc.bias");
            mprojW = index.get(p + "mlp.proj.weight"); mprojB = index.get(p + "mlp.proj.bias");
            int c = embd, n = capacity * context;
            wQkv = new float[c * 3 * c]; bQkv = new float[3 * c];
            gWQkv = new float[c * 3 * c]; gBQkv = new float[3 * c];
            wQkvNative = new FloatPointer((long) c * 3 * c); bQkvNative = new FloatPointer(3L * c);
            ln1 = new Dual(n * c); ln1Mean = new float[n]; ln1Rstd = new float[n];
            resid1 = new Dual(n * c);
            ln2 = new Dual(n * c); ln2Mean = new float[n]; ln2Rstd = new float[n];
            fc = new Dual(n * 4 * c); fcCdf = new float[n * 4 * c]; act = new Dual(n * 4 * c);
            qkv = new FloatPointer((long) n * 3 * c); qkvB = new FloatPointer(qkv);
            attY = new FloatPointer((long) n * c);
            boolean d = dropout > 0;
            dropAttOut = d ? new float[n * c] : null;
            dropMlpOut = d ? new float[n * c] : null;
            int attLen = capacity * heads * context * context;
            boolean blas = !vector;
            att = blas ? new FloatPointer(attLen) : null;
            attB = blas ? new FloatPointer(att) : null;
            attBuf = blas ? att.asBuffer() : null;
            dropAtt = blas && d ? new FloatPointer(attLen) : null;
            dropAttBuf = blas && d ? dropAtt.asBuffer() : null;
            attDrop = blas && d ? new FloatPointer(attLen) : null;
            attDropBuf = blas && d ? attDrop.asBuffer() : null;
            qkvJava = vector ? new float[n * 3 * c] : null;
            attYJava = vector ? new float[n * c] : null;
            probs = vector ? new float[capacity * heads * context * tp] : null;
            dropAttJava = vector && d ? new float[attLen] : null;
            probsDropped = vector && d ? new float[capacity * heads * context * tp] : null;
        }

        /** Packs the separate q, k, v weights [C, C] into one [C, 3C] matrix (row i = q_i | k_i | v_i). */
        void pack() {
            int c = embd;
            for (int i = 0; i < c; i++) {
                System.arraycopy(w[qW], i * c, wQkv, i * 3 * c, c);
                System.arraycopy(w[kW], i * c, wQkv, i * 3 * c + c, c);
                System.arraycopy(w[vW], i * c, wQkv, i * 3 * c + 2 * c, c);
            }
            System.arraycopy(w[qB], 0, bQkv, 0, c);
            System.arraycopy(w[kB], 0, bQkv, c, c);
            System.arraycopy(w[vB], 0, bQkv, 2 * c, c);
            wQkvNative.put(wQkv, 0, wQkv.length);
            bQkvNative.put(bQkv, 0, bQkv.length);
        }

        void unpackGradients() {
            int c = embd;
            for (int i = 0; i < c; i++) {
                System.arraycopy(gWQkv, i * 3 * c, g[qW], i * c, c);
                System.arraycopy(gWQkv, i * 3 * c + c, g[kW], i * c, c);
                System.arraycopy(gWQkv, i * 3 * c + 2 * c, g[vW], i * c, c);
            }
            System.arraycopy(gBQkv, 0, g[qB], 0, c);
            System.arraycopy(gBQkv, c, g[kB], 0, c);
            System.arraycopy(gBQkv, 2 * c, g[vB], 0, c);
        }
    }

    /**
     * A fast path over {@code model}'s parameters for passes of up to {@code capacity} windows. The model's parameter
     * arrays stay the source of truth: each pass reads them, so optimizer updates and checkpoint restores apply.
     */
    public FastGpt(GptModel model, int capacity) {
        this(model, capacity, VectorSupport.available());
    }

    /** The same, choosing the attention kernels: Vector API ({@code vectorKernels}, where the head size allows) or OpenBLAS. */
    FastGpt(GptModel model, int capacity, boolean vectorKernels) {
        if (model.dataType() != DataType.FLOAT)
            throw new IllegalArgumentException("the fast path is single precision; the model is " + model.dataType());
        GptConfig cfg = model.config();
        this.vocab = cfg.vocabSize();
        this.layers = cfg.layers();
        this.heads = cfg.heads();
        this.embd = cfg.embd();
        this.context = cfg.context();
        this.headSize = cfg.headSize();
        this.capacity = capacity;
        this.tied = cfg.tieWeights();
        this.dropout = cfg.dropout();
        this.vector = vectorAttention(headSize, vectorKernels);
        this.tp = vector ? VectorKernels.paddedLength(context) : context;
        this.vectorRows = vectorKernels && VectorKernels.supportsWidth(embd);
        this.params = model.parameters();
        Map<String, Integer> index = new HashMap<>();
        w = new float[params.size()][];
        g = new float[params.size()][];
        wNative = new FloatPointer[params.size()];
        int largest = 3 * embd * embd;
        for (int i = 0; i < params.size(); i++) {
            GptModel.Parameter p = params.get(i);
            index.put(p.name(), i);
            int len = Math.toIntExact(p.array().length());
            w[i] = new float[len];
            g[i] = new float[len];
            largest = Math.max(largest, len);
        }
        iWte = index.get("wte");
        iWpe = index.get("wpe");
        iLnfW = index.get("ln_f.weight");
        iLnfB = index.get("ln_f.bias");
        iHead = tied ? -1 : index.get("head");
        blocks = new Block[layers];
        for (int l = 0; l < layers; l++) blocks[l] = new Block(l, index);
        // off-heap copies of the parameters the products read as they are (q, k, v go packed; LayerNorms and wpe never)
        nativeCopy(tied ? iWte : iHead);
        for (Block b : blocks) for (int i : new int[]{b.projW, b.projB, b.fcW, b.fcB, b.mprojW, b.mprojB}) nativeCopy(i);
        int n = capacity * context, c = embd;
        ones = new FloatPointer(n);
        for (int i = 0; i < n; i++) ones.put(i, 1f);
        gradNative = new FloatPointer(largest);
        resid = new Dual[layers + 1];
        for (int l = 0; l <= layers; l++) resid[l] = new Dual(n * c);
        lnf = new Dual(n * c);
        lnfMean = new float[n];
        lnfRstd = new float[n];
        logits = new Dual(n * vocab);
        probs = new Dual(n * vocab);
        targets = new int[n];
        dResid = new Dual(n * c);
        dLn = new Dual(n * c);
        dFc = new Dual(n * 4 * c);
        dAttY = new FloatPointer((long) n * c);
        dAttYView = new FloatPointer(dAttY);
        dQkv = new FloatPointer((long) n * 3 * c);
        dQkvView = new FloatPointer(dQkv);
        dScores = vector ? null : new FloatPointer((long) context * context); // the OpenBLAS path's scratch
        dScoresBuf = vector ? null : dScores.asBuffer();
        dAttYJava = vector ? new float[n * c] : null;
        dQkvJava = vector ? new float[n * 3 * c] : null;
        dScoresJava = vector ? new float[context * tp] : null;
        transposed = vector ? new float[headSize * tp] : null;
        lnScratch = new float[c];
        lnScratch2 = new float[c];
        softmaxRow = vector ? null : new float[context * context];
        softmaxGrad = vector ? null : new float[context * context];
        boolean d = dropout > 0;
        dropEmb = d ? new float[n * c] : null;
        dropScratch = d ? new float[capacity * heads * context * context] : null;
        dBranch = d ? new Dual(n * c) : null;
        branch = d ? new Dual(n * c) : null;
    }

    private void nativeCopy(int param) {
        wNative[param] = new FloatPointer(w[param].length);
    }

    public int capacity() { return capacity; }

    /** Whether attention runs in {@link VectorKernels} (else OpenBLAS). */
    public boolean vectorAttention() { return vector; }

    /** Whether LayerNorm and GELU run in {@link VectorKernels} (else scalar loops). */
    boolean vectorRows() { return vectorRows; }

    /** What passes over {@code model} compute attention with, for run manifests (the paths round differently). */
    public static String attentionKernels(GptModel model) {
        if (!supports(model)) return "SameDiff graph";
        int hs = model.config().headSize();
        if (vectorAttention(hs, VectorSupport.available())) return "Vector API, " + VectorSupport.describe();
        if (!VectorSupport.available()) return "OpenBLAS; Vector API " + VectorSupport.describe();
        return "OpenBLAS (head size " + hs + " is not a whole number of " + VectorKernels.LANES + "-float vectors)";
    }

    /** The one rule for the attention path: the Vector API where it is on and a head is whole vectors. */
    static boolean vectorAttention(int headSize, boolean vectorKernels) {
        return vectorKernels && VectorKernels.supportsHeadSize(headSize);
    }

    /** Single precision on the CPU backend (OpenBLAS), unless -Dlossfloor.reference=true asks for SameDiff. */
    static boolean supports(GptModel model) {
        return model.dataType() == DataType.FLOAT && !Boolean.getBoolean("lossfloor.reference")
                && Nd4j.getEnvironment().isCPU();
    }

    // ------------------------------------------------------------------------------------------ public passes

    /**
     * Mean NLL of a batch (nats per token); leaves the gradient of every parameter in {@link #gradients()}: what
     * {@link GptModel#lossAndGradients} computes for the same batch and dropout masks.
     */
    public double lossAndGradients(int[] inputs, int[] targetIds, int batch, Random dropoutRng) {
        double loss = forward(inputs, targetIds, batch, dropoutRng, true, 0);
        backward(inputs, batch);
        return loss;
    }

    /** The last pass's gradients in {@link GptModel#parameters()} order (live arrays, overwritten by the next pass). */
    public float[][] gradients() { return g; }

    /** The last pass's gradients as ND4J arrays by parameter name (copies, for comparison with the reference). */
    public Map<String, INDArray> gradientArrays() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++)
            out.put(params.get(i).name(), Nd4j.create(g[i].clone(), params.get(i).array().shape(), 'c'));
        return out;
    }

    /** -ln p(target) of every position, into {@code out} (length >= batch x context); no dropout. */
    public void tokenNll(int[] inputs, int[] targetIds, int batch, double[] out) {
        tokenNll(inputs, targetIds, batch, 0, out);
    }

    /**
     * -ln p(target) of positions {@code from..context-1} of each window, window by window ([batch x (context - from)]
     * into {@code out}); no dropout. The last block computes only those positions: the earlier ones are context.
     */
    public void tokenNll(int[] inputs, int[] targetIds, int batch, int from, double[] out) {
        forward(inputs, null, batch, null, false, from);
        int m = context - from;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < m; i++) {
                int row = (b * m + i) * vocab;
                out[b * m + i] = logSumExp(logits.a, row) - logits.a[row + targetIds[b * context + from + i]];
            }
        }
    }

    /** Log-probabilities (nats) over the vocabulary at every position, [batch x context x vocab] row-major. */
    public void logProbabilities(int[] inputs, int batch, double[] out) {
        logProbabilities(inputs, batch, 0, out);
    }

    /**
     * Log-probabilities (nats) over the vocabulary at positions {@code from..context-1} of each window,
     * [batch x (context - from) x vocab] row-major; the last block computes only those positions.
     */
    public void logProbabilities(int[] inputs, int batch, int from, double[] out) {
        forward(inputs, null, batch, null, false, from);
        int rows = batch * (context - from);
        float[] z = logits.a;
        for (int i = 0; i < rows; i++) {
            int row = i * vocab;
            double logSum = logSumExp(z, row);
            for (int v = 0; v < vocab; v++) out[row + v] = z[row + v] - logSum;
        }
    }

    /** ln sum_v exp(z[row + v]) over one row of logits: max-shifted, float exps, summed in double. */
    private double logSumExp(float[] z, int row) {
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) max = Math.max(max, z[row + v]);
        double sum = 0;
        for (int v = 0; v < vocab; v++) sum += FastMath32.expNonPositive(z[row + v] - max);
        return max + Math.log(sum);
    }

    // ------------------------------------------------------------------------------------------ forward

    /**
     * Runs the network; with targets, returns the mean NLL and leaves softmax probabilities in {@code probs}. With
     * {@code from > 0} (inference only) the last block and the head compute only positions from..context-1 of each
     * window, so logits hold [batch x (context - from)] rows.
     */
    private double forward(int[] inputs, int[] targetIds, int batch, Random dropoutRng, boolean training, int from) {
        if (batch < 1 || batch > capacity)
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + capacity);
        if (from < 0 || from >= context || (training && from > 0))
            throw new IllegalArgumentException("first computed position " + from + " outside 0.." + (context - 1));
        refreshParameters();
        int n = batch * context, c = embd;
        // dropout masks drawn in GptModel.feed's order: embeddings, then per block attention, attn_out, mlp_out
        boolean drop = training && dropout > 0 && dropoutRng != null;
        lastPassDropped = drop;
        if (drop) mask(dropoutRng, dropEmb, n * c);
        // token + position embeddings
        float[] x0 = resid[0].a, wte = w[iWte], wpe = w[iWpe];
        for (int i = 0; i < n; i++) {
            int xo = i * c, eo = inputs[i] * c, po = (i % context) * c;
            for (int j = 0; j < c; j++) x0[xo + j] = wte[eo + j] + wpe[po + j];
        }
        if (drop) multiply(x0, dropEmb, n * c);
        resid[0].toNative(n * c);
        for (int l = 0; l < layers; l++) {
            Block b = blocks[l];
            if (drop) {
                if (vector) mask(dropoutRng, b.dropAttJava, batch * heads * context * context);
                else mask(dropoutRng, b.dropAtt, batch * heads * context * context);
                mask(dropoutRng, b.dropAttOut, n * c);
                mask(dropoutRng, b.dropMlpOut, n * c);
            }
            blockForward(b, resid[l], resid[l + 1], batch, drop, l == layers - 1 ? from : 0);
        }
        int rows = batch * (context - from);
        layerNorm(resid[layers].a, lnf.a, lnfMean, lnfRstd, w[iLnfW], w[iLnfB], rows);
        lnf.toNative(rows * c);
        if (tied) Blas.gemm(false, true, rows, vocab, c, 1f, lnf.p, wNative[iWte], 0f, logits.p);
        else Blas.gemm(false, false, rows, vocab, c, 1f, lnf.p, wNative[iHead], 0f, logits.p);
        logits.toJava(rows * vocab);
        if (targetIds == null) return Double.NaN;
        float[] z = logits.a, pr = probs.a;
        double nats = 0;
        for (int i = 0; i < n; i++) {
            int row = i * vocab;
            float max = Float.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) max = Math.max(max, z[row + v]);
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                float e = FastMath32.expNonPositive(z[row + v] - max);
                pr[row + v] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int v = 0; v < vocab; v++) pr[row + v] *= inv;
            targets[i] = targetIds[i];
            nats += (max + Math.log(sum)) - z[row + targetIds[i]];
        }
        return nats / n;
    }

    /**
     * out = x + attention branch + MLP branch, with x and out valid in both copies on return. With {@code from > 0}
     * only positions from..context-1 of each window are computed past the keys and values, and {@code out} holds
     * them compacted ([batch x (context - from)] rows).
     */
    private void blockForward(Block b, Dual x, Dual out, int batch, boolean drop, int from) {
        int n = batch * context, c = embd, rows = batch * (context - from);
        layerNorm(x.a, b.ln1.a, b.ln1Mean, b.ln1Rstd, w[b.ln1W], w[b.ln1B], n);
        b.ln1.toNative(n * c);
        Blas.biasRows(b.qkv, b.bQkvNative, ones, n, 3 * c, 0f);
        Blas.gemm(false, false, n, 3 * c, c, 1f, b.ln1.p, b.wQkvNative, 1f, b.qkv);
        attentionForward(b, batch, drop, from);
        // resid1 = x + dropout(attY . Wproj + bproj)
        if (from > 0) copyRows(x.p, b.resid1.p, batch, from);
        residualBranch(b.attY, rows, c, wNative[b.projW], wNative[b.projB], from > 0 ? null : x, b.resid1,
                drop ? b.dropAttOut : null);
        // out = resid1 + dropout(gelu(ln2 . Wfc + bfc) . Wmproj + bmproj)
        layerNorm(b.resid1.a, b.ln2.a, b.ln2Mean, b.ln2Rstd, w[b.ln2W], w[b.ln2B], rows);
        b.ln2.toNative(rows * c);
        Blas.biasRows(b.fc.p, wNative[b.fcB], ones, rows, 4 * c, 0f);
        Blas.gemm(false, false, rows, 4 * c, c, 1f, b.ln2.p, wNative[b.fcW], 1f, b.fc.p);
        b.fc.toJava(rows * 4 * c);
        gelu(b.fc.a, b.fcCdf, b.act.a, rows * 4 * c);
        b.act.toNative(rows * 4 * c);
        residualBranch(b.act.p, rows, 4 * c, wNative[b.mprojW], wNative[b.mprojB], b.resid1, out,
                drop ? b.dropMlpOut : null);
    }

    /**
     * out = base + mask * (in . weight + bias) over {@code rows} rows, valid in both copies on return. A null base
     * means out already holds it off-heap (the kept rows of a compacted last block); a mask needs base's Java copy.
     */
    private void residualBranch(FloatPointer in, int rows, int width, FloatPointer weight, FloatPointer bias, Dual base,
                                Dual out, float[] mask) {
        int c = embd, len = rows * c;
        if (mask == null) {
            if (base != null) Pointer.memcpy(out.p, base.p, (long) len * Float.BYTES);
            Blas.biasRows(out.p, bias, ones, rows, c, 1f);
            Blas.gemm(false, false, rows, c, width, 1f, in, weight, 1f, out.p);
            out.toJava(len);
        } else {
            Blas.biasRows(branch.p, bias, ones, rows, c, 0f);
            Blas.gemm(false, false, rows, c, width, 1f, in, weight, 1f, branch.p);
            branch.toJava(len);
            float[] o = out.a, x = base.a, br = branch.a;
            for (int i = 0; i < len; i++) o[i] = x[i] + br[i] * mask[i];
            out.toNative(len);
        }
    }

    /** Rows from..context-1 of every window of src, compacted into dst ([batch x (context - from)] rows). */
    private void copyRows(FloatPointer src, FloatPointer dst, int batch, int from) {
        int c = embd, m = context - from;
        long rowBytes = (long) c * Float.BYTES;
        for (int b = 0; b < batch; b++)
            Pointer.memcpy(dst.getPointer((long) b * m * c), src.getPointer(((long) b * context + from) * c), m * rowBytes);
    }

    /**
     * attY = softmax(Q K^T / sqrt(hs) + causal mask) V per window and head, off-heap. With {@code from > 0} only the
     * queries from..context-1 are computed and attY holds them compacted ([batch x (context - from)] rows).
     */
    private void attentionForward(Block b, int batch, boolean drop, int from) {
        if (vector) {
            attentionForwardVector(b, batch, drop, from);
            return;
        }
        int c = embd, t = context, hs = headSize, c3 = 3 * c, m = t - from;
        float scale = (float) (1.0 / Math.sqrt(hs));
        for (int w0 = 0; w0 < batch; w0++) {
            for (int h = 0; h < heads; h++) {
                long qkvRow = (long) w0 * t * c3, att = (long) (w0 * heads + h) * t * t;
                Blas.gemm(false, true, m, t, hs, scale, b.qkv, qkvRow + (long) from * c3 + h * hs, c3,
                        b.qkvB, qkvRow + c + h * hs, c3, 0f, b.att, att, t);
                causalSoftmax(b.attBuf, (int) att, m, t, from);
                FloatPointer weights = b.attB;
                if (drop) { // the backward pass needs both P (softmax) and P * mask (what multiplies V)
                    multiply(b.attBuf, b.dropAttBuf, b.attDropBuf, (int) att, t * t);
                    weights = b.attDrop;
                }
                Blas.gemm(false, false, m, hs, t, 1f, weights, att, t, b.qkv, qkvRow + 2 * c + h * hs, c3,
                        0f, b.attY, (long) w0 * m * c + h * hs, c);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ backward

    private void backward(int[] inputs, int batch) {
        int n = batch * context, c = embd;
        // d loss / d logits = (softmax - onehot) / n, in place over the probabilities
        float[] dLogits = probs.a;
        float invN = 1f / n;
        for (int i = 0; i < n; i++) {
            int row = i * vocab;
            for (int v = 0; v < vocab; v++) dLogits[row + v] *= invN;
            dLogits[row + targets[i]] -= invN;
        }
        probs.toNative(n * vocab);
        float[] gWte = g[iWte];
        if (tied) {
            Blas.gemm(false, false, n, c, vocab, 1f, probs.p, wNative[iWte], 0f, dLn.p);
            weightGradient(probs.p, lnf.p, vocab, c, n, gWte);
        } else {
            Blas.gemm(false, true, n, c, vocab, 1f, probs.p, wNative[iHead], 0f, dLn.p);
            weightGradient(lnf.p, probs.p, c, vocab, n, g[iHead]);
            java.util.Arrays.fill(gWte, 0f);
        }
        dLn.toJava(n * c);
        java.util.Arrays.fill(dResid.a, 0, n * c, 0f);
        layerNormBackward(dLn.a, resid[layers].a, lnfMean, lnfRstd, w[iLnfW], dResid.a, g[iLnfW], g[iLnfB], n);
        for (int l = layers - 1; l >= 0; l--) blockBackward(blocks[l], resid[l], batch);
        // embeddings: dropout on the sum, then scatter-add into the rows used
        float[] d = dResid.a;
        if (lastPassDropped) multiply(d, dropEmb, n * c);
        float[] gWpe = g[iWpe];
        java.util.Arrays.fill(gWpe, 0f);
        for (int i = 0; i < n; i++) {
            int xo = i * c, eo = inputs[i] * c, po = (i % context) * c;
            for (int j = 0; j < c; j++) {
                gWte[eo + j] += d[xo + j];
                gWpe[po + j] += d[xo + j];
            }
        }
        for (Block b : blocks) b.unpackGradients();
    }

    /** On entry dResid holds d loss / d (block output); on exit d loss / d (block input). */
    private void blockBackward(Block b, Dual x, int batch) {
        int n = batch * context, c = embd;
        boolean drop = lastPassDropped;
        // MLP branch: out = resid1 + dropout(mproj(gelu(fc(ln2(resid1)))))
        Dual dOut = branchGradient(drop ? b.dropMlpOut : null, n * c);
        weightGradient(b.act.p, dOut.p, 4 * c, c, n, g[b.mprojW]);
        biasGradient(dOut.p, n, c, g[b.mprojB]);
        Blas.gemm(false, true, n, 4 * c, c, 1f, dOut.p, wNative[b.mprojW], 0f, dFc.p);
        dFc.toJava(n * 4 * c);
        geluBackward(b.fc.a, b.fcCdf, dFc.a, n * 4 * c);
        dFc.toNative(n * 4 * c);
        weightGradient(b.ln2.p, dFc.p, c, 4 * c, n, g[b.fcW]);
        biasGradient(dFc.p, n, 4 * c, g[b.fcB]);
        Blas.gemm(false, true, n, c, 4 * c, 1f, dFc.p, wNative[b.fcW], 0f, dLn.p);
        dLn.toJava(n * c);
        layerNormBackward(dLn.a, b.resid1.a, b.ln2Mean, b.ln2Rstd, w[b.ln2W], dResid.a, g[b.ln2W], g[b.ln2B], n);
        // attention branch: resid1 = x + dropout(proj(attention(ln1(x))))
        Dual dProj = branchGradient(drop ? b.dropAttOut : null, n * c);
        weightGradient(b.attY, dProj.p, c, c, n, g[b.projW]);
        biasGradient(dProj.p, n, c, g[b.projB]);
        Blas.gemm(false, true, n, c, c, 1f, dProj.p, wNative[b.projW], 0f, dAttY);
        attentionBackward(b, batch, drop);
        weightGradient(b.ln1.p, dQkv, c, 3 * c, n, b.gWQkv);
        biasGradient(dQkv, n, 3 * c, b.gBQkv);
        Blas.gemm(false, true, n, c, 3 * c, 1f, dQkv, b.wQkvNative, 0f, dLn.p);
        dLn.toJava(n * c);
        layerNormBackward(dLn.a, x.a, b.ln1Mean, b.ln1Rstd, w[b.ln1W], dResid.a, g[b.ln1W], g[b.ln1B], n);
    }

    /** d loss / d (a residual branch's output), off-heap: dResid itself, or dResid times the branch's dropout mask. */
    private Dual branchGradient(float[] mask, int len) {
        if (mask == null) {
            dResid.toNative(len);
            return dResid;
        }
        multiply(dResid.a, mask, dBranch.a, len);
        dBranch.toNative(len);
        return dBranch;
    }

    /** into[inWidth, outWidth] = in^T . dOut over n rows (a linear layer's weight gradient). */
    private void weightGradient(FloatPointer in, FloatPointer dOut, int inWidth, int outWidth, int n, float[] into) {
        Blas.gemm(true, false, inWidth, outWidth, n, 1f, in, dOut, 0f, gradNative);
        gradNative.get(into, 0, inWidth * outWidth);
    }

    /** into[width] = column sums of dOut[n, width] (a bias gradient). */
    private void biasGradient(FloatPointer dOut, int n, int width, float[] into) {
        Blas.columnSums(dOut, ones, n, width, gradNative);
        gradNative.get(into, 0, width);
    }

    private void attentionBackward(Block b, int batch, boolean drop) {
        if (vector) {
            attentionBackwardVector(b, batch, drop);
            return;
        }
        int c = embd, t = context, hs = headSize, c3 = 3 * c;
        float scale = (float) (1.0 / Math.sqrt(hs));
        for (int w0 = 0; w0 < batch; w0++) {
            for (int h = 0; h < heads; h++) {
                long qkvRow = (long) w0 * t * c3, att = (long) (w0 * heads + h) * t * t, yRow = (long) w0 * t * c;
                // dP = dY V^T
                Blas.gemm(false, true, t, t, hs, 1f, dAttY, yRow + h * hs, c, b.qkv, qkvRow + 2 * c + h * hs, c3,
                        0f, dScores, 0, t);
                // dV = P^T dY (P after dropout), and dP through the dropout mask
                Blas.gemm(true, false, t, hs, t, 1f, drop ? b.attDrop : b.att, att, t, dAttYView, yRow + h * hs, c,
                        0f, dQkv, qkvRow + 2 * c + h * hs, c3);
                if (drop) multiplyInto(dScoresBuf, b.dropAttBuf, (int) att, t * t);
                // dS = P * (dP - rowsum(P * dP)), in place in dScores
                causalSoftmaxBackward(b.attBuf, (int) att, dScoresBuf, t);
                // dQ = dS K scale, dK = dS^T Q scale
                Blas.gemm(false, false, t, hs, t, scale, dScores, 0, t, b.qkv, qkvRow + c + h * hs, c3,
                        0f, dQkv, qkvRow + h * hs, c3);
                Blas.gemm(true, false, t, hs, t, scale, dScores, 0, t, b.qkvB, qkvRow + h * hs, c3,
                        0f, dQkvView, qkvRow + c + h * hs, c3);
            }
        }
    }

    /** attentionForward in VectorKernels: q|k|v copied to Java once, the output copied off-heap once. */
    private void attentionForwardVector(Block b, int batch, boolean drop, int from) {
        int c = embd, t = context, hs = headSize, c3 = 3 * c, m = t - from;
        float scale = (float) (1.0 / Math.sqrt(hs));
        float[] qkv = b.qkvJava, y = b.attYJava;
        b.qkv.get(qkv, 0, batch * t * c3);
        for (int w0 = 0; w0 < batch; w0++) {
            for (int h = 0; h < heads; h++) {
                int head = w0 * t * c3 + h * hs, att = (w0 * heads + h) * t * tp;
                VectorKernels.transpose(qkv, head + c, c3, t, hs, transposed, tp); // K^T
                VectorKernels.timesTransposedCausal(qkv, head + from * c3, c3, transposed, tp, m, from, hs, scale,
                        b.probs, att);
                VectorKernels.causalSoftmax(b.probs, att, m, tp, from);
                float[] weights = b.probs;
                if (drop) { // the backward pass needs both P and P * mask (what multiplies V)
                    dropProbabilities(b, w0 * heads + h);
                    weights = b.probsDropped;
                }
                VectorKernels.lowerTimes(weights, att, tp, m, from, qkv, head + 2 * c, c3, hs, 1f,
                        y, w0 * m * c + h * hs, c);
            }
        }
        b.attY.put(y, 0, batch * m * c);
    }

    /** probsDropped = probs * mask over one (window, head) block: the mask is [t, t], the probabilities [t, tp]. */
    private void dropProbabilities(Block b, int block) {
        int t = context;
        for (int i = 0; i < t; i++)
            VectorKernels.multiply(b.probs, (block * t + i) * tp, b.dropAttJava, (block * t + i) * t, b.probsDropped,
                    (block * t + i) * tp, t);
    }

    /** attentionBackward in VectorKernels: d(attention output) copied to Java once, d(q|k|v) copied off-heap once. */
    private void attentionBackwardVector(Block b, int batch, boolean drop) {
        int c = embd, t = context, hs = headSize, c3 = 3 * c;
        float scale = (float) (1.0 / Math.sqrt(hs));
        float[] qkv = b.qkvJava, dY = dAttYJava, dQkvOut = dQkvJava, dS = dScoresJava;
        dAttY.get(dY, 0, batch * t * c);
        for (int w0 = 0; w0 < batch; w0++) {
            for (int h = 0; h < heads; h++) {
                int head = w0 * t * c3 + h * hs, yRow = w0 * t * c + h * hs, block = w0 * heads + h, att = block * t * tp;
                // dP = dY V^T
                VectorKernels.transpose(qkv, head + 2 * c, c3, t, hs, transposed, tp);
                VectorKernels.timesTransposedCausal(dY, yRow, c, transposed, tp, t, 0, hs, 1f, dS, 0);
                // dV = P^T dY (P after dropout), and dP through the dropout mask
                VectorKernels.lowerTransposedTimes(drop ? b.probsDropped : b.probs, att, tp, t, dY, yRow, c, hs, 1f,
                        dQkvOut, head + 2 * c, c3);
                if (drop) {
                    for (int i = 0; i < t; i++)
                        VectorKernels.multiply(dS, i * tp, b.dropAttJava, (block * t + i) * t, dS, i * tp, i + 1);
                }
                // dS = P * (dP - rowsum(P * dP)), in place
                VectorKernels.causalSoftmaxBackward(b.probs, att, dS, t, tp);
                // dQ = dS K scale, dK = dS^T Q scale
                VectorKernels.lowerTimes(dS, 0, tp, t, 0, qkv, head + c, c3, hs, scale, dQkvOut, head, c3);
                VectorKernels.lowerTransposedTimes(dS, 0, tp, t, qkv, head, c3, hs, scale, dQkvOut, head + c, c3);
            }
        }
        dQkv.put(dQkvJava, 0, batch * t * c3);
    }

    // ------------------------------------------------------------------------------------------ kernels

    /**
     * Row-wise LayerNorm over the last axis as M2.1's layer_norm op computes it: population variance and no epsilon
     * (PyTorch adds 1e-5 to the variance; measured, see GptModel's layerNorm).
     */
    private void layerNorm(float[] x, float[] out, float[] mean, float[] rstd, float[] gain, float[] bias, int n) {
        int c = embd;
        if (vectorRows) {
            VectorKernels.layerNorm(x, out, mean, rstd, gain, bias, n, c);
            return;
        }
        for (int i = 0; i < n; i++) {
            int o = i * c;
            float m = sum(x, o, c) / c;
            float v = 0;
            for (int j = 0; j < c; j++) {
                float d = x[o + j] - m;
                v += d * d;
            }
            float r = (float) (1.0 / Math.sqrt(v / c));
            mean[i] = m;
            rstd[i] = r;
            for (int j = 0; j < c; j++) out[o + j] = (x[o + j] - m) * r * gain[j] + bias[j];
        }
    }

    /**
     * Adds d loss / dx to dx and writes (overwrites) the gain and bias gradients. Row reductions and the
     * element-wise parts are separate loops so that the latter vectorise.
     */
    private void layerNormBackward(float[] dOut, float[] x, float[] mean, float[] rstd, float[] gain, float[] dx,
                                   float[] dGain, float[] dBias, int n) {
        int c = embd;
        java.util.Arrays.fill(dGain, 0f);
        java.util.Arrays.fill(dBias, 0f);
        if (vectorRows) {
            VectorKernels.layerNormBackward(dOut, x, mean, rstd, gain, dx, dGain, dBias, n, c);
            return;
        }
        float[] norm = lnScratch, d = lnScratch2;
        for (int i = 0; i < n; i++) {
            int o = i * c;
            float m = mean[i], r = rstd[i];
            for (int j = 0; j < c; j++) norm[j] = (x[o + j] - m) * r;
            for (int j = 0; j < c; j++) d[j] = dOut[o + j] * gain[j];
            for (int j = 0; j < c; j++) dBias[j] += dOut[o + j];
            for (int j = 0; j < c; j++) dGain[j] += dOut[o + j] * norm[j];
            float meanD = sum(d, 0, c) / c, meanDNorm = dot(d, norm, c) / c;
            for (int j = 0; j < c; j++) dx[o + j] += (d[j] - meanD - norm[j] * meanDNorm) * r;
        }
    }

    /** Sum of a[o..o+len) with four accumulators (a float reduction does not vectorise; this breaks the chain). */
    private static float sum(float[] a, int o, int len) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += a[o + j];
            s1 += a[o + j + 1];
            s2 += a[o + j + 2];
            s3 += a[o + j + 3];
        }
        for (; j < len; j++) s0 += a[o + j];
        return (s0 + s1) + (s2 + s3);
    }

    private static float dot(float[] a, float[] b, int len) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < len; j++) s0 += a[j] * b[j];
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Exact GELU x Phi(x), Phi from the float erf (as PyTorch's default, not the tanh approximation); keeps Phi(x)
     * for the backward pass. Loops stay small so that the JIT vectorises them (one fused loop ran 10x slower).
     */
    private void gelu(float[] x, float[] cdf, float[] out, int len) {
        if (vectorRows) {
            VectorKernels.gelu(x, cdf, out, len);
            return;
        }
        for (int i = 0; i < len; i++) cdf[i] = 0.5f * (1f + FastMath32.erf(x[i] * FastMath32.SQRT_HALF));
        for (int i = 0; i < len; i++) out[i] = x[i] * cdf[i];
    }

    /** d(out) -> d(in) in place: GELU'(x) = Phi(x) + x phi(x). */
    private void geluBackward(float[] x, float[] cdf, float[] d, int len) {
        if (vectorRows) {
            VectorKernels.geluBackward(x, cdf, d, len);
            return;
        }
        for (int i = 0; i < len; i++) {
            float v = x[i];
            d[i] *= cdf[i] + v * FastMath32.normalDensity(v);
        }
    }

    /**
     * Softmax of each row i of a [rows, t] score block over columns 0..firstQuery+i (row i is query position
     * firstQuery + i); later columns become 0. Worked on in a Java array: bulk copies in and out are cheaper than
     * element access to off-heap memory.
     */
    private void causalSoftmax(FloatBuffer block, int offset, int rows, int t, int firstQuery) {
        float[] s = softmaxRow;
        block.get(offset, s, 0, rows * t);
        for (int i = 0; i < rows; i++) {
            int row = i * t, last = firstQuery + i;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j <= last; j++) max = Math.max(max, s[row + j]);
            float sum = 0;
            for (int j = 0; j <= last; j++) {
                float e = FastMath32.expNonPositive(s[row + j] - max);
                s[row + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int j = 0; j <= last; j++) s[row + j] *= inv;
            for (int j = last + 1; j < t; j++) s[row + j] = 0f;
        }
        block.put(offset, s, 0, rows * t);
    }

    /** dP (in d, a [t, t] block at 0) -> dS = P (dP - sum_j P dP) for the causal part; zero above the diagonal. */
    private void causalSoftmaxBackward(FloatBuffer probs, int offset, FloatBuffer dBlock, int t) {
        float[] p = softmaxRow, d = softmaxGrad;
        probs.get(offset, p, 0, t * t);
        dBlock.get(0, d, 0, t * t);
        for (int i = 0; i < t; i++) {
            int row = i * t;
            float dot = 0;
            for (int j = 0; j <= i; j++) dot += p[row + j] * d[row + j];
            for (int j = 0; j <= i; j++) d[row + j] = p[row + j] * (d[row + j] - dot);
            for (int j = i + 1; j < t; j++) d[row + j] = 0f;
        }
        dBlock.put(0, d, 0, t * t);
    }

    private static void multiply(float[] y, float[] m, int len) {
        for (int i = 0; i < len; i++) y[i] *= m[i];
    }

    /** out = y * m; returns out. */
    private static float[] multiply(float[] y, float[] m, float[] out, int len) {
        for (int i = 0; i < len; i++) out[i] = y[i] * m[i];
        return out;
    }

    /** out[offset..] = p[offset..] * m[offset..] over len elements. */
    private static void multiply(FloatBuffer p, FloatBuffer m, FloatBuffer out, int offset, int len) {
        for (int i = offset; i < offset + len; i++) out.put(i, p.get(i) * m.get(i));
    }

    /** d[0..len) *= m[offset..offset+len). */
    private static void multiplyInto(FloatBuffer d, FloatBuffer m, int offset, int len) {
        for (int i = 0; i < len; i++) d.put(i, d.get(i) * m.get(offset + i));
    }

    /** Inverted dropout mask, drawn exactly as GptModel.feed draws it. */
    private void mask(Random rng, float[] out, int len) {
        DropoutMasks.fill(rng, dropout, out, len);
    }

    private void mask(Random rng, FloatPointer out, int len) {
        DropoutMasks.fill(rng, dropout, dropScratch, len);
        out.put(dropScratch, 0, len);
    }

    /** Copies the model's current parameter values into the float mirrors (Java and off-heap) and packs q, k, v. */
    private void refreshParameters() {
        for (int i = 0; i < params.size(); i++) {
            params.get(i).array().data().asNioFloat().get(w[i]);
            if (wNative[i] != null) wNative[i].put(w[i], 0, w[i].length);
        }
        for (Block b : blocks) b.pack();
    }
}
