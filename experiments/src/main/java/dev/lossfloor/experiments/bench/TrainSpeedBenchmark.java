package dev.lossfloor.experiments.bench;

import dev.lossfloor.data.TextFiles;
import dev.lossfloor.tokenizer.CharTokenizer;
import dev.lossfloor.tokenizer.Encoding;
import dev.lossfloor.trainer.HeldOutEvaluator;
import dev.lossfloor.trainer.Trainer;
import dev.lossfloor.trainer.TrainingSettings;
import dev.lossfloor.trainer.GptConfig;
import dev.lossfloor.trainer.GptModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Times training steps of the char-level GPT (nanoGPT's CPU config by default) the way the trainer runs them:
 * Trainer.trainStep (the hand-written fast path on the CPU; -Dlossfloor.reference=true times the SameDiff graph). Prints the median ms/step and tokens/s as one JSON line.
 * Usage: java -cp lossfloor.jar dev.lossfloor.experiments.bench.TrainSpeedBenchmark CORPUS STEPS WARMUP THREADS [DROPOUT]
 */
public final class TrainSpeedBenchmark {
    public static void main(String[] args) {
        Path corpus = Path.of(args[0]);
        int steps = Integer.parseInt(args[1]), warmup = Integer.parseInt(args[2]), threads = Integer.parseInt(args[3]);
        double dropout = args.length > 4 ? Double.parseDouble(args[4]) : 0.0;
        int layers = 4, heads = 4, embd = 128, context = 64, batch = 12;
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);

        String text = TextFiles.readUtf8(corpus);
        CharTokenizer tok = CharTokenizer.fit(text, false);
        Encoding enc = tok.encode(text);
        GptModel model = GptModel.create(new GptConfig(tok.vocabSize(), layers, heads, embd, context, dropout, true), DataType.FLOAT, 1337);
        TrainingSettings settings = new TrainingSettings(batch, 1e-3, 1e-3, 0, 0.1, 1.0, 1337, 1, 0, 0.9, 0.99, 1e-8);
        HeldOutEvaluator evaluator = new HeldOutEvaluator(enc.slice(0, 4 * context), context, context);
        Trainer trainer = new Trainer(model, settings, enc.ids(), evaluator, null, 0);
        Random rng = new Random(1337);
        int[] in = new int[batch * context], tg = new int[batch * context];
        double[] ms = new double[steps], cpuMs = new double[steps];
        java.lang.management.ThreadMXBean clock = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int s = 0; s < warmup + steps; s++) {
            long t0 = System.nanoTime(), c0 = clock.getCurrentThreadCpuTime();
            for (int b = 0; b < batch; b++) {
                int start = rng.nextInt(enc.length() - context - 1);
                System.arraycopy(enc.ids(), start, in, b * context, context);
                System.arraycopy(enc.ids(), start + 1, tg, b * context, context);
            }
            trainer.trainStep(in, tg, batch, 1e-3);
            if (s >= warmup) {
                ms[s - warmup] = (System.nanoTime() - t0) / 1e6;
                cpuMs[s - warmup] = (clock.getCurrentThreadCpuTime() - c0) / 1e6; // less sensitive to a busy machine
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        Arrays.sort(cpuMs);
        System.out.printf("{\"impl\":\"lossfloor\",\"threads\":%d,\"steps\":%d,\"median_ms_per_step\":%.2f,"
                        + "\"p10_ms\":%.2f,\"p90_ms\":%.2f,\"median_cpu_ms_per_step\":%.2f,\"tokens_per_sec_median\":%.1f}%n",
                threads, steps, median,
                sorted[sorted.length / 10], sorted[sorted.length * 9 / 10], cpuMs[cpuMs.length / 2],
                batch * context / (median / 1000));
    }
}
