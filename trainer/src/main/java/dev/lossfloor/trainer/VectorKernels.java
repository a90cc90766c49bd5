package dev.lossfloor.trainer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast path's attention and LayerNorm kernels in Java's Vector API (the jdk.incubator.vector module): SIMD at the
 * width the JVM detects, whatever BLAS kernel the environment pins. Only {@link Kernels} touches this class, and only
 * when the module is present (the JVM was started with {@code --add-modules jdk.incubator.vector}, as the
 * {@code lossfloor} launcher does); without it FastGpt runs attention through OpenBLAS and LayerNorm in plain loops.
 *
 * <p>Attention works on one (window, head) at a time: a head's queries, keys and values are strided [t, hs] blocks
 * of the fused q|k|v rows; score blocks are [t, tp] with rows padded to a whole number of vectors (tp). Products
 * keep several independent accumulators (one per output row of a block of {@link #ROWS}) so that the FMA latency
 * is hidden; causal structure is used throughout (no work above the diagonal beyond the last partial vector).
 */
final class VectorKernels {
    private VectorKernels() {}

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    static final int ROWS = 8; // output rows per block: independent FMA chains

    /** Row length of a [t, t] score block padded to whole vectors. */
    static int paddedLength(int t) {
        return (t + LANES - 1) / LANES * LANES;
    }

    /** Head sizes the kernels take: whole vectors. */
    static boolean supportsHeadSize(int hs) {
        return hs % LANES == 0;
    }

    /** dst[c * tp + r] = src[so + r * ss + c]: a [rows, cols] strided block transposed into rows of length tp. */
    static void transpose(float[] src, int so, int ss, int rows, int cols, float[] dst, int tp) {
        for (int c = 0; c < cols; c++) {
            int o = c * tp;
            for (int r = 0; r < rows; r++) dst[o + r] = src[so + r * ss + c];
        }
    }

    /**
     * The one micro-kernel behind the three products below: for r < rows (at most ROWS) and k in [kFrom, kTo),
     * out[oo + r * os ..+LANES] = alpha * sum_k a[ao + r * ar + k * ak] * b[bo + k * bk ..+LANES]. A row block of
     * ROWS keeps its ROWS accumulators in registers: independent FMA chains that hide the FMA's latency, each vector of
     * b loaded once for all of them. It takes and returns no vectors (C2 boxes a vector that crosses a call it did
     * not inline); fewer rows (a block's tail) go one at a time.
     */
    private static void rowBlock(float[] a, int ao, int ar, int ak, float[] b, int bo, int bk, int kFrom, int kTo,
                                 int rows, float alpha, float[] out, int oo, int os) {
        if (rows == ROWS) {
            FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            for (int k = kFrom; k < kTo; k++) {
                FloatVector v = FloatVector.fromArray(SPECIES, b, bo + k * bk);
                int x = ao + k * ak;
                s0 = v.fma(FloatVector.broadcast(SPECIES, a[x]), s0);
                s1 = v.fma(FloatVector.broadcast(SPECIES, a[x + ar]), s1);
                s2 = v.fma(FloatVector.broadcast(SPECIES, a[x + 2 * ar]), s2);
                s3 = v.fma(FloatVector.broadcast(SPECIES, a[x + 3 * ar]), s3);
                s4 = v.fma(FloatVector.broadcast(SPECIES, a[x + 4 * ar]), s4);
                s5 = v.fma(FloatVector.broadcast(SPECIES, a[x + 5 * ar]), s5);
                s6 = v.fma(FloatVector.broadcast(SPECIES, a[x + 6 * ar]), s6);
                s7 = v.fma(FloatVector.broadcast(SPECIES, a[x + 7 * ar]), s7);
            }
            s0.mul(alpha).intoArray(out, oo);
            s1.mul(alpha).intoArray(out, oo + os);
            s2.mul(alpha).intoArray(out, oo + 2 * os);
            s3.mul(alpha).intoArray(out, oo + 3 * os);
            s4.mul(alpha).intoArray(out, oo + 4 * os);
            s5.mul(alpha).intoArray(out, oo + 5 * os);
            s6.mul(alpha).intoArray(out, oo + 6 * os);
            s7.mul(alpha).intoArray(out, oo + 7 * os);
        } else {
            for (int r = 0; r < rows; r++) {
                FloatVector s = FloatVector.zero(SPECIES);
                for (int k = kFrom; k < kTo; k++)
                    s = FloatVector.fromArray(SPECIES, b, bo + k * bk).fma(FloatVector.broadcast(SPECIES, a[ao + r * ar + k * ak]), s);
                s.mul(alpha).intoArray(out, oo + r * os);
            }
        }
    }

    /**
     * out[oo + i * tp + j] = scale * sum_d a[ao + i * as + d] * bt[d * tp + j] for rows i < rows, where row i is query
     * position first + i: per block of rows, the columns up to the block's last diagonal element (whole vectors; the
     * rest of the row is left as it was). Q K^T (bt = K^T) and dY V^T (bt = V^T).
     */
    static void timesTransposedCausal(float[] a, int ao, int as, float[] bt, int tp, int rows, int first, int hs,
                                      float scale, float[] out, int oo) {
        for (int i = 0; i < rows; i += ROWS) {
            int block = Math.min(ROWS, rows - i);
            for (int j = 0; j < first + i + block; j += LANES)
                rowBlock(a, ao + i * as, as, 1, bt, j, tp, 0, hs, block, scale, out, oo + i * tp + j, tp);
        }
    }

    /**
     * out[oo + i * os + d] = alpha * sum_{j <= first + i} p[po + i * tp + j] * b[bo + j * bs + d] for rows i < rows: a
     * causal [rows, t] block (row i is query position first + i) times a [t, hs] block. P V (attention output) and
     * dS K (query gradient). Entries of p past the diagonal must be zero (a row block reads up to its last row's).
     */
    static void lowerTimes(float[] p, int po, int tp, int rows, int first, float[] b, int bo, int bs, int hs,
                           float alpha, float[] out, int oo, int os) {
        for (int i = 0; i < rows; i += ROWS) {
            int block = Math.min(ROWS, rows - i);
            for (int dc = 0; dc < hs; dc += LANES)
                rowBlock(p, po + i * tp, tp, 1, b, bo + dc, bs, 0, first + i + block, block, alpha, out, oo + i * os + dc, os);
        }
    }

    /**
     * out[oo + j * os + d] = alpha * sum_{i >= j} p[po + i * tp + j] * b[bo + i * bs + d]: the transpose of a
     * lower-triangular [t, t] block times a [t, hs] block. P^T dY (value gradient) and dS^T Q (key gradient). Entries
     * of p above the diagonal must be zero.
     */
    static void lowerTransposedTimes(float[] p, int po, int tp, int t, float[] b, int bo, int bs, int hs, float alpha,
                                     float[] out, int oo, int os) {
        for (int j = 0; j < t; j += ROWS) {
            int block = Math.min(ROWS, t - j);
            for (int dc = 0; dc < hs; dc += LANES)
                rowBlock(p, po + j, 1, tp, b, bo + dc, bs, j, t, block, alpha, out, oo + j * os + dc, os);
        }
    }

    /** 0, 1, .., LANES-1: {@code IOTA.compare(GE, n - j)} marks the lanes of the vector at j that are past n. */
    private static final FloatVector IOTA;
    static {
        float[] lanes = new float[LANES];
        for (int l = 0; l < LANES; l++) lanes[l] = l;
        IOTA = FloatVector.fromArray(SPECIES, lanes, 0);
    }

    private static final float LOG2E = 1.44269504088896341f, ROUND = 12582912f; // 1.5 * 2^23: adding it rounds to an integer

    /**
     * Softmax of each row i of a [rows, tp] score block over columns 0..first+i (row i is query position first + i);
     * the rest of the row (to tp) becomes 0. exp is Cephes' expf polynomial (as FastMath32.expNonPositive, relative
     * error about 2e-7, 0 below -87), with 2^n from the bits of x log2(e) + 1.5 x 2^23, whose low mantissa bits are
     * the rounded exponent: float additions and integer shifts only. Written out here rather than called: C2 boxes a
     * vector passed to a method it did not inline, and it does not inline one it has already compiled large.
     */
    static void causalSoftmax(float[] s, int so, int rows, int tp, int first) {
        for (int i = 0; i < rows; i++) {
            int row = so + i * tp, n = first + i + 1;
            FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < n; j += LANES) {
                VectorMask<Float> past = IOTA.compare(VectorOperators.GE, (float) (n - j)); // lanes past the diagonal
                max = max.max(FloatVector.fromArray(SPECIES, s, row + j).blend(Float.NEGATIVE_INFINITY, past));
            }
            float m = max.reduceLanes(VectorOperators.MAX);
            FloatVector sum = FloatVector.zero(SPECIES);
            int j = 0;
            for (; j < n; j += LANES) {
                VectorMask<Float> past = IOTA.compare(VectorOperators.GE, (float) (n - j));
                FloatVector x = FloatVector.fromArray(SPECIES, s, row + j).sub(m);
                VectorMask<Float> under = x.compare(VectorOperators.LT, -87f);
                FloatVector v = x.max(-87f);
                FloatVector shifted = v.fma(LOG2E, ROUND);
                FloatVector k = shifted.sub(ROUND);
                FloatVector r = v.sub(k.mul(0.693359375f)).add(k.mul(2.12194440e-4f));
                FloatVector poly = r.fma(1.9875691500E-4f, 1.3981999507E-3f);
                poly = poly.fma(r, FloatVector.broadcast(SPECIES, 8.3334519073E-3f));
                poly = poly.fma(r, FloatVector.broadcast(SPECIES, 4.1665795894E-2f));
                poly = poly.fma(r, FloatVector.broadcast(SPECIES, 1.6666665459E-1f));
                poly = poly.fma(r, FloatVector.broadcast(SPECIES, 5.0000001201E-1f));
                FloatVector y = poly.mul(r).fma(r, r).add(1f);
                IntVector bits = shifted.reinterpretAsInts().sub(0x4B400000 - 127).lanewise(VectorOperators.LSHL, 23);
                FloatVector e = y.mul(bits.reinterpretAsFloats()).blend(0f, under.or(past));
                e.intoArray(s, row + j);
                sum = sum.add(e);
            }
            for (; j < tp; j += LANES) FloatVector.zero(SPECIES).intoArray(s, row + j);
            float inv = 1f / sum.reduceLanes(VectorOperators.ADD);
            for (int c = 0; c < n; c += LANES) FloatVector.fromArray(SPECIES, s, row + c).mul(inv).intoArray(s, row + c);
        }
    }

    /**
     * d -> P (d - sum_j P d) per row of a [t, tp] block, in place (d: a block at 0; d past the diagonal is scratch and
     * is not read); P is zero past the diagonal, and so is the result.
     */
    static void causalSoftmaxBackward(float[] p, int po, float[] d, int t, int tp) {
        for (int i = 0; i < t; i++) {
            int row = i * tp, n = i + 1;
            FloatVector dot = FloatVector.zero(SPECIES);
            for (int j = 0; j < n; j += LANES) {
                VectorMask<Float> past = IOTA.compare(VectorOperators.GE, (float) (n - j));
                FloatVector pd = FloatVector.fromArray(SPECIES, p, po + row + j).mul(FloatVector.fromArray(SPECIES, d, row + j));
                dot = dot.add(pd.blend(0f, past));
            }
            float c = dot.reduceLanes(VectorOperators.ADD);
            int j = 0;
            for (; j < n; j += LANES) {
                VectorMask<Float> past = IOTA.compare(VectorOperators.GE, (float) (n - j));
                FloatVector.fromArray(SPECIES, p, po + row + j).mul(FloatVector.fromArray(SPECIES, d, row + j).sub(c))
                        .blend(0f, past).intoArray(d, row + j);
            }
            for (; j < tp; j += LANES) FloatVector.zero(SPECIES).intoArray(d, row + j);
        }
    }

    /** out[oo + k] = a[ao + k] * b[bo + k] for k < len (dropout masks). */
    static void multiply(float[] a, int ao, float[] b, int bo, float[] out, int oo, int len) {
        int k = 0;
        for (; k + LANES <= len; k += LANES)
            FloatVector.fromArray(SPECIES, a, ao + k).mul(FloatVector.fromArray(SPECIES, b, bo + k)).intoArray(out, oo + k);
        for (; k < len; k++) out[oo + k] = a[ao + k] * b[bo + k];
    }

    /** Row widths the LayerNorm and element-wise kernels take: whole vectors. */
    static boolean supportsWidth(int c) {
        return c % LANES == 0;
    }

    /**
     * Row-wise LayerNorm over rows of width c, as FastGpt's scalar loop (population variance, no epsilon): out =
     * (x - mean) rstd gain + bias, keeping mean and rstd per row.
     */
    static void layerNorm(float[] x, float[] out, float[] mean, float[] rstd, float[] gain, float[] bias, int n, int c) {
        for (int i = 0; i < n; i++) {
            int o = i * c;
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int j = 0; j < c; j += LANES) sum = sum.add(FloatVector.fromArray(SPECIES, x, o + j));
            float m = sum.reduceLanes(VectorOperators.ADD) / c;
            FloatVector squares = FloatVector.zero(SPECIES);
            for (int j = 0; j < c; j += LANES) {
                FloatVector d = FloatVector.fromArray(SPECIES, x, o + j).sub(m);
                squares = d.fma(d, squares);
            }
            float r = (float) (1.0 / Math.sqrt(squares.reduceLanes(VectorOperators.ADD) / c));
            mean[i] = m;
            rstd[i] = r;
            for (int j = 0; j < c; j += LANES)
                FloatVector.fromArray(SPECIES, x, o + j).sub(m).mul(r)
                        .fma(FloatVector.fromArray(SPECIES, gain, j), FloatVector.fromArray(SPECIES, bias, j))
                        .intoArray(out, o + j);
        }
    }

    /**
     * LayerNorm's backward pass: adds d loss / dx to dx and accumulates the gain and bias gradients (which the caller
     * zeroes). With x-hat = (x - mean) rstd and d = dOut gain: dx += (d - mean(d) - x-hat mean(d x-hat)) rstd.
     */
    static void layerNormBackward(float[] dOut, float[] x, float[] mean, float[] rstd, float[] gain, float[] dx,
                                  float[] dGain, float[] dBias, int n, int c) {
        for (int i = 0; i < n; i++) {
            int o = i * c;
            float m = mean[i], r = rstd[i];
            FloatVector sumD = FloatVector.zero(SPECIES), sumDNorm = sumD;
            for (int j = 0; j < c; j += LANES) {
                FloatVector g = FloatVector.fromArray(SPECIES, dOut, o + j);
                FloatVector norm = FloatVector.fromArray(SPECIES, x, o + j).sub(m).mul(r);
                FloatVector d = g.mul(FloatVector.fromArray(SPECIES, gain, j));
                FloatVector.fromArray(SPECIES, dBias, j).add(g).intoArray(dBias, j);
                g.fma(norm, FloatVector.fromArray(SPECIES, dGain, j)).intoArray(dGain, j);
                sumD = sumD.add(d);
                sumDNorm = d.fma(norm, sumDNorm);
            }
            float meanD = sumD.reduceLanes(VectorOperators.ADD) / c;
            float meanDNorm = sumDNorm.reduceLanes(VectorOperators.ADD) / c;
            for (int j = 0; j < c; j += LANES) {
                FloatVector norm = FloatVector.fromArray(SPECIES, x, o + j).sub(m).mul(r);
                FloatVector d = FloatVector.fromArray(SPECIES, dOut, o + j).mul(FloatVector.fromArray(SPECIES, gain, j));
                d.sub(meanD).sub(norm.mul(meanDNorm)).fma(FloatVector.broadcast(SPECIES, r), FloatVector.fromArray(SPECIES, dx, o + j))
                        .intoArray(dx, o + j);
            }
        }
    }

    /**
     * Exact GELU x Phi(x) over len elements (a multiple of LANES), keeping Phi(x): FastMath32's erf (a rational
     * function, |error| < 5e-7), written out in vectors (see causalSoftmax for why not called).
     */
    static void gelu(float[] x, float[] cdf, float[] out, int len) {
        for (int i = 0; i < len; i += LANES) {
            FloatVector xi = FloatVector.fromArray(SPECIES, x, i);
            FloatVector v = xi.mul(FastMath32.SQRT_HALF).max(-4f).min(4f);
            FloatVector x2 = v.mul(v);
            FloatVector p = x2.fma(-2.72614225801306e-10f, 2.77068142495902e-08f);
            p = p.fma(x2, FloatVector.broadcast(SPECIES, -2.10102402082508e-06f));
            p = p.fma(x2, FloatVector.broadcast(SPECIES, -5.69250639462346e-05f));
            p = p.fma(x2, FloatVector.broadcast(SPECIES, -7.34990630326855e-04f));
            p = p.fma(x2, FloatVector.broadcast(SPECIES, -2.95459980854025e-03f));
            p = p.fma(x2, FloatVector.broadcast(SPECIES, -1.60960333262415e-02f));
            FloatVector q = x2.fma(-1.45660718464996e-05f, -2.13374055278905e-04f);
            q = q.fma(x2, FloatVector.broadcast(SPECIES, -1.68282697438203e-03f));
            q = q.fma(x2, FloatVector.broadcast(SPECIES, -7.37332916720468e-03f));
            q = q.fma(x2, FloatVector.broadcast(SPECIES, -1.42647390514189e-02f));
            FloatVector phi = v.mul(p).div(q).add(1f).mul(0.5f);
            phi.intoArray(cdf, i);
            xi.mul(phi).intoArray(out, i);
        }
    }

    /**
     * d(out) -> d(in) in place over len elements (a multiple of LANES): GELU'(x) = Phi(x) + x phi(x), with
     * FastMath32's normal density ((exp(-x^2/128))^64 / sqrt(2 pi) by a Taylor polynomial) written out in vectors.
     */
    static void geluBackward(float[] x, float[] cdf, float[] d, int len) {
        for (int i = 0; i < len; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector y = v.mul(v).min(36f).mul(-1f / 128f);
            FloatVector e = y.fma(1f / 720, 1f / 120);
            e = e.fma(y, FloatVector.broadcast(SPECIES, 1f / 24));
            e = e.fma(y, FloatVector.broadcast(SPECIES, 1f / 6));
            e = e.fma(y, FloatVector.broadcast(SPECIES, 0.5f));
            e = e.fma(y, FloatVector.broadcast(SPECIES, 1f));
            e = e.fma(y, FloatVector.broadcast(SPECIES, 1f));
            e = e.mul(e); e = e.mul(e); e = e.mul(e); e = e.mul(e); e = e.mul(e); e = e.mul(e); // ^64
            FloatVector slope = v.fma(e.mul(FastMath32.INV_SQRT_2PI), FloatVector.fromArray(SPECIES, cdf, i));
            FloatVector.fromArray(SPECIES, d, i).mul(slope).intoArray(d, i);
        }
    }

}
