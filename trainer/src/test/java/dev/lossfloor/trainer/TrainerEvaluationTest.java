package dev.lossfloor.trainer;

import dev.lossfloor.tokenizer.Encoding;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluation cadence: extra held-out points change nothing else, and the background ones equal the inline ones. */
class TrainerEvaluationTest {
    private static final int CONTEXT = 16, VOCAB = 4;
    private static final GptConfig CONFIG = new GptConfig(VOCAB, 1, 2, 32, CONTEXT, 0.0, true);
    private static final TrainingSettings SETTINGS = new TrainingSettings(8, 3e-3, 3e-4, 5, 0.1, 1.0, 42, 2, 0, 0.9, 0.99, 1e-8);

    /** A second-order pattern with noise, so the loss has somewhere to fall. */
    private static int[] tokens(int n, long seed) {
        Random r = new Random(seed);
        int[] t = new int[n];
        for (int i = 2; i < n; i++) t[i] = r.nextInt(10) < 8 ? (t[i - 1] + t[i - 2] + 1) % VOCAB : r.nextInt(VOCAB);
        return t;
    }

    private static Encoding encoding(int[] ids) {
        int[] ones = new int[ids.length];
        Arrays.fill(ones, 1);
        return new Encoding(ids, ones, ones.clone(), 0);
    }

    /** A floor reference whose per-character NLL differs per position, so a subset's true_bpc differs from the full one's. */
    private static FloorReference floor(int chars) {
        double[] nats = new double[chars];
        double total = 0;
        for (int i = 1; i < chars; i++) {
            nats[i] = 0.5 + (i % 7) * 0.1;
            total += nats[i];
        }
        return new FloorReference(0.9, total, chars - 1, nats);
    }

    private static List<EpochMetrics> train(EvalCadence cadence, boolean background) {
        int[] train = tokens(8 * CONTEXT * 12 + 1, 1);
        int[] heldOut = tokens(2 * EvalCadence.SUBSET_TOKENS + 500, 2);
        HeldOutEvaluator evaluator = new HeldOutEvaluator(encoding(heldOut), CONTEXT, CONTEXT / 2);
        Trainer trainer = new Trainer(GptModel.create(CONFIG, DataType.FLOAT, 7), SETTINGS, train, evaluator,
                floor(heldOut.length), 0, cadence);
        if (background) trainer.evaluateInBackground();
        List<EpochMetrics> reported = new ArrayList<>();
        List<EpochMetrics> history = trainer.run(new Trainer.Listener() {
            @Override
            public void onEvaluation(EpochMetrics metrics) { reported.add(metrics); }
        }, new Trainer.RunHook() {
            @Override
            public void afterEvaluation(EpochMetrics metrics, Trainer t) {}

            @Override
            public void checkpoint(Trainer t) {}
        });
        assertEquals(reported, history, "every evaluation is reported once, in order");
        return history;
    }

    private static double[] heldOutValues(EpochMetrics m) {
        return new double[]{m.val().totalNats(), m.val().tokens(), m.val().chars(), m.val().bytes(), m.floorBpc(),
                m.trueBpc(), m.gapBpc()};
    }

    @Test
    void extraEvaluationsLeaveTheEpochEndsUnchangedToTheLastBit() {
        List<EpochMetrics> plain = train(EvalCadence.EPOCH_ENDS, false);
        List<EpochMetrics> dense = train(new EvalCadence(3), false);
        assertEquals(2, plain.size());
        List<EpochMetrics> ends = dense.stream().filter(EpochMetrics::epochEnd).toList();
        assertEquals(2, ends.size());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(heldOutValues(plain.get(i)), heldOutValues(ends.get(i)), 0.0, "epoch " + (i + 1));
            assertEquals(plain.get(i).step(), ends.get(i).step());
            assertEquals(1.0, ends.get(i).splitFraction());
            assertEquals(i + 1, ends.get(i).epoch());
            assertEquals(i + 1, ends.get(i).epochProgress(), 1e-12);
        }
    }

    @Test
    void pointsFromStepZeroOnAFixedSubsetWithTrainLossSinceThePreviousPoint() {
        List<EpochMetrics> rows = train(new EvalCadence(3), false);
        EpochMetrics first = rows.get(0);
        assertEquals(0, first.step());
        assertNull(first.trainNll(), "no training step before step 0");
        assertEquals(0.0, first.epochProgress());
        // the untrained model is close to uniform over the 4 tokens: about 2 bits
        assertEquals(2.0, first.val().bitsPerChar(), 0.1);
        int stepsPerEpoch = 12;
        for (EpochMetrics m : rows.subList(1, rows.size())) {
            assertNotNull(m.trainNll());
            if (!m.epochEnd()) {
                assertEquals(0, m.step() % 3, "points every 3 steps");
                assertTrue(m.splitFraction() < 1 && m.splitFraction() > 0.4, "a subset: " + m.splitFraction());
                assertTrue(m.val().tokens() >= EvalCadence.SUBSET_TOKENS);
                assertEquals((double) m.step() / stepsPerEpoch, m.epochProgress(), 1e-12);
                // the true model on the subset's own characters, not the full split's
                assertTrue(m.trueBpc() != rows.get(rows.size() - 1).trueBpc());
            }
        }
        // no point a step before or after an epoch end, which scores the whole split anyway
        assertTrue(rows.stream().noneMatch(m -> !m.epochEnd() && stepsPerEpoch - m.step() % stepsPerEpoch < 2));
        assertTrue(rows.stream().noneMatch(m -> !m.epochEnd() && m.step() > stepsPerEpoch && m.step() % stepsPerEpoch < 2));
        assertTrue(rows.stream().anyMatch(m -> m.step() == stepsPerEpoch + 3), "points resume in the next epoch");
        // the train_nll of a row covers the steps since the previous row: later rows fall below the first ones
        assertTrue(rows.get(rows.size() - 1).trainNll() < rows.get(1).trainNll());
        // the same windows every time: the same counts
        long subsetTokens = rows.get(0).val().tokens();
        assertTrue(rows.stream().filter(m -> !m.epochEnd()).allMatch(m -> m.val().tokens() == subsetTokens));
    }

    @Test
    void backgroundPointsEqualThePointsScoredInTheTrainingThread() {
        List<EpochMetrics> inline = train(new EvalCadence(2), false);
        List<EpochMetrics> beside = train(new EvalCadence(2), true);
        assertEquals(inline.size(), beside.size());
        for (int i = 0; i < inline.size(); i++) {
            EpochMetrics a = inline.get(i), b = beside.get(i);
            assertEquals(a.step(), b.step());
            assertEquals(a.trainNll(), b.trainNll());
            assertEquals(a.lr(), b.lr());
            assertEquals(a.tokensSeen(), b.tokensSeen());
            assertEquals(a.epochProgress(), b.epochProgress());
            assertArrayEquals(heldOutValues(a), heldOutValues(b), 0.0, "evaluation at step " + a.step());
        }
    }

    @Test
    void aSmallSplitIsScoredWholeAndTheSubsetIsSpreadOverTheSplit() {
        HeldOutEvaluator small = new HeldOutEvaluator(encoding(tokens(5000, 3)), CONTEXT, 8);
        assertSame(small, small.subset(EvalCadence.SUBSET_TOKENS));
        assertEquals(1.0, small.fraction());

        int[] ids = tokens(100_000, 4);
        HeldOutEvaluator full = new HeldOutEvaluator(encoding(ids), CONTEXT, 8);
        HeldOutEvaluator subset = full.subset(EvalCadence.SUBSET_TOKENS);
        assertTrue(subset.predictedTokens() >= EvalCadence.SUBSET_TOKENS && subset.predictedTokens() < 1.1 * EvalCadence.SUBSET_TOKENS,
                "tokens " + subset.predictedTokens());
        assertEquals((double) subset.predictedTokens() / full.predictedTokens(), subset.fraction(), 1e-12);
        long[][] ranges = subset.scoredCharRanges();
        assertTrue(ranges[0][0] < 100 && ranges[ranges.length - 1][1] > 90_000, "spread from the start to the end of the split");
        long chars = 0;
        for (long[] r : ranges) chars += r[1] - r[0];
        assertEquals(subset.predictedChars(), chars);
        // the full evaluator's ranges cover every character but the first, once
        long[][] all = full.scoredCharRanges();
        assertEquals(1, all[0][0]);
        for (int i = 1; i < all.length; i++) assertEquals(all[i - 1][1], all[i][0]);
        assertEquals(ids.length, all[all.length - 1][1]);
    }
}
