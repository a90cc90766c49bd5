package dev.lossfloor.experiments;

import dev.lossfloor.data.InformationMetrics;
import dev.lossfloor.data.TextFiles;
import dev.lossfloor.experiments.report.Calibration;
import dev.lossfloor.experiments.report.ReliabilityDiagram;
import dev.lossfloor.experiments.report.SurprisalPage;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Scores any text with a trained model: per file and in total, the NLL in every unit (lm-evaluation-harness
 * definitions: bits/byte = -sum ln p / (ln 2 x bytes)), the model's mean predictive entropy beside its
 * cross-entropy, and the expected calibration error of its top-1 prediction; optionally a per-token CSV, a
 * self-contained HTML page of the text coloured by surprisal, and a reliability diagram.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score UTF-8 files with a trained model: NLL, perplexity, bits/token, bits/char, bits/byte per file",
                "and in total, predictive entropy vs cross-entropy, and calibration (ECE) of the top-1 prediction;",
                "optionally a per-token CSV, an HTML page of the text coloured by surprisal with the top predictions",
                "on hover, and a reliability diagram (PNG)."})
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "run directory written by ./lossfloor train")
    Path runDir;
    @Option(names = "--best", description = "use checkpoint-best.bin (the evaluation with the lowest full-pass val_nll) instead of the last checkpoint")
    boolean best;
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "UTF-8 text files to score")
    List<Path> files;
    @Option(names = "--stride", paramLabel = "S", description = "sliding-window stride (default: context/2)")
    Integer stride;
    @Option(names = "--per-token", paramLabel = "FILE.csv", description = "write file, offset, token, surprisal_bits, entropy_bits, rank per token")
    Path perToken;
    @Option(names = "--html", paramLabel = "FILE.html", description = {"write a self-contained page: the text coloured by surprisal,",
            "the top predictions, entropy and rank on hover, and the reliability diagram"})
    Path html;
    @Option(names = "--html-max-tokens", paramLabel = "N", defaultValue = "20000",
            description = "tokens of each file drawn in the page (default: ${DEFAULT-VALUE}); all of them are scored")
    int htmlMaxTokens;
    @Option(names = "--top-k", paramLabel = "K", defaultValue = "5", description = "predictions per token in the page (default: ${DEFAULT-VALUE})")
    int topK;
    @Option(names = "--reliability", paramLabel = "FILE.png", description = "write the reliability diagram of the top-1 prediction (PNG)")
    Path reliability;
    @Option(names = "--threads", description = "threads scoring batches of windows in parallel (default: the machine's "
            + "cores, at most 4); the numbers do not depend on it")
    Integer threads;

    /** Running sums for one file or the total. */
    private static final class Tally {
        double nats, entropyNats;
        long tokens, chars, bytes;
        final Calibration calibration = new Calibration();

        void add(Tally o) {
            nats += o.nats;
            entropyNats += o.entropyNats;
            tokens += o.tokens;
            chars += o.chars;
            bytes += o.bytes;
            calibration.add(o.calibration);
        }

        double crossEntropyBits() { return InformationMetrics.natsToBits(nats / tokens); }

        double entropyBits() { return InformationMetrics.natsToBits(entropyNats / tokens); }
    }

    @Override
    public Integer call() throws IOException {
        if (htmlMaxTokens < 1) throw new IllegalArgumentException("--html-max-tokens " + htmlMaxTokens + " must be at least 1");
        if (topK < 1) throw new IllegalArgumentException("--top-k " + topK + " must be at least 1");
        for (Path out : new Path[]{perToken, html, reliability}) requireWritableParent(out);
        int workers = threads == null ? Math.min(4, Runtime.getRuntime().availableProcessors()) : threads;
        if (workers < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + workers);
        Backend.configureThreads(1); // one BLAS thread per worker: parallel batches scale, split small products do not
        RunDirectory run = RunDirectory.open(runDir);
        Checkpoint.Contents ckpt = Checkpoint.read(run.checkpoint(best));
        Tokenizer tok = Tokenizers.fromState(ckpt.tokenizerState());
        GptModel model = GptModel.create(ckpt.config(), ckpt.dataType(), 0);
        Checkpoint.load(ckpt, model);
        int context = ckpt.config().context();
        int s = stride == null ? Math.max(1, context / 2) : stride;

        String setup = String.format(Locale.ROOT, "%s tokenizer, context %d, sliding windows with stride %d (each scored token sees >= %d tokens of context)",
                tok.spec(), context, s, context - s);
        System.out.println(setup);
        System.out.printf("%-28s %9s %9s %9s %9s %9s %9s %9s %9s %10s %7s%n", "file", "tokens", "chars", "bytes", "nll",
                "ppl", "bits/tok", "bpc", "bpb", "entropy_b", "ECE");
        Tally total = new Tally();
        List<SurprisalPage.FileData> pages = new ArrayList<>();
        long unknown = 0;
        List<List<String>> rows = new ArrayList<>();
        try (BufferedWriter csv = perToken == null ? null : Files.newBufferedWriter(perToken, StandardCharsets.UTF_8)) {
            if (csv != null) csv.write("file,offset,token,surprisal_bits,entropy_bits,rank\n");
            for (Path file : files) {
                String text = TextFiles.readUtf8(file);
                Encoding enc = Evaluation.encode(tok, text, file.toString());
                SurprisalPage.FileData page = html == null ? null
                        : new SurprisalPage.FileData(file.getFileName().toString(), text, enc, htmlMaxTokens, topK);
                Tally t = scoreFile(model, tok, enc, s, workers, file, csv, page);
                unknown += enc.unknownCount();
                print(file.getFileName().toString(), t);
                rows.add(row(file.getFileName().toString(), t));
                if (page != null) {
                    HeldOutScore score = score(t);
                    page.stat("tokens", String.format(Locale.ROOT, "%,d", t.tokens));
                    page.stat("cross-entropy", String.format(Locale.ROOT, "%.4f bits/token", score.bitsPerToken()));
                    page.stat("mean entropy", String.format(Locale.ROOT, "%.4f bits/token", t.entropyBits()));
                    page.stat("bits/char", String.format(Locale.ROOT, "%.4f", score.bitsPerChar()));
                    page.stat("top-1 accuracy", String.format(Locale.ROOT, "%.4f", t.calibration.accuracy()));
                    page.stat("ECE", String.format(Locale.ROOT, "%.4f", t.calibration.expectedCalibrationError()));
                    pages.add(page);
                }
                total.add(t);
            }
        }
        if (files.size() > 1) {
            print("total", total);
            rows.add(row("total", total));
        }
        if (unknown > 0)
            System.out.printf("%,d tokens are <unk> (text outside the %s vocabulary): bpc and bpb are not comparable with a"
                    + " lossless tokenizer's%n", unknown, tok.spec());
        String confidence = confidenceSentence(total.entropyBits(), total.crossEntropyBits());
        String calibration = String.format(Locale.ROOT, "top-1 accuracy %.4f, mean top-1 probability %.4f, expected calibration error %.4f (%d equal-width confidence bins)",
                total.calibration.accuracy(), total.calibration.meanConfidence(), total.calibration.expectedCalibrationError(),
                total.calibration.bins());
        System.out.println(confidence);
        System.out.println(calibration);
        if (perToken != null) System.out.println("wrote " + perToken);
        String subject = files.size() == 1 ? files.get(0).getFileName().toString() : files.size() + " files";
        byte[] diagram = reliability == null && html == null ? null : ReliabilityDiagram.png(total.calibration, subject);
        if (reliability != null) {
            writeFile(reliability, diagram);
            System.out.println("wrote " + reliability);
        }
        if (html != null) {
            String title = "lossfloor score: " + String.join(", ", files.stream().map(f -> f.getFileName().toString()).toList());
            String modelLine = String.format(Locale.ROOT, "Model %s (%,d parameters), %s", runDir, ckpt.config().parameterCount(), setup) + ".";
            SurprisalPage.Page page = new SurprisalPage.Page(title, modelLine, List.of(confidence + ".", calibration + "."),
                    List.of("file", "tokens", "chars", "bytes", "nll (nats/token)", "ppl", "bits/token", "bits/char", "bits/byte",
                            "entropy (bits/token)", "ECE"), rows, pages, tok.vocabSize(), tok::tokenDisplay, diagram, calibration + ".");
            writeFile(html, SurprisalPage.html(page).getBytes(StandardCharsets.UTF_8));
            System.out.println("wrote " + html);
        }
        return 0;
    }

    /**
     * The model's mean predictive entropy against its cross-entropy (both bits per token): the entropy is the loss the
     * model expects to have if its own predictions were right, so an entropy below the actual loss means it is surer than
     * it has reason to be.
     */
    static String confidenceSentence(double entropyBits, double crossEntropyBits) {
        String numbers = String.format(Locale.ROOT, "mean predictive entropy %.4f bits/token vs cross-entropy %.4f bits/token",
                entropyBits, crossEntropyBits);
        double diff = crossEntropyBits - entropyBits;
        if (String.format(Locale.ROOT, "%.4f", entropyBits).equals(String.format(Locale.ROOT, "%.4f", crossEntropyBits)))
            return numbers + ": equal, so on average the model is neither over- nor under-confident";
        if (diff > 0)
            return numbers + String.format(Locale.ROOT, ": the model is over-confident (its predictions are sharper than its "
                    + "actual loss justifies: it expects %.4f bits/token less surprise than it gets)", diff);
        return numbers + String.format(Locale.ROOT, ": the model is not over-confident but under-confident (its predictions "
                + "are flatter than its loss justifies: it gets %.4f bits/token less surprise than it expects)", -diff);
    }

    private Tally scoreFile(GptModel model, Tokenizer tok, Encoding enc, int s, int workers, Path file, BufferedWriter csv,
                            SurprisalPage.FileData page) {
        Tally t = new Tally();
        int[] ids = enc.ids();
        long[] charOffset = new long[ids.length];
        for (int i = 1; i < ids.length; i++) charOffset[i] = charOffset[i - 1] + enc.charsPerToken()[i - 1];
        PositionScorer.score(model, ids, s, workers, (index, target, logProbs) -> {
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
            t.calibration.add(Math.exp(best), argmax == target);
            double surprisalBits = InformationMetrics.natsToBits(-logProbs[target]), entropyBits = InformationMetrics.natsToBits(entropy);
            if (page != null && page.shows(index)) page.add(index, logProbs, surprisalBits, entropyBits, rank);
            if (csv != null) {
                try {
                    csv.write(String.format(Locale.ROOT, "%s,%d,%s,%.6f,%.6f,%d%n", csvField(file.toString()), charOffset[index],
                            csvField(tok.tokenDisplay(target)), surprisalBits, entropyBits, rank));
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

    private static HeldOutScore score(Tally t) {
        return new HeldOutScore(t.nats, t.tokens, t.chars, t.bytes);
    }

    private static void print(String name, Tally t) {
        HeldOutScore score = score(t);
        System.out.printf("%-28s %9d %9d %9d %9.4f %9.3f %9.4f %9.4f %9.4f %10.4f %7.4f%n",
                name.length() > 28 ? name.substring(0, 25) + "..." : name, t.tokens, t.chars, t.bytes,
                score.natsPerToken(), score.perplexity(), score.bitsPerToken(), score.bitsPerChar(), score.bitsPerByte(),
                t.entropyBits(), t.calibration.expectedCalibrationError());
    }

    private static List<String> row(String name, Tally t) {
        HeldOutScore score = score(t);
        return List.of(name, String.format(Locale.ROOT, "%,d", t.tokens), String.format(Locale.ROOT, "%,d", t.chars),
                String.format(Locale.ROOT, "%,d", t.bytes), String.format(Locale.ROOT, "%.4f", score.natsPerToken()),
                String.format(Locale.ROOT, "%.3f", score.perplexity()), String.format(Locale.ROOT, "%.4f", score.bitsPerToken()),
                String.format(Locale.ROOT, "%.4f", score.bitsPerChar()), String.format(Locale.ROOT, "%.4f", score.bitsPerByte()),
                String.format(Locale.ROOT, "%.4f", t.entropyBits()),
                String.format(Locale.ROOT, "%.4f", t.calibration.expectedCalibrationError()));
    }

    /** An output file's directory must exist before the (possibly long) scoring starts. */
    private static void requireWritableParent(Path out) {
        if (out == null) return;
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent))
            throw new IllegalArgumentException("cannot write " + out + ": directory " + parent + " does not exist");
        if (Files.isDirectory(out)) throw new IllegalArgumentException("cannot write " + out + ": it is a directory");
    }

    private static void writeFile(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
