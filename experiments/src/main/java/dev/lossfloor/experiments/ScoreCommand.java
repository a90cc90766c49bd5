package dev.lossfloor.experiments;

import dev.lossfloor.data.InformationMetrics;
import dev.lossfloor.data.TextFiles;
import dev.lossfloor.tokenizer.Encoding;
import dev.lossfloor.tokenizer.Tokenizer;
import dev.lossfloor.tokenizer.Tokenizers;
import dev.lossfloor.trainer.Checkpoint;
import dev.lossfloor.trainer.GptModel;
import dev.lossfloor.trainer.HeldOutScore;
import dev.lossfloor.trainer.PositionScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Scores any text with a trained model: per file and in total, the NLL in every unit (lm-evaluation-harness
 * definitions: bits/byte = -sum ln p / (ln 2 x bytes)), the model's mean predictive entropy beside its
 * cross-entropy, and the expected calibration error of its top-1 prediction.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score UTF-8 files with a trained model: NLL, perplexity, bits/token, bits/char, bits/byte per file",
                "and in total, predictive entropy vs cross-entropy, and calibration (ECE) of the top-1 prediction."})
final class ScoreCommand implements Callable<Integer> {
    private static final int CALIBRATION_BINS = 15;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "run directory written by ./lossfloor train")
    Path runDir;
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "UTF-8 text files to score")
    List<Path> files;
    @Option(names = "--stride", paramLabel = "S", description = "sliding-window stride (default: context/2)")
    Integer stride;
    @Option(names = "--per-token", paramLabel = "FILE.csv", description = "write file, offset, token, surprisal_bits, entropy_bits, rank per token")
    Path perToken;
    @Option(names = "--threads", defaultValue = "1", description = "ND4J/BLAS threads (default: ${DEFAULT-VALUE})")
    int threads;

    /** Running sums for one file or the total. */
    private static final class Tally {
        double nats, entropyNats;
        long tokens, chars, bytes, correct;
        final long[] binCount = new long[CALIBRATION_BINS], binCorrect = new long[CALIBRATION_BINS];
        final double[] binConfidence = new double[CALIBRATION_BINS];

        void add(Tally o) {
            nats += o.nats;
            entropyNats += o.entropyNats;
            tokens += o.tokens;
            chars += o.chars;
            bytes += o.bytes;
            correct += o.correct;
            for (int b = 0; b < CALIBRATION_BINS; b++) {
                binCount[b] += o.binCount[b];
                binCorrect[b] += o.binCorrect[b];
                binConfidence[b] += o.binConfidence[b];
            }
        }

        double expectedCalibrationError() {
            double ece = 0;
            for (int b = 0; b < CALIBRATION_BINS; b++)
                if (binCount[b] > 0)
                    ece += Math.abs((double) binCorrect[b] / binCount[b] - binConfidence[b] / binCount[b]) * binCount[b] / tokens;
            return ece;
        }
    }

    @Override
    public Integer call() throws IOException {
        Backend.configureThreads(threads);
        RunDirectory run = RunDirectory.open(runDir);
        Checkpoint.Contents ckpt = Checkpoint.read(run.checkpoint());
        Tokenizer tok = Tokenizers.fromState(ckpt.tokenizerState());
        GptModel model = GptModel.create(ckpt.config(), ckpt.dataType(), 0);
        Checkpoint.load(ckpt, model);
        int context = ckpt.config().context();
        int s = stride == null ? Math.max(1, context / 2) : stride;

        System.out.printf("%s tokenizer, context %d, sliding windows with stride %d (each scored token sees >= %d tokens of context)%n",
                tok.spec(), context, s, context - s);
        System.out.printf("%-28s %9s %9s %9s %9s %9s %9s %9s %9s %10s %7s%n", "file", "tokens", "chars", "bytes", "nll",
                "ppl", "bits/tok", "bpc", "bpb", "entropy_b", "ECE");
        Tally total = new Tally();
        long unknown = 0;
        try (BufferedWriter csv = perToken == null ? null : Files.newBufferedWriter(perToken, StandardCharsets.UTF_8)) {
            if (csv != null) csv.write("file,offset,token,surprisal_bits,entropy_bits,rank\n");
            for (Path file : files) {
                Encoding enc = Evaluation.encode(tok, TextFiles.readUtf8(file), file.toString());
                Tally t = scoreFile(model, tok, enc, s, file, csv);
                unknown += enc.unknownCount();
                print(file.getFileName().toString(), t);
                total.add(t);
            }
        }
        if (files.size() > 1) print("total", total);
        if (unknown > 0)
            System.out.printf("%,d tokens are <unk> (text outside the %s vocabulary): bpc and bpb are not comparable with a"
                    + " lossless tokenizer's%n", unknown, tok.spec());
        double ce = InformationMetrics.natsToBits(total.nats / total.tokens);
        double h = InformationMetrics.natsToBits(total.entropyNats / total.tokens);
        System.out.printf("mean predictive entropy %.4f bits/token vs cross-entropy %.4f bits/token: %s%n", h, ce,
                h < ce ? "the model is over-confident (its predictions are sharper than its actual loss justifies)"
                        : "the model is not over-confident (its predictions are no sharper than its loss)");
        System.out.printf("top-1 accuracy %.4f, expected calibration error %.4f (%d equal-width confidence bins)%n",
                (double) total.correct / total.tokens, total.expectedCalibrationError(), CALIBRATION_BINS);
        if (perToken != null) System.out.println("wrote " + perToken);
        return 0;
    }

    private Tally scoreFile(GptModel model, Tokenizer tok, Encoding enc, int s, Path file, BufferedWriter csv) {
        Tally t = new Tally();
        int[] ids = enc.ids();
        long[] charOffset = new long[ids.length];
        for (int i = 1; i < ids.length; i++) charOffset[i] = charOffset[i - 1] + enc.charsPerToken()[i - 1];
        PositionScorer.score(model, ids, s, (index, target, logProbs) -> {
            double entropy = 0, best = Double.NEGATIVE_INFINITY;
            int rank = 1, argmax = 0;
            for (int v = 0; v < logProbs.length; v++) {
                entropy -= Math.exp(logProbs[v]) * logProbs[v];
                if (logProbs[v] > logProbs[target]) rank++;
                if (logProbs[v] > best) {
                    best = logProbs[v];
                    argmax = v;
                }
            }
            t.nats -= logProbs[target];
            t.entropyNats += entropy;
            double confidence = Math.exp(best);
            int bin = Math.min(CALIBRATION_BINS - 1, (int) (confidence * CALIBRATION_BINS));
            t.binCount[bin]++;
            t.binConfidence[bin] += confidence;
            if (argmax == target) {
                t.binCorrect[bin]++;
                t.correct++;
            }
            if (csv != null) {
                try {
                    csv.write(String.format("%s,%d,%s,%.6f,%.6f,%d%n", csvField(file.toString()), charOffset[index],
                            csvField(tok.tokenDisplay(target)), InformationMetrics.natsToBits(-logProbs[target]),
                            InformationMetrics.natsToBits(entropy), rank));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + perToken + ": " + e.getMessage(), e);
                }
            }
        });
        t.tokens = ids.length - 1;
        t.chars = enc.chars(1, ids.length);
        t.bytes = enc.bytes(1, ids.length);
        return t;
    }

    private static void print(String name, Tally t) {
        HeldOutScore score = new HeldOutScore(t.nats, t.tokens, t.chars, t.bytes);
        System.out.printf("%-28s %9d %9d %9d %9.4f %9.3f %9.4f %9.4f %9.4f %10.4f %7.4f%n",
                name.length() > 28 ? name.substring(0, 25) + "..." : name, t.tokens, t.chars, t.bytes,
                score.natsPerToken(), score.perplexity(), score.bitsPerToken(), score.bitsPerChar(), score.bitsPerByte(),
                InformationMetrics.natsToBits(t.entropyNats / t.tokens), t.expectedCalibrationError());
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
