package dev.lossfloor.trainer;

import org.bytedeco.javacpp.FloatPointer;
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
 * <p>Layout: activations are row-major [N, width] float arrays, N = windows x context. Matrix products go to
 * OpenBLAS; attention works per (window, head) on off-heap copies so that a head is a strided sub-matrix of the
 * fused [N, 3C] query/key/value array (the model's separate q, k, v weights are packed into one [C, 3C] product).
 * Single precision only.
 */
public final class FastGpt {

    private final int vocab, layers, heads, embd, context, headSize, capacity;
    private final boolean tied;
    private final double dropout;

    // parameters: float mirrors of the model's INDArrays (refreshed before each pass), in model.parameters() order
    private final List<GptModel.Parameter> params;
    private final float[][] w, g;
    private final int iWte, iWpe, iLnfW, iLnfB, iHead;
    private final Block[] blocks;

    // activations of the last forward pass
    private final float[][] resid;      // [L+1][N*C]: input of block l; resid[L] feeds the final LayerNorm
    private final float[] lnf, lnfMean, lnfRstd, logits, probs;
    private final int[] targets;
    // backward scratch, shared by the blocks
    private final float[] dResid, dLn, dAttY, dFc, dQkv;
    private final FloatPointer dAttYOff, dQkvOff, dScoresOff;
    private final FloatBuffer dScoresBuf;
    private final FloatPointer dyView, dqkvView; // second views for gemms that read and write the same memory
    private final float[] dropEmb, dBranch;      // embedding dropout mask; d(branch output) under a dropout mask
    private final float[] lnScratch, lnScratch2, softmaxRow, softmaxGrad; // one row of LayerNorm backward / attention scores
    private boolean lastPassDropped;

    /** One transformer block's parameters (packed), gradients and saved activations. */
    private final class Block {
        final int ln1W, ln1B, qW, qB, kW, kB, vW, vB, projW, projB, ln2W, ln2B, fcW, fcB, mprojW, mprojB;
        final float[] wQkv, bQkv, gWQkv, gBQkv;
        final float[] ln1, ln1Mean, ln1Rstd, qkv, attY, resid1, ln2, ln2Mean, ln2Rstd, fc, fcCdf, act;
        final FloatPointer qkvOff, qkvOffB, attOff, attOffB, attYOff;
        final FloatBuffer attBuf;
        // dropout (null without): masks of the last pass, and the dropped attention probabilities that multiply V
        final float[] dropAttOut, dropMlpOut;
        final FloatPointer dropAttOff, attDropOff;
        final FloatBuffer dropAttBuf, attDropBuf;

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
            ln1 = new float[n * c]; ln1Mean = new float[n]; ln1Rstd = new float[n];
            qkv = new float[n * 3 * c]; attY = new float[n * c]; resid1 = new float[n * c];
            ln2 = new float[n * c]; ln2Mean = new float[n]; ln2Rstd = new float[n];
            fc = new float[n * 4 * c]; fcCdf = new float[n * 4 * c]; act = new float[n * 4 * c];
            qkvOff = new FloatPointer((long) n * 3 * c); qkvOffB = new FloatPointer(qkvOff);
            attOff = new FloatPointer((long) capacity * heads * context * context); attOffB = new FloatPointer(attOff);
            attBuf = attOff.asBuffer();
            attYOff = new FloatPointer((long) n * c);
            boolean d = dropout > 0;
            long attLen = (long) capacity * heads * context * context;
            dropAttOut = d ? new float[n * c] : null;
            dropMlpOut = d ? new float[n * c] : null;
            dropAttOff = d ? new FloatPointer(attLen) : null;
            dropAttBuf = d ? dropAttOff.asBuffer() : null;
            attDropOff = d ? new FloatPointer(attLen) : null;
            attDropBuf = d ? attDropOff.asBuffer() : null;
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
        this.params = model.parameters();
        Map<String, Integer> index = new HashMap<>();
        w = new float[params.size()][];
        g = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            GptModel.Parameter p = params.get(i);
            index.put(p.name(), i);
            int len = Math.toIntExact(p.array().length());
            w[i] = new float[len];
            g[i] = new float[len];
        }
        iWte = index.get("wte");
        iWpe = index.get("wpe");
        iLnfW = index.get("ln_f.weight");
        iLnfB = index.get("ln_f.bias");
        iHead = tied ? -1 : index.get("head");
        blocks = new Block[layers];
        for (int l = 0; l < layers; l++) blocks[l] = new Block(l, index);
        int n = capacity * context, c = embd;
        resid = new float[layers + 1][n * c];
        lnf = new float[n * c];
        lnfMean = new float[n];
        lnfRstd = new float[n];
        logits = new float[n * vocab];
        probs = new float[n * vocab];
        targets = new int[n];
        dResid = new float[n * c];
        dLn = new float[n * c];
        dAttY = new float[n * c];
        dFc = new float[n * 4 * c];
        dQkv = new float[n * 3 * c];
        dAttYOff = new FloatPointer((long) n * c);
        dyView = new FloatPointer(dAttYOff);
        dQkvOff = new FloatPointer((long) n * 3 * c);
        dqkvView = new FloatPointer(dQkvOff);
        dScoresOff = new FloatPointer((long) context * context);
        dScoresBuf = dScoresOff.asBuffer();
        lnScratch = new float[c];
        lnScratch2 = new float[c];
        softmaxRow = new float[context * context];
        softmaxGrad = new float[context * context];
        dropEmb = dropout > 0 ? new float[n * c] : null;
        dBranch = dropout > 0 ? new float[n * c] : null;
    }

    public int capacity() { return capacity; }

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
        double loss = forward(inputs, targetIds, batch, dropoutRng, true);
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
        forward(inputs, targetIds, batch, null, false);
        int n = batch * context;
        for (int i = 0; i < n; i++) out[i] = -Math.log(probs[i * vocab + targetIds[i]]);
    }

    /** Log-probabilities (nats) over the vocabulary at every position, [batch x context x vocab] row-major. */
    public void logProbabilities(int[] inputs, int batch, double[] out) {
        forward(inputs, null, batch, null, false);
        int n = batch * context;
        for (int i = 0; i < n; i++) {
            int row = i * vocab;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) max = Math.max(max, logits[row + v]);
            double sum = 0;
            for (int v = 0; v < vocab; v++) sum += Math.exp(logits[row + v] - max);
            double logSum = max + Math.log(sum);
            for (int v = 0; v < vocab; v++) out[row + v] = logits[row + v] - logSum;
        }
    }

    // ------------------------------------------------------------------------------------------ forward

    /** Runs the network; with targets, returns the mean NLL and leaves softmax probabilities in {@code probs}. */
    private double forward(int[] inputs, int[] targetIds, int batch, Random dropoutRng, boolean training) {
        if (batch < 1 || batch > capacity)
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + capacity);
        refreshParameters();
        int n = batch * context, c = embd;
        // dropout masks drawn in GptModel.feed's order: embeddings, then per block attention, attn_out, mlp_out
        boolean drop = training && dropout > 0 && dropoutRng != null;
        lastPassDropped = drop;
        if (drop) mask(dropoutRng, dropEmb, n * c);
        // token + position embeddings
        float[] x0 = resid[0], wte = w[iWte], wpe = w[iWpe];
        for (int i = 0; i < n; i++) {
            int xo = i * c, eo = inputs[i] * c, po = (i % context) * c;
            for (int j = 0; j < c; j++) x0[xo + j] = wte[eo + j] + wpe[po + j];
        }
        if (drop) multiply(x0, dropEmb, n * c);
        for (int l = 0; l < layers; l++) {
            Block b = blocks[l];
            if (drop) {
                mask(dropoutRng, b.dropAttBuf, batch * heads * context * context);
                mask(dropoutRng, b.dropAttOut, n * c);
                mask(dropoutRng, b.dropMlpOut, n * c);
            }
            blockForward(b, resid[l], resid[l + 1], batch, drop);
        }
        layerNorm(resid[layers], lnf, lnfMean, lnfRstd, w[iLnfW], w[iLnfB], n);
        if (tied) Blas.gemm(false, true, n, vocab, c, 1f, lnf, w[iWte], 0f, logits);
        else Blas.gemm(false, false, n, vocab, c, 1f, lnf, w[iHead], 0f, logits);
        if (targetIds == null) return Double.NaN;
        double nats = 0;
        for (int i = 0; i < n; i++) {
            int row = i * vocab;
            float max = Float.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) max = Math.max(max, logits[row + v]);
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                float e = (float) Math.exp(logits[row + v] - max);
                probs[row + v] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int v = 0; v < vocab; v++) probs[row + v] *= inv;
            targets[i] = targetIds[i];
            nats += (max + Math.log(sum)) - logits[row + targetIds[i]];
        }
        return nats / n;
    }

    private void blockForward(Block b, float[] x, float[] out, int batch, boolean drop) {
        int n = batch * context, c = embd;
        layerNorm(x, b.ln1, b.ln1Mean, b.ln1Rstd, w[b.ln1W], w[b.ln1B], n);
        fillRows(b.qkv, b.bQkv, n, 3 * c);
        Blas.gemm(false, false, n, 3 * c, c, 1f, b.ln1, b.wQkv, 1f, b.qkv);
        attentionForward(b, batch, drop);
        // resid1 = x + dropout(attY . Wproj + bproj)
        fillRows(b.resid1, w[b.projB], n, c);
        Blas.gemm(false, false, n, c, c, 1f, b.attY, w[b.projW], 1f, b.resid1);
        if (drop) multiply(b.resid1, b.dropAttOut, n * c);
        add(b.resid1, x, n * c);
        // out = resid1 + dropout(gelu(ln2 . Wfc + bfc) . Wmproj + bmproj)
        layerNorm(b.resid1, b.ln2, b.ln2Mean, b.ln2Rstd, w[b.ln2W], w[b.ln2B], n);
        fillRows(b.fc, w[b.fcB], n, 4 * c);
        Blas.gemm(false, false, n, 4 * c, c, 1f, b.ln2, w[b.fcW], 1f, b.fc);
        gelu(b.fc, b.fcCdf, b.act, n * 4 * c);
        fillRows(out, w[b.mprojB], n, c);
        Blas.gemm(false, false, n, c, 4 * c, 1f, b.act, w[b.mprojW], 1f, out);
        if (drop) multiply(out, b.dropMlpOut, n * c);
        add(out, b.resid1, n * c);
    }

    /** attY = softmax(Q K^T / sqrt(hs) + causal mask) V per window and head, on off-heap copies. */
    private void attentionForward(Block b, int batch, boolean drop) {
        int n = batch * context, c = embd, t = context, hs = headSize, c3 = 3 * c;
        float scale = (float) (1.0 / Math.sqrt(hs));
        b.qkvOff.put(b.qkv, 0, n * c3);
        for (int w0 = 0; w0 < batch; w0++) {
            for (int h = 0; h < heads; h++) {
                long qkvRow = (long) w0 * t * c3, att = (long) (w0 * heads + h) * t * t;
                Blas.gemm(false, true, t, t, hs, scale, b.qkvOff, qkvRow + h * hs, c3,
                        b.qkvOffB, qkvRow + c + h * hs, c3, 0f, b.attOff, att, t);
                causalSoftmax(b.attBuf, (int) att, t);
                FloatPointer weights = b.attOffB;
                if (drop) { // the backward pass needs both P (softmax) and P * mask (what multiplies V)
                    multiply(b.attBuf, b.dropAttBuf, b.attDropBuf, (int) att, t * t);
                    weights = b.attDropOff;
                }
                Blas.gemm(false, false, t, hs, t, 1f, weights, att, t, b.qkvOff, qkvRow + 2 * c + h * hs, c3,
                        0f, b.attYOff, (long) w0 * t * c + h * hs, c);
            }
        }
        b.attYOff.get(b.attY, 0, n * c);
    }

    // ------------------------------------------------------------------------------------------ backward

    private void backward(int[] inputs, int batch) {
        int n = batch * context, c = embd;
        // d loss / d logits = (softmax - onehot) / n, in place over the probabilities
        float[] dLogits = probs;
        float invN = 1f / n;
        for (int i = 0; i < n; i++) {
            int row = i * vocab;
            for (int v = 0; v < vocab; v++) dLogits[row + v] *= invN;
            dLogits[row + targets[i]] -= invN;
        }
        float[] gWte = g[iWte];
        if (tied) {
            Blas.gemm(false, false, n, c, vocab, 1f, dLogits, w[iWte], 0f, dLn);
            Blas.gemm(true, false, vocab, c, n, 1f, dLogits, lnf, 0f, gWte);
        } else {
            Blas.gemm(false, true, n, c, vocab, 1f, dLogits, w[iHead], 0f, dLn);
            Blas.gemm(true, false, c, vocab, n, 1f, lnf, dLogits, 0f, g[iHead]);
            java.util.Arrays.fill(gWte, 0f);
        }
        java.util.Arrays.fill(dResid, 0, n * c, 0f);
        layerNormBackward(dLn, resid[layers], lnfMean, lnfRstd, w[iLnfW], dResid, g[iLnfW], g[iLnfB], n);
        for (int l = layers - 1; l >= 0; l--) blockBackward(blocks[l], resid[l], batch);
        // embeddings: dropout on the sum, then scatter-add into the rows used
        if (lastPassDropped) multiply(dResid, dropEmb, n * c);
        float[] gWpe = g[iWpe];
        java.util.Arrays.fill(gWpe, 0f);
        for (int i = 0; i < n; i++) {
            int xo = i * c, eo = inputs[i] * c, po = (i % context) * c;
            for (int j = 0; j < c; j++) {
                gWte[eo + j] += dResid[xo + j];
                gWpe[po + j] += dResid[xo + j];
            }
        }
        for (Block b : blocks) b.unpackGradients();
    }

    /** On entry dResid holds d loss / d (block output); on exit d loss / d (block input). */
    private void blockBackward(Block b, float[] x, int batch) {
        int n = batch * context, c = embd;
        boolean drop = lastPassDropped;
        // MLP branch: out = resid1 + dropout(mproj(gelu(fc(ln2(resid1)))))
        float[] dOut = drop ? multiply(dResid, b.dropMlpOut, dBranch, n * c) : dResid;
        Blas.gemm(true, false, 4 * c, c, n, 1f, b.act, dOut, 0f, g[b.mprojW]);
        columnSums(dOut, g[b.mprojB], n, c);
        Blas.gemm(false, true, n, 4 * c, c, 1f, dOut, w[b.mprojW], 0f, dFc);
        geluBackward(b.fc, b.fcCdf, dFc, n * 4 * c);
        Blas.gemm(true, false, c, 4 * c, n, 1f, b.ln2, dFc, 0f, g[b.fcW]);
        columnSums(dFc, g[b.fcB], n, 4 * c);
        Blas.gemm(false, true, n, c, 4 * c, 1f, dFc, w[b.fcW], 0f, dLn);
        layerNormBackward(dLn, b.resid1, b.ln2Mean, b.ln2Rstd, w[b.ln2W], dResid, g[b.ln2W], g[b.ln2B], n);
        // attention branch: resid1 = x + dropout(proj(attention(ln1(x))))
        float[] dProj = drop ? multiply(dResid, b.dropAttOut, dBranch, n * c) : dResid;
        Blas.gemm(true, false, c, c, n, 1f, b.attY, dProj, 0f, g[b.projW]);
        columnSums(dProj, g[b.projB], n, c);
        Blas.gemm(false, true, n, c, c, 1f, dProj, w[b.projW], 0f, dAttY);
        attentionBackward(b, batch, drop);
        Blas.gemm(true, false, c, 3 * c, n, 1f, b.ln1, dQkv, 0f, b.gWQkv);
        columnSums(dQkv, b.gBQkv, n, 3 * c);
        Blas.gemm(false, true, n, c, 3 * c, 1f, dQkv, b.wQkv, 0f, dLn);
        layerNormBackward(dLn, x, b.ln1Mean, b.ln1Rstd, w[b.ln1W], dResid, g[b.ln1W], g[b.ln1B], n);
    }

    private void attentionBackward(Block b, int batch, boolean drop) {
        int n = batch * context, c = embd, t = context, hs = headSize, c3 = 3 * c;
        float scale = (float) (1.0 / Math.sqrt(hs));
        dAttYOff.put(dAttY, 0, n * c);
        for (int w0 = 0; w0 < batch; w0++) {
            for (int h = 0; h < heads; h++) {
                long qkvRow = (long) w0 * t * c3, att = (long) (w0 * heads + h) * t * t, yRow = (long) w0 * t * c;
                // dP = dY V^T
                Blas.gemm(false, true, t, t, hs, 1f, dAttYOff, yRow + h * hs, c, b.qkvOff, qkvRow + 2 * c + h * hs, c3,
                        0f, dScoresOff, 0, t);
                // dV = P^T dY (P after dropout), and dP through the dropout mask
                Blas.gemm(true, false, t, hs, t, 1f, drop ? b.attDropOff : b.attOff, att, t, dyView, yRow + h * hs, c,
                        0f, dQkvOff, qkvRow + 2 * c + h * hs, c3);
                if (drop) multiplyInto(dScoresBuf, b.dropAttBuf, (int) att, t * t);
                // dS = P * (dP - rowsum(P * dP)), in place in dScores
                causalSoftmaxBackward(b.attBuf, (int) att, dScoresBuf, t);
                // dQ = dS K scale, dK = dS^T Q scale
                Blas.gemm(false, false, t, hs, t, scale, dScoresOff, 0, t, b.qkvOff, qkvRow + c + h * hs, c3,
                        0f, dQkvOff, qkvRow + h * hs, c3);
                Blas.gemm(true, false, t, hs, t, scale, dScoresOff, 0, t, b.qkvOffB, qkvRow + h * hs, c3,
                        0f, dqkvView, qkvRow + c + h * hs, c3);
            }
        }
        dQkvOff.get(dQkv, 0, n * c3);
    }

    // ------------------------------------------------------------------------------------------ kernels

    /**
     * Row-wise LayerNorm over the last axis as M2.1's layer_norm op computes it: population variance and no epsilon
     * (PyTorch adds 1e-5 to the variance; measured, see GptModel's layerNorm).
     */
    private void layerNorm(float[] x, float[] out, float[] mean, float[] rstd, float[] gain, float[] bias, int n) {
        int c = embd;
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
    private static void gelu(float[] x, float[] cdf, float[] out, int len) {
        for (int i = 0; i < len; i++) cdf[i] = 0.5f * (1f + FastMath32.erf(x[i] * FastMath32.SQRT_HALF));
        for (int i = 0; i < len; i++) out[i] = x[i] * cdf[i];
    }

    /** d(out) -> d(in) in place: GELU'(x) = Phi(x) + x phi(x). */
    private static void geluBackward(float[] x, float[] cdf, float[] d, int len) {
        for (int i = 0; i < len; i++) {
            float v = x[i];
            d[i] *= cdf[i] + v * FastMath32.normalDensity(v);
        }
    }

    /**
     * Softmax of each row i of a [t, t] score block over columns 0..i; later columns become 0. The block is worked on
     * in a Java array (bulk copies in and out are cheaper than element access to off-heap memory).
     */
    private void causalSoftmax(FloatBuffer block, int offset, int t) {
        float[] s = softmaxRow;
        block.get(offset, s, 0, t * t);
        for (int i = 0; i < t; i++) {
            int row = i * t;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) max = Math.max(max, s[row + j]);
            float sum = 0;
            for (int j = 0; j <= i; j++) {
                float e = FastMath32.expNonPositive(s[row + j] - max);
                s[row + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int j = 0; j <= i; j++) s[row + j] *= inv;
            for (int j = i + 1; j < t; j++) s[row + j] = 0f;
        }
        block.put(offset, s, 0, t * t);
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

    private static void fillRows(float[] out, float[] row, int n, int width) {
        for (int i = 0; i < n; i++) System.arraycopy(row, 0, out, i * width, width);
    }

    private static void columnSums(float[] x, float[] out, int n, int width) {
        java.util.Arrays.fill(out, 0f);
        for (int i = 0; i < n; i++) {
            int o = i * width;
            for (int j = 0; j < width; j++) out[j] += x[o + j];
        }
    }

    private static void add(float[] y, float[] x, int len) {
        for (int i = 0; i < len; i++) y[i] += x[i];
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

    /** Inverted dropout mask, drawn exactly as GptModel.feed draws it: 1/keep with probability keep, else 0. */
    private void mask(Random rng, float[] out, int len) {
        double keep = 1.0 - dropout;
        for (int i = 0; i < len; i++) out[i] = rng.nextDouble() < keep ? (float) (1.0 / keep) : 0f;
    }

    private void mask(Random rng, FloatBuffer out, int len) {
        double keep = 1.0 - dropout;
        for (int i = 0; i < len; i++) out.put(i, rng.nextDouble() < keep ? (float) (1.0 / keep) : 0f);
    }

    /** Copies the model's current parameter values into the float mirrors and packs q, k, v. */
    private void refreshParameters() {
        for (int i = 0; i < params.size(); i++) params.get(i).array().data().asNioFloat().get(w[i]);
        for (Block b : blocks) b.pack();
    }
}
