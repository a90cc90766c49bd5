package dev.lossfloor.trainer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vector API's element-wise kernels against double-precision formulas: the softmax (its written-out exp, the
 * underflow clamp, the causal tail and the zeroed rest of each row) and GELU with its derivative. The products are
 * checked through FastGptTest, against the SameDiff graph.
 */
class VectorKernelsTest {

    @BeforeAll
    static void vectorApi() {
        assertTrue(VectorSupport.available(), "start the JVM with --add-modules jdk.incubator.vector");
    }

    @Test
    void causalSoftmaxMatchesDoublePrecisionAcrossWideScoreRanges() {
        int t = 37, tp = VectorKernels.paddedLength(t);
        Random r = new Random(3);
        for (int first : new int[]{0, 5, 20}) {
            int rows = t - first;
            float[] s = new float[rows * tp], scores = new float[rows * tp];
            // spreads up to ~200 nats: many exp arguments fall below -87, where the kernel returns 0
            for (int i = 0; i < s.length; i++) s[i] = scores[i] = (float) (r.nextGaussian() * (1 + 30 * r.nextDouble()));
            VectorKernels.causalSoftmax(s, 0, rows, tp, first);
            for (int i = 0; i < rows; i++) {
                int n = first + i + 1;
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < n; j++) max = Math.max(max, scores[i * tp + j]);
                for (int j = 0; j < n; j++) sum += Math.exp(scores[i * tp + j] - max);
                double total = 0;
                for (int j = 0; j < n; j++) {
                    double arg = scores[i * tp + j] - max, want = Math.exp(arg) / sum, got = s[i * tp + j];
                    // float's rounding of the argument x - max (half an ulp: 6e-8 relative) moves exp by |x - max| times it
                    double tolerance = want * (1e-6 + 6e-8 * Math.abs(arg)) + 1e-37;
                    assertEquals(want, got, tolerance, "first " + first + ", row " + i + ", column " + j);
                    total += got;
                }
                assertEquals(1.0, total, 1e-5, "row " + i + " sums to 1");
                for (int j = n; j < tp; j++) assertEquals(0f, s[i * tp + j], "past the diagonal: row " + i + ", column " + j);
            }
        }
    }

    @Test
    void geluAndItsDerivativeMatchTheExactFormulas() {
        int len = 64 * VectorKernels.LANES;
        float[] x = new float[len], cdf = new float[len], out = new float[len], d = new float[len];
        for (int i = 0; i < len; i++) x[i] = -9f + 18f * i / len;
        VectorKernels.gelu(x, cdf, out, len);
        java.util.Arrays.fill(d, 1f);
        VectorKernels.geluBackward(x, cdf, d, len);
        for (int i = 0; i < len; i++) {
            double phi = 0.5 * (1 + erf(x[i] / Math.sqrt(2))), density = Math.exp(-0.5 * x[i] * x[i]) / Math.sqrt(2 * Math.PI);
            assertEquals(phi, cdf[i], 1e-6, "Phi(" + x[i] + ")");
            assertEquals(x[i] * phi, out[i], 1e-5, "gelu(" + x[i] + ")");
            assertEquals(phi + x[i] * density, d[i], 2e-5, "gelu'(" + x[i] + ")");
        }
    }

    /** erf in double (Abramowitz-Stegun 7.1.26 is too coarse here): by its Taylor series / continued fraction. */
    private static double erf(double z) {
        double a = Math.abs(z);
        double result;
        if (a < 3) { // Taylor series, converges fast enough here
            double term = a, sum = a;
            for (int n = 1; n < 200; n++) {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
            }
            result = 2 / Math.sqrt(Math.PI) * sum;
        } else { // continued fraction for erfc
            double f = 0;
            for (int n = 60; n >= 1; n--) f = n / 2.0 / (a + f);
            result = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + f);
        }
        return Math.signum(z) * result;
    }
}
