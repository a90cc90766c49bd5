package dev.lossfloor.trainer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written passes against the SameDiff reference: the same loss, log-probabilities and gradient of every
 * parameter. The reference runs in double precision (its gradients pass the finite-difference check in
 * GptModelTest), the fast path in float, so the tolerances are float's. Each check runs both attention paths: the
 * Vector API kernels ({@code vector = true}; head sizes of 16 and 32 floats are whole vectors at every width, contexts
 * of 13 and 19 leave partial row blocks and padded score rows) and the OpenBLAS products.
 */
class FastGptTest {

    /** The inference checks' model: head size 32 (whole vectors), context 19 (a partial row block, padded rows). */
    private static final GptConfig INFERENCE = new GptConfig(13, 2, 2, 32, 19, 0.0, true);

    /** A fast path on the asked-for attention kernels; fails, rather than testing the other path, if they are absent. */
    static FastGpt fastPath(GptModel model, int capacity, boolean vector) {
        if (vector) assertTrue(VectorSupport.available(), "the JVM runs without the Vector API: start it with "
                + "--add-modules jdk.incubator.vector (Maven's surefire does)");
        FastGpt fast = new FastGpt(model, capacity, vector);
        assertEquals(vector, fast.vectorAttention(), "attention kernels");
        assertEquals(vector, fast.vectorRows(), "LayerNorm and GELU kernels");
        return fast;
    }

    private static int[][] batch(int vocab, int n, long seed) {
        Random r = new Random(seed);
        int[] in = new int[n], tg = new int[n];
        for (int i = 0; i < n; i++) {
            in[i] = r.nextInt(vocab);
            tg[i] = r.nextInt(vocab);
        }
        return new int[][]{in, tg};
    }

    private static double[] flat(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    private static void assertGradientsMatch(GptConfig cfg, int batch, int capacity, long dropoutSeed, boolean vector) {
        GptModel reference = GptModel.create(cfg, DataType.DOUBLE, 7);
        GptModel model = GptModel.create(cfg, DataType.FLOAT, 7);
        FastGpt fast = fastPath(model, capacity, vector);
        int[][] b = batch(cfg.vocabSize(), batch * cfg.context(), 3);
        Random refRng = dropoutSeed < 0 ? null : new Random(dropoutSeed);
        Random fastRng = dropoutSeed < 0 ? null : new Random(dropoutSeed);
        GptModel.LossAndGradients expected = reference.lossAndGradients(reference.feed(b[0], b[1], batch, refRng));
        double actualLoss = fast.lossAndGradients(b[0], b[1], batch, fastRng);
        Map<String, INDArray> actualGradients = fast.gradientArrays();

        assertEquals(expected.loss(), actualLoss, 2e-5 * Math.abs(expected.loss()), "loss");
        for (GptModel.Parameter p : model.parameters()) {
            double[] want = flat(expected.gradients().get(p.name()));
            double[] got = flat(actualGradients.get(p.name()));
            double scale = 0, worst = 0;
            for (double v : want) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]));
            assertTrue(scale > 0, p.name() + " has an all-zero reference gradient; the batch does not exercise it");
            assertTrue(worst <= 2e-4 * scale + 1e-8,
                    p.name() + ": max |fast - reference| = " + worst + " against max |gradient| " + scale);
        }
    }

    @ParameterizedTest(name = "vector attention {0}")
    @ValueSource(booleans = {true, false})
    void lossAndEveryGradientMatchTheReferenceWithTiedHead(boolean vector) {
        assertGradientsMatch(new GptConfig(11, 2, 2, 32, 19, 0.0, true), 3, 3, -1, vector);
    }

    @ParameterizedTest(name = "vector attention {0}")
    @ValueSource(booleans = {true, false})
    void untiedHeadAndAPartialBatchMatchTheReference(boolean vector) {
        assertGradientsMatch(new GptConfig(9, 1, 2, 64, 13, 0.0, false), 2, 5, -1, vector);
    }

    @ParameterizedTest(name = "vector attention {0}")
    @ValueSource(booleans = {true, false})
    void dropoutDrawsTheSameMasksAndMatchesTheReference(boolean vector) {
        assertGradientsMatch(new GptConfig(7, 2, 2, 32, 19, 0.3, true), 3, 3, 99, vector);
    }

    @Test
    void widthsThatAreNotWholeVectorsUseTheBlasProductsAndScalarLoops() {
        // width 18, head size 6: no whole number of vectors at any width (4, 8 or 16 floats)
        GptConfig cfg = new GptConfig(9, 1, 3, 18, 6, 0.0, false);
        assertGradientsMatch(cfg, 2, 5, -1, false);
        FastGpt fast = new FastGpt(GptModel.create(cfg, DataType.FLOAT, 7), 2, true);
        assertTrue(!fast.vectorAttention(), "head size 6");
        assertTrue(!fast.vectorRows(), "width 18");
    }

    @ParameterizedTest(name = "vector attention {0}")
    @ValueSource(booleans = {true, false})
    void tokenNllAndLogProbabilitiesMatchTheReference(boolean vector) {
        GptConfig cfg = INFERENCE;
        GptModel model = GptModel.create(cfg, DataType.FLOAT, 5);
        FastGpt fast = fastPath(model, 4, vector);
        int batch = 4, n = batch * cfg.context();
        int[][] b = batch(cfg.vocabSize(), n, 11);
        double[] want = model.tokenNll(model.feed(b[0], b[1], batch, null)).castTo(DataType.DOUBLE).toDoubleVector();
        double[] got = new double[n];
        fast.tokenNll(b[0], b[1], batch, got);
        for (int i = 0; i < n; i++) assertEquals(want[i], got[i], 2e-5, "token " + i);

        INDArray logits = model.logits(b[0], batch);
        double[] logProbs = new double[n * cfg.vocabSize()];
        fast.logProbabilities(b[0], batch, logProbs);
        double[] row = new double[cfg.vocabSize()];
        double[] flat = logits.castTo(DataType.DOUBLE).reshape(logits.length()).toDoubleVector();
        for (int i = 0; i < n; i++) {
            PositionScorer.logSoftmax(flat, i * cfg.vocabSize(), cfg.vocabSize(), row);
            for (int v = 0; v < cfg.vocabSize(); v++)
                assertEquals(row[v], logProbs[i * cfg.vocabSize() + v], 2e-5, "position " + i + ", token " + v);
        }
    }

    @ParameterizedTest(name = "vector attention {0}")
    @ValueSource(booleans = {true, false})
    void passesThatComputeOnlyTheLaterPositionsGiveExactlyThoseRowsOfTheFullPass(boolean vector) {
        GptConfig cfg = INFERENCE;
        GptModel model = GptModel.create(cfg, DataType.FLOAT, 5);
        FastGpt fast = fastPath(model, 3, vector);
        int batch = 3, t = cfg.context(), vocab = cfg.vocabSize();
        int[][] b = batch(vocab, batch * t, 12);
        double[] fullNll = new double[batch * t], fullLogProbs = new double[batch * t * vocab];
        fast.tokenNll(b[0], b[1], batch, fullNll);
        fast.logProbabilities(b[0], batch, fullLogProbs);
        for (int from : new int[]{1, 4, 9, t - 1}) {
            int kept = t - from;
            double[] nll = new double[batch * kept], logProbs = new double[batch * kept * vocab];
            fast.tokenNll(b[0], b[1], batch, from, nll);
            fast.logProbabilities(b[0], batch, from, logProbs);
            for (int w = 0; w < batch; w++) {
                for (int i = 0; i < kept; i++) {
                    int full = w * t + from + i, part = w * kept + i;
                    assertEquals(fullNll[full], nll[part], 1e-5, "from " + from + ", window " + w + ", position " + i);
                    for (int v = 0; v < vocab; v++)
                        assertEquals(fullLogProbs[full * vocab + v], logProbs[part * vocab + v], 1e-5,
                                "from " + from + ", window " + w + ", position " + i + ", token " + v);
                }
            }
        }
    }

    @Test
    void eachPassReadsTheModelsCurrentParameters() {
        GptConfig cfg = new GptConfig(7, 1, 1, 8, 4, 0.0, true);
        GptModel model = GptModel.create(cfg, DataType.FLOAT, 5);
        FastGpt fast = new FastGpt(model, 2);
        int[][] b = batch(cfg.vocabSize(), 2 * cfg.context(), 1);
        double before = fast.lossAndGradients(b[0], b[1], 2, null);
        // as an optimizer step or a checkpoint restore would (a random change: LayerNorm ignores a constant shift)
        INDArray wte = model.parameters().get(0).array();
        wte.addi(org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, wte.shape()));
        double after = fast.lossAndGradients(b[0], b[1], 2, null);
        double reference = model.loss(model.feed(b[0], b[1], 2, null));
        assertTrue(Math.abs(after - before) > 1e-4, "the loss did not change after the parameters did");
        assertEquals(reference, after, 2e-5 * reference);
    }
}
