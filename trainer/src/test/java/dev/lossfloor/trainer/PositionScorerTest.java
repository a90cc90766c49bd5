package dev.lossfloor.trainer;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PositionScorerTest {

    /** Every position's target log-probability, in visiting order, and the order itself. */
    private static double[][] visit(GptModel model, int[] ids, int stride, int workers) {
        double[] logp = new double[ids.length];
        double[] order = new double[ids.length];
        int[] next = {0};
        PositionScorer.score(model, ids, stride, workers, (index, target, logProbs) -> {
            assertEquals(ids[index], target);
            logp[index] = logProbs[target];
            order[next[0]++] = index;
        });
        assertEquals(ids.length - 1, next[0], "every token but the first is visited once");
        return new double[][]{logp, order};
    }

    @Test
    void parallelWorkersGiveExactlyTheSameResultsInTheSameOrder() {
        GptModel model = GptModel.create(new GptConfig(9, 2, 2, 16, 8, 0.0, true), DataType.FLOAT, 3);
        model.setFastPathCapacity(3);
        int[] ids = new Random(5).ints(400, 0, 9).toArray();
        double[][] one = visit(model, ids, 4, 1);
        double[][] three = visit(model, ids, 4, 3);
        assertArrayEquals(one[1], three[1]);
        assertArrayEquals(one[0], three[0]); // bit for bit: each batch is computed the same way on any worker
    }

    @Test
    void fastPathAgreesWithTheSameDiffGraph() {
        GptModel model = GptModel.create(new GptConfig(7, 1, 2, 8, 6, 0.0, true), DataType.FLOAT, 8);
        int[] ids = new Random(2).ints(100, 0, 7).toArray();
        double[] fast = visit(model, ids, 3, 2)[0];
        System.setProperty("lossfloor.reference", "true");
        try {
            GptModel reference = GptModel.create(model.config(), DataType.FLOAT, 8);
            double[] graph = visit(reference, ids, 3, 1)[0];
            for (int i = 1; i < ids.length; i++) assertEquals(graph[i], fast[i], 2e-5, "token " + i);
        } finally {
            System.clearProperty("lossfloor.reference");
        }
    }
}
