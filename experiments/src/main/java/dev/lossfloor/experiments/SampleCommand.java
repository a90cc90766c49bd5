package dev.lossfloor.experiments;

import dev.lossfloor.data.InformationMetrics;
import dev.lossfloor.tokenizer.Tokenizer;
import dev.lossfloor.tokenizer.Tokenizers;
import dev.lossfloor.tokenizer.UnknownCharacterException;
import dev.lossfloor.trainer.Checkpoint;
import dev.lossfloor.trainer.GptModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;

/** Generates text from a trained run; the same seed gives the same text. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate text from a run's checkpoint (temperature, top-k; the same --seed gives the same text).")
final class SampleCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "run directory written by ./lossfloor train")
    Path runDir;
    @Option(names = "--best", description = "use checkpoint-best.bin (the evaluation with the lowest full-pass val_nll) instead of the last checkpoint")
    boolean best;
    @Option(names = "--prompt", defaultValue = "\n", description = "text to continue (default: a newline)")
    String prompt;
    @Option(names = "--temperature", defaultValue = "1.0", description = "divides the logits; 0 = always the most likely token (default: ${DEFAULT-VALUE})")
    double temperature;
    @Option(names = "--top-k", defaultValue = "0", description = "sample only among the k most likely tokens, 0 = all (default: ${DEFAULT-VALUE})")
    int topK;
    @Option(names = "--max-tokens", defaultValue = "200", description = "tokens to generate (default: ${DEFAULT-VALUE})")
    int maxTokens;
    @Option(names = "--seed", defaultValue = "1", description = "sampling seed (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--show-entropy", description = "print each step's token, its probability and the entropy of the distribution it was drawn from, in bits")
    boolean showEntropy;
    @Option(names = "--threads", defaultValue = "1", description = "ND4J/BLAS threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Override
    public Integer call() {
        if (temperature < 0) throw new IllegalArgumentException("--temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("--top-k must be >= 0, got " + topK);
        if (maxTokens < 0) throw new IllegalArgumentException("--max-tokens must be >= 0, got " + maxTokens);
        Backend.configureThreads(threads);
        RunDirectory run = RunDirectory.open(runDir);
        Checkpoint.Contents ckpt = Checkpoint.read(run.checkpoint(best));
        Tokenizer tok = Tokenizers.fromState(ckpt.tokenizerState());
        int[] promptIds;
        try {
            promptIds = tok.encode(prompt).ids();
        } catch (UnknownCharacterException e) {
            StringBuilder vocab = new StringBuilder();
            for (int id = 0; id < Math.min(tok.vocabSize(), 80); id++) vocab.append(id == 0 ? "" : " ").append(tok.tokenDisplay(id));
            throw new IllegalArgumentException(String.format("--prompt: character U+%04X '%s' at offset %d is not in this"
                            + " model's character vocabulary (%s%s); use characters from its training text", e.codePoint(),
                    new String(Character.toChars(e.codePoint())), e.charOffset(), vocab, tok.vocabSize() > 80 ? " ..." : ""));
        }
        if (promptIds.length == 0) throw new IllegalArgumentException("--prompt is empty; give at least one character");
        GptModel model = GptModel.create(ckpt.config(), ckpt.dataType(), 0);
        Checkpoint.load(ckpt, model);

        int context = ckpt.config().context(), vocab = ckpt.config().vocabSize();
        int[] tokens = Arrays.copyOf(promptIds, promptIds.length + maxTokens);
        int length = promptIds.length;
        Random rng = new Random(seed);
        int[] window = new int[context];
        StringBuilder steps = new StringBuilder();
        double entropySum = 0, surprisalSum = 0;
        for (int i = 0; i < maxTokens; i++) {
            // the last `context` tokens; a shorter prefix is padded on the right (causal: the padding is never seen)
            int start = Math.max(0, length - context), n = length - start;
            Arrays.fill(window, tokens[length - 1]);
            System.arraycopy(tokens, start, window, 0, n);
            INDArray logits = model.logits(window, 1);
            double[] p = distribution(logits.getRow(n - 1).toDoubleVector());
            int next = temperature == 0 ? argmax(p) : draw(p, rng);
            tokens[length++] = next;
            entropySum += InformationMetrics.entropyBits(p);
            surprisalSum += -Math.log(p[next]) / InformationMetrics.LN2;
            if (showEntropy)
                steps.append(String.format("%5d  %-8s p=%.4f  entropy %.4f bits%n", i + 1, tok.tokenDisplay(next), p[next],
                        InformationMetrics.entropyBits(p)));
        }
        System.out.println(tok.decode(Arrays.copyOf(tokens, length)));
        if (showEntropy) {
            System.out.printf("%nstep  token    probability and entropy of the distribution it was drawn from (temperature %s, top-k %d)%n",
                    temperature, topK);
            System.out.print(steps);
            if (maxTokens > 0)
                System.out.printf("mean over %d steps: entropy %.4f bits, surprisal -log2 p of the drawn tokens %.4f bits%n",
                        maxTokens, entropySum / maxTokens, surprisalSum / maxTokens);
        }
        return 0;
    }

    /** Softmax of logits / temperature, restricted to the top k, in double precision. */
    private double[] distribution(double[] logits) {
        double t = temperature == 0 ? 1 : temperature;
        double[] z = new double[logits.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < z.length; i++) max = Math.max(max, z[i] = logits[i] / t);
        double cutoff = Double.NEGATIVE_INFINITY;
        if (topK > 0 && topK < z.length) {
            double[] sorted = z.clone();
            Arrays.sort(sorted);
            cutoff = sorted[sorted.length - topK];
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) sum += p[i] = z[i] >= cutoff ? Math.exp(z[i] - max) : 0;
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        return best;
    }

    private static int draw(double[] p, Random rng) {
        double u = rng.nextDouble(), acc = 0;
        for (int i = 0; i < p.length; i++) {
            acc += p[i];
            if (u < acc) return i;
        }
        for (int i = p.length - 1; i >= 0; i--) if (p[i] > 0) return i;
        return p.length - 1;
    }
}
