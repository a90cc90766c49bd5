package dev.lossfloor.experiments.bench;

import dev.lossfloor.data.TextFiles;
import dev.lossfloor.tokenizer.CharTokenizer;
import dev.lossfloor.tokenizer.Encoding;
import dev.lossfloor.trainer.AdamW;
import dev.lossfloor.trainer.GptConfig;
import dev.lossfloor.trainer.GptModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Times training steps of the char-level GPT (nanoGPT's CPU config by default) the way the trainer runs them:
 * one graph, forward + backward + clip + AdamW per step. Prints the median ms/step and tokens/s as one JSON line.
 * Usage: java -cp lossfloor.jar dev.lossfloor.experiments.bench.TrainSpeedBenchmark CORPUS STEPS WARMUP THREADS
 */
public final class TrainSpeedBenchmark {
    public static void main(String[] args) {
        Path corpus = Path.of(args[0]);
        int steps = Integer.parseInt(args[1]), warmup = Integer.parseInt(args[2]), threads = Integer.parseInt(args[3]);
        int layers = 4, heads = 4, embd = 128, context = 64, batch = 12;
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);

        String text = TextFiles.readUtf8(corpus);
        CharTokenizer tok = CharTokenizer.fit(text, false);
        Encoding enc = tok.encode(text);
        GptModel model = GptModel.create(new GptConfig(tok.vocabSize(), layers, heads, embd, context, 0.0, true), DataType.FLOAT, 1337);
        AdamW opt = new AdamW(model.parameters(), 0.9, 0.99, 1e-8, 0.1);
        Random rng = new Random(1337);
        int[] in = new int[batch * context], tg = new int[batch * context];
        double[] ms = new double[steps];
        for (int s = 0; s < warmup + steps; s++) {
            long t0 = System.nanoTime();
            for (int b = 0; b < batch; b++) {
                int start = rng.nextInt(enc.length() - context - 1);
                System.arraycopy(enc.ids(), start, in, b * context, context);
                System.arraycopy(enc.ids(), start + 1, tg, b * context, context);
            }
            Map<String, INDArray> grads = model.lossAndGradients(model.feed(in, tg, batch, null)).gradients();
            double sq = 0;
            for (INDArray g : grads.values()) { double n = g.norm2Number().doubleValue(); sq += n * n; }
            double norm = Math.sqrt(sq);
            if (norm > 1.0) for (INDArray g : grads.values()) g.muli(1.0 / (norm + 1e-6));
            opt.step(grads, 1e-3);
            if (s >= warmup) ms[s - warmup] = (System.nanoTime() - t0) / 1e6;
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        System.out.printf("{\"impl\":\"lossfloor\",\"threads\":%d,\"steps\":%d,\"median_ms_per_step\":%.2f,"
                        + "\"p10_ms\":%.2f,\"p90_ms\":%.2f,\"tokens_per_sec_median\":%.1f}%n", threads, steps, median,
                sorted[sorted.length / 10], sorted[sorted.length * 9 / 10], batch * context / (median / 1000));
    }
}
