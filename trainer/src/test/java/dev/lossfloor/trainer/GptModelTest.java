package dev.lossfloor.trainer;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GptModelTest {

    private static int[] randomTokens(Random rng, int n, int vocab) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = rng.nextInt(vocab);
        return t;
    }

    @Test
    void logitsAtPositionTDoNotDependOnLaterTokens() {
        GptConfig cfg = new GptConfig(11, 2, 2, 16, 8, 0.0, true);
        GptModel model = GptModel.create(cfg, DataType.DOUBLE, 3);
        Random rng = new Random(5);
        int[] a = randomTokens(rng, 8, 11);
        for (int t = 0; t < 7; t++) {
            int[] b = a.clone();
            for (int j = t + 1; j < 8; j++) b[j] = (a[j] + 1 + rng.nextInt(10)) % 11;
            INDArray la = model.logits(a, 1), lb = model.logits(b, 1);
            for (int i = 0; i <= t; i++)
                for (int v = 0; v < 11; v++)
                    assertEquals(la.getDouble(i, v), lb.getDouble(i, v), 1e-12, "position " + i + " saw a later token");
            // and the position right after t does change: the model does use its context
            double diff = 0;
            for (int v = 0; v < 11; v++) diff += Math.abs(la.getDouble(t + 1, v) - lb.getDouble(t + 1, v));
            assertTrue(diff > 1e-9, "changing token " + (t + 1) + " should change its own logits");
        }
    }

    @Test
    void lossAtInitialisationIsNearLnVocab() {
        for (int vocab : new int[]{8, 65, 256}) {
            GptConfig cfg = new GptConfig(vocab, 4, 4, 128, 64, 0.0, true);
            GptModel model = GptModel.create(cfg, DataType.FLOAT, 1);
            Random rng = new Random(2);
            int[] in = randomTokens(rng, 4 * 64, vocab), tg = randomTokens(rng, 4 * 64, vocab);
            double loss = model.loss(model.feed(in, tg, 4, null));
            assertEquals(Math.log(vocab), loss, 0.1, "initial loss for vocab " + vocab);
        }
    }

    @Test
    void parameterCountMatchesTheGraph() {
        for (boolean tie : new boolean[]{true, false}) {
            GptConfig cfg = new GptConfig(65, 2, 4, 32, 16, 0.0, tie);
            GptModel model = GptModel.create(cfg, DataType.FLOAT, 1);
            long n = 0;
            for (GptModel.Parameter p : model.parameters()) n += p.array().length();
            assertEquals(cfg.parameterCount(), n);
        }
    }

    @Test
    void dropoutMasksComeFromTheGivenRngAndEvaluationUsesNone() {
        GptConfig cfg = new GptConfig(9, 1, 2, 8, 6, 0.3, true);
        GptModel model = GptModel.create(cfg, DataType.DOUBLE, 1);
        Random data = new Random(4);
        int[] in = randomTokens(data, 2 * 6, 9), tg = randomTokens(data, 2 * 6, 9);
        double eval1 = model.loss(model.feed(in, tg, 2, null)), eval2 = model.loss(model.feed(in, tg, 2, null));
        double a1 = model.loss(model.feed(in, tg, 2, new Random(7))), a2 = model.loss(model.feed(in, tg, 2, new Random(7)));
        double b = model.loss(model.feed(in, tg, 2, new Random(8)));
        assertEquals(eval1, eval2, 0.0);
        assertEquals(a1, a2, 0.0);
        assertTrue(Math.abs(a1 - b) > 1e-9 && Math.abs(a1 - eval1) > 1e-9, "dropout should change the loss");
    }

    /** Central finite differences in double precision against the SameDiff gradients, for every parameter tensor. */
    @Test
    void gradientsMatchFiniteDifferencesInDoublePrecision() {
        for (double dropout : new double[]{0.0, 0.2}) for (boolean tie : new boolean[]{true, false}) {
            if (dropout > 0 && !tie) continue;
            GptConfig cfg = new GptConfig(7, 2, 2, 8, 5, dropout, tie);
            GptModel model = GptModel.create(cfg, DataType.DOUBLE, 11);
            Random rng = new Random(13);
            int batch = 2;
            int[] in = randomTokens(rng, batch * 5, 7), tg = randomTokens(rng, batch * 5, 7);
            // fixed dropout masks: the loss is then a deterministic function of the parameters
            Map<String, INDArray> feed = model.feed(in, tg, batch, dropout > 0 ? new Random(17) : null);
            // bigger weights than at init so that every path carries a visible gradient
            for (GptModel.Parameter p : model.parameters())
                if (p.decay()) p.array().muli(10);
            Map<String, INDArray> grads = model.lossAndGradients(feed).gradients();
            double eps = 1e-6;
            int checked = 0;
            for (GptModel.Parameter p : model.parameters()) {
                INDArray w = p.array();
                INDArray g = grads.get(p.name());
                long len = w.length();
                for (int s = 0; s < Math.min(len, 6); s++) {
                    long i = (s * 7919L) % len;
                    double orig = w.getDouble(i);
                    w.putScalar(i, orig + eps);
                    double up = model.loss(feed);
                    w.putScalar(i, orig - eps);
                    double down = model.loss(feed);
                    w.putScalar(i, orig);
                    double numeric = (up - down) / (2 * eps);
                    double analytic = g.getDouble(i);
                    double tol = 1e-6 + 1e-4 * Math.max(Math.abs(numeric), Math.abs(analytic));
                    assertEquals(numeric, analytic, tol, p.name() + "[" + i + "] (tied=" + tie + ")");
                    checked++;
                }
            }
            assertTrue(checked > 50);
        }
    }
}
