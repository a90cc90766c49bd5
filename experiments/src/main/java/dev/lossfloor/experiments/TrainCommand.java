package dev.lossfloor.experiments;

import dev.lossfloor.data.InformationMetrics;
import dev.lossfloor.data.baselines.BaselineReport;
import dev.lossfloor.data.baselines.Baselines;
import dev.lossfloor.data.baselines.NGramResult;
import dev.lossfloor.data.MarkovSource;
import dev.lossfloor.data.Sources;
import dev.lossfloor.data.SyntheticSource;
import dev.lossfloor.experiments.live.LiveServer;
import dev.lossfloor.experiments.report.LearningCurvePlot;
import dev.lossfloor.experiments.report.RunReport;
import dev.lossfloor.tokenizer.Encoding;
import dev.lossfloor.tokenizer.Tokenizer;
import dev.lossfloor.tokenizer.Tokenizers;
import dev.lossfloor.trainer.Checkpoint;
import dev.lossfloor.trainer.FloorReference;
import dev.lossfloor.trainer.EpochMetrics;
import dev.lossfloor.trainer.EvalCadence;
import dev.lossfloor.trainer.GptConfig;
import dev.lossfloor.trainer.FastGpt;
import dev.lossfloor.trainer.GptModel;
import dev.lossfloor.trainer.HeldOutEvaluator;
import dev.lossfloor.trainer.MemoryEstimate;
import dev.lossfloor.trainer.Trainer;
import dev.lossfloor.trainer.TrainingDivergedException;
import dev.lossfloor.trainer.TrainingSettings;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Train a GPT and print held-out NLL, perplexity, bits/char and bits/byte from step 0",
                "to the end (about 40 held-out evaluations, a full pass at each epoch end). Trains on the built-in Markov",
                "source unless --corpus is given; on a known source each line also",
                "shows the entropy floor and the gap to it."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--corpus", paramLabel = "PATH|NAME", description = {"UTF-8 text to train on, or a named corpus downloaded and",
            "verified on first use: tinyshakespeare, enwik8, text8, wikitext-2-raw (default: the built-in Markov source)"})
    String corpus;
    @Option(names = "--val", paramLabel = "PATH", description = "explicit held-out UTF-8 file (default: the tail of the corpus)")
    Path val;
    @Option(names = "--val-fraction", defaultValue = "0.1", description = "held-out fraction taken from the end (default: ${DEFAULT-VALUE})")
    double valFraction;
    @Option(names = "--source", paramLabel = "SPEC", description = {"synthetic source with exact entropy instead of the built-in one:",
            "iid:alphabet=abcd[,zipf=1.1|,weights=4;2;1;1], markov:order=3,alphabet=abcd,concentration=0.3,seed=7,",
            "ngram-of:FILE,order=2 (missing keys take defaults)"})
    String source;
    @Option(names = "--synthetic-chars", defaultValue = "" + PreparedData.DEFAULT_SYNTHETIC_CHARS,
            description = "characters sampled from the built-in source (default: ${DEFAULT-VALUE})")
    int syntheticChars;
    @Option(names = "--tokenizer", defaultValue = "char", paramLabel = "SPEC", description = {"byte, char, bpe:VOCAB (byte-level BPE",
            "learned from the training split), word:VOCAB (the VOCAB most frequent words + <unk>) or gpt2 (r50k_base)",
            "(default: ${DEFAULT-VALUE})"})
    String tokenizer;
    @Option(names = "--unk", description = "char tokenizer: map held-out characters unseen in training to <unk> instead of failing")
    boolean unk;
    @Option(names = "--bpe-no-split", description = "bpe:VOCAB: learn and apply merges across the whole text, without GPT-2's pre-split")
    boolean bpeNoSplit;

    @Option(names = "--layers", defaultValue = "" + GptConfig.DEFAULT_LAYERS, description = "transformer blocks (default: ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--heads", defaultValue = "" + GptConfig.DEFAULT_HEADS, description = "attention heads (default: ${DEFAULT-VALUE})")
    int heads;
    @Option(names = "--embd", defaultValue = "" + GptConfig.DEFAULT_EMBD, description = "embedding width (default: ${DEFAULT-VALUE})")
    int embd;
    @Option(names = "--context", defaultValue = "" + GptConfig.DEFAULT_CONTEXT, description = "context length in tokens (default: ${DEFAULT-VALUE})")
    int context;
    @Option(names = "--context-bytes", paramLabel = "N", description = {"choose the context length in tokens as round(N / bytes per token",
            "of the training split), so that tokenizers see about the same text; overrides --context"})
    Integer contextBytes;
    @Option(names = "--dropout", defaultValue = "0.0", description = "dropout probability (default: ${DEFAULT-VALUE})")
    double dropout;
    @Option(names = "--no-tie", description = "give the output head its own weights instead of tying it to the token embedding")
    boolean noTie;

    @Option(names = "--batch", defaultValue = "12", description = "windows per step (default: ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--lr", defaultValue = "3e-3", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--min-lr", description = "learning rate at the end of the cosine decay (default: lr/10)")
    Double minLr;
    @Option(names = "--warmup", defaultValue = "100", description = "linear warmup steps (default: ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--weight-decay", defaultValue = "0.1", description = "AdamW decay of 2-D weights (default: ${DEFAULT-VALUE})")
    double weightDecay;
    @Option(names = "--clip", defaultValue = "1.0", description = "gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE})")
    double clip;
    @Option(names = "--seed", defaultValue = "1337", description = "initialisation, data order and dropout seed (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--epochs", defaultValue = "3", description = "passes over the training split (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--max-steps", defaultValue = "0", description = "stop after this many steps, 0 = no limit (default: ${DEFAULT-VALUE})")
    int maxSteps;
    @Option(names = "--eval-stride", description = "held-out sliding-window stride (default: context/2)")
    Integer evalStride;
    @Option(names = "--eval-every", paramLabel = "N", description = {"also score the held-out split at step 0 and every N steps",
            "(a fixed subset of at least " + EvalCadence.SUBSET_TOKENS + " tokens where the split is larger), 0 = epoch ends only",
            "(default: about " + EvalCadence.DEFAULT_POINTS + " evaluations over the run)"})
    Integer evalEvery;
    @Option(names = "--live", description = {"serve the learning curve on 127.0.0.1 while training (the address is printed);",
            "it updates at every evaluation (./lossfloor watch --run DIR does the same for any run)"})
    boolean live;
    @Option(names = "--live-port", paramLabel = "PORT", defaultValue = "0",
            description = "port of --live on 127.0.0.1, 0 = a free one (default: ${DEFAULT-VALUE})")
    int livePort;
    @Option(names = "--no-baselines", description = "skip the classic baselines (n-gram, compressors) computed for real text")
    boolean noBaselines;
    @Option(names = "--threads", defaultValue = "1", description = "ND4J/BLAS threads (default: ${DEFAULT-VALUE})")
    int threads;
    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default: runs/<timestamp>-<data>)")
    Path out;
    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "N",
            description = "also checkpoint every N steps, 0 = only at epoch ends (default: ${DEFAULT-VALUE})")
    int checkpointEvery;
    @Option(names = "--resume", paramLabel = "DIR", description = {"continue an interrupted run from its checkpoint, with",
            "the settings in its config.json; the rest of metrics.jsonl is identical to an uninterrupted run's"})
    Path resume;
    @Option(names = "--config", paramLabel = "FILE", description = {"YAML map of these options without the dashes",
            "(layers: 2, source: \"markov:order=3\", no-tie: true); flags on the command line override it"})
    Path config;
    /** Test hook: behave as if Ctrl-C arrived after this step. */
    @Option(names = "--stop-after", hidden = true, defaultValue = "0")
    long stopAfter;

    /** Test hook: the baselines step fails as a bug would (an internal error before the training loop). */
    @Option(names = "--fail-in-baselines", hidden = true)
    boolean failInBaselines;

    /** Exit code of a run stopped by Ctrl-C (after its checkpoint was written), as shells report SIGINT. */
    static final int EXIT_STOPPED = 130;
    private boolean resuming;

    /** Orders 1..8 take about 4 s per MB of text on 2 cores. */
    private static final int BASELINE_MAX_ORDER = 8;

    private final PrintStream console = System.out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private java.util.List<String> arguments() {
        if (originalArguments != null) return originalArguments;
        return spec == null ? java.util.List.of() : spec.commandLine().getParseResult().originalArgs();
    }

    /** Re-runs the original command line of the run in DIR, continuing from its checkpoint. */
    private int resumeRun(Path dir) {
        RunDirectory run = RunDirectory.open(dir);
        Map<String, Object> recorded = run.readConfig();
        Object args = recorded.get("arguments");
        if (!(args instanceof java.util.List<?> list) || list.isEmpty())
            throw new IllegalArgumentException(dir.resolve(RunDirectory.CONFIG) + " records no arguments (written by an older lossfloor); it cannot be resumed");
        if (!Files.isRegularFile(run.checkpoint()))
            throw new IllegalArgumentException(run.checkpoint() + " not found: the run stopped before its first checkpoint; start it again");
        java.util.List<String> original = new java.util.ArrayList<>();
        for (Object a : list) original.add(String.valueOf(a));
        if (original.get(0).equals("train")) original.remove(0);
        RunDirectory.keepEvaluationCadence(recorded, original);
        TrainCommand again = new TrainCommand();
        new picocli.CommandLine(again).parseArgs(original.toArray(String[]::new));
        again.out = dir;
        again.resuming = true;
        again.resume = null;
        again.stopAfter = stopAfter;
        if (live) {
            again.live = true;
            again.livePort = livePort;
        }
        again.originalArguments = original;
        return again.call();
    }

    private java.util.List<String> originalArguments;
    /** The run that reproduce repeats: its recorded input hashes must match the inputs now. */
    Path reproducing;

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting: the hook records the interruption
        }
    }

    /**
     * --config FILE: the file's settings become arguments placed before the command line's (for the options the command
     * line does not give), and the merged arguments run as if typed; config.json records them, so reproduce and resume
     * need no config file.
     */
    private int runWithConfig() {
        List<String> commandLine = new java.util.ArrayList<>(arguments());
        if (!commandLine.isEmpty() && commandLine.get(0).equals("train")) commandLine.remove(0);
        for (int i = 0; i < commandLine.size(); i++) {
            if (commandLine.get(i).equals("--config") && i + 1 < commandLine.size()) {
                commandLine.remove(i + 1);
                commandLine.remove(i--);
            } else if (commandLine.get(i).startsWith("--config=")) {
                commandLine.remove(i--);
            }
        }
        String where = "config " + config;
        List<String> merged = TrainConfigFile.merge(TrainConfigFile.readMap(config), where, commandLine);
        TrainCommand again = new TrainCommand();
        try {
            new picocli.CommandLine(again).parseArgs(merged.toArray(String[]::new));
        } catch (picocli.CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + " (in " + where + " or on the command line)");
        }
        again.stopAfter = stopAfter;
        try {
            return again.call();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (settings from " + where + ")", e);
        }
    }

    /** The run directory this command writes, whose lock it releases when it returns (a test runs many in one JVM). */
    private RunDirectory written;

    @Override
    public Integer call() {
        try {
            return train();
        } finally {
            if (written != null) written.release();
        }
    }

    private Integer train() {
        if (config != null) return runWithConfig();
        if (resume != null) return resumeRun(resume);
        // a live writer is refused before any work; the lock itself is taken with the run directory below
        if (out != null) RunLock.refuseIfHeld(out, resuming ? RunDirectory.RESUME_BUSY : RunDirectory.OUT_BUSY);
        if (checkpointEvery < 0) throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        if (evalEvery != null && evalEvery < 0)
            throw new IllegalArgumentException("--eval-every must be >= 0 steps (0 = epoch ends only), got " + evalEvery);
        if (live) LiveServer.checkAvailable(livePort, "--live-port");
        Backend.configureThreads(threads);
        if (corpus == null && val != null)
            throw new IllegalArgumentException("--val needs --corpus; the built-in source makes its own held-out split");
        if (corpus != null && source != null)
            throw new IllegalArgumentException("--corpus and --source exclude each other; give one of them");
        Tokenizers.Spec tokenizerSpec = Tokenizers.parse(tokenizer);
        if (bpeNoSplit && !tokenizerSpec.kind().equals("bpe"))
            throw new IllegalArgumentException("--bpe-no-split applies to --tokenizer bpe:VOCAB only, not " + tokenizer);
        if (unk && !tokenizerSpec.kind().equals("char"))
            throw new IllegalArgumentException("--unk applies to --tokenizer char only" + (tokenizerSpec.kind().equals("word")
                    ? " (word:VOCAB always maps words outside its vocabulary to <unk>)" : ", not " + tokenizer));
        if (contextBytes != null && contextBytes < 2)
            throw new IllegalArgumentException("--context-bytes must be at least 2, got " + contextBytes);
        PreparedData data = corpus != null ? PreparedData.corpus(corpus, val, valFraction)
                : PreparedData.source(source == null ? MarkovSource.builtIn() : Sources.fromSpec(source), syntheticChars, valFraction);
        if (resuming) RecordedInputs.check(out, data, "start a new run");
        if (reproducing != null) RecordedInputs.check(reproducing, data, "train a new run instead of reproducing this one");
        long tokenizerStart = System.nanoTime();
        Tokenizer tok = resuming && Files.isRegularFile(out.resolve(TOKENIZER_JSON))
                ? Tokenizers.fromState(RunDirectory.readJsonMap(out.resolve(TOKENIZER_JSON)))
                : Tokenizers.create(tokenizer, data.train(), unk, !bpeNoSplit);
        double tokenizerSeconds = (System.nanoTime() - tokenizerStart) / 1e9;
        Encoding trainEnc = Evaluation.encode(tok, data.train(), "training split");
        Encoding valEnc = Evaluation.encode(tok, data.val(), val != null ? "held-out file " + val
                : corpus != null ? "held-out split (last " + valFraction + " of " + corpus + ")" : "held-out split");
        double trainBytesPerToken = (double) trainEnc.totalBytes() / Math.max(1, trainEnc.length());
        String contextChoice = null;
        if (contextBytes != null) {
            context = Math.max(2, (int) Math.round(contextBytes / trainBytesPerToken));
            contextChoice = String.format(java.util.Locale.ROOT, "%d tokens = round(%d bytes / %.3f bytes per token of the training split)%s",
                    context, contextBytes, trainBytesPerToken, context == 2 && contextBytes / trainBytesPerToken < 1.5 ? ", raised to the minimum of 2" : "");
        }
        // the predicted held-out tokens (all but the first) that are <unk>: with any, bits/char and bits/byte are not comparable
        long valUnk = tok.unkId() < 0 || valEnc.length() < 2 ? 0 : valEnc.slice(1, valEnc.length(), tok.unkId()).unknownCount();
        double valUnkRate = valEnc.length() < 2 ? 0 : (double) valUnk / (valEnc.length() - 1);
        Map<String, Object> extraMetrics = new LinkedHashMap<>();
        extraMetrics.put("val_unk_rate", valUnkRate);
        extraMetrics.put("bpc_comparable", valUnk == 0);
        GptConfig config = new GptConfig(tok.vocabSize(), layers, heads, embd, context, dropout, !noTie);
        int stride = evalStride == null ? Math.max(1, context / 2) : evalStride;
        double resolvedMinLr = minLr == null ? lr / 10 : minLr;
        TrainingSettings settings = new TrainingSettings(batch, lr, resolvedMinLr, warmup, weightDecay, clip, seed,
                epochs, maxSteps, 0.9, 0.99, 1e-8);
        HeldOutEvaluator evaluator = new HeldOutEvaluator(valEnc, context, stride);
        FloorReference floor = Evaluation.floor(data.source(), data.val(), evaluator.predictedChars());

        // a shape that cannot fit is one line now, not an OutOfMemoryError in the middle of the allocations
        MemoryEstimate.forTraining(config, batch, threads).check(MemoryEstimate.Limits.current(), String.format(
                java.util.Locale.ROOT, "the model (%d layers, %d heads, --embd %d, --context %d, vocabulary %,d) with --batch %d",
                layers, heads, embd, context, tok.vocabSize(), batch));
        GptModel model = GptModel.create(config, DataType.FLOAT, seed);
        int plannedSteps = Trainer.plannedSteps(trainEnc.ids(), context, settings);
        EvalCadence cadence = evalEvery == null ? EvalCadence.spread(plannedSteps) : new EvalCadence(evalEvery);
        Trainer trainer = new Trainer(model, settings, trainEnc.ids(), evaluator, floor, checkpointEvery, cadence);
        if (trainer.canEvaluateInBackground(threads)) trainer.evaluateInBackground();
        RunDirectory run = resuming ? RunDirectory.resume(out) : RunDirectory.create(out, data.name());
        written = run;

        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("lossfloor_version", Versions.lossfloor());
        cfg.put("arguments", arguments());
        cfg.put("created", Instant.now().toString());
        cfg.put("data", data.spec());
        cfg.put("tokenizer", tok.spec());
        cfg.put("unk", unk);
        if (tokenizerSpec.kind().equals("bpe")) cfg.put("bpe_split", bpeNoSplit ? "none" : "gpt2");
        cfg.put("vocab_size", tok.vocabSize());
        cfg.put("tokenizer_file", TOKENIZER_JSON);
        cfg.put("tokenizer_seconds", tokenizerSeconds);
        cfg.put("train_tokens", trainEnc.length());
        cfg.put("train_bytes", trainEnc.totalBytes());
        cfg.put("train_bytes_per_token", trainBytesPerToken);
        cfg.put("val_tokens", valEnc.length());
        cfg.put("val_unk_tokens", valEnc.unknownCount());
        cfg.put("val_unk_rate", valUnkRate);
        cfg.put("bpc_comparable", valUnk == 0);
        if (contextBytes != null) {
            cfg.put("context_bytes", contextBytes);
            cfg.put("context_choice", contextChoice);
        }
        cfg.put("model", Map.of("layers", layers, "heads", heads, "embd", embd, "context", context,
                "dropout", dropout, "tie_weights", !noTie, "parameters", config.parameterCount()));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("batch", batch);
        training.put("lr", lr);
        training.put("min_lr", resolvedMinLr);
        training.put("warmup", warmup);
        training.put("weight_decay", weightDecay);
        training.put("clip", clip);
        training.put("seed", seed);
        training.put("epochs", epochs);
        training.put("max_steps", maxSteps);
        training.put("steps_per_epoch", trainer.stepsPerEpoch());
        training.put("total_steps", trainer.totalSteps());
        training.put("eval_stride", stride);
        training.put("eval_every", cadence.every());
        training.put("eval_subset_tokens", trainer.betweenEvaluator().predictedTokens());
        training.put("eval_subset_fraction", trainer.betweenEvaluator().fraction());
        training.put("checkpoint_every", checkpointEvery);
        training.put("optimizer", "AdamW(beta1=0.9, beta2=0.99, eps=1e-8), decay on 2-D weights only");
        cfg.put("training", training);
        cfg.put("backend", Backend.backendName());
        cfg.put("threads", threads);
        cfg.put("java", System.getProperty("java.version"));
        cfg.put("dl4j", Versions.DL4J);
        cfg.put("floor_bpc", floor == null ? null : floor.floorBpc());
        cfg.put("true_bpc", floor == null ? null : floor.trueBpc());
        if (data.source() != null) {
            // H_j for j = 0..order: the floor of a model that sees j symbols; a context shorter than the order stops at H_context
            List<Double> contextFloors = new java.util.ArrayList<>();
            for (int j = 0; j <= data.source().order(); j++)
                contextFloors.add(InformationMetrics.natsToBits(data.source().conditionalEntropy(j)));
            cfg.put("context_floors_bpc", contextFloors);
        }
        if (!resuming) {
            run.writeConfig(cfg);
            writeTokenizer(run.path().resolve(TOKENIZER_JSON), tok);
        }
        Checkpoint.Contents resumeFrom = null;
        if (resuming) {
            resumeFrom = Checkpoint.read(run.checkpoint());
            Checkpoint.load(resumeFrom, model, trainer.optimizer());
            trainer.restore(resumeFrom.position());
            run.truncateMetricsAfter(resumeFrom.step());
        }
        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("training", seed);
        if (data.source() != null) seeds.put("synthetic_sample", PreparedData.SYNTHETIC_SAMPLE_SEED);
        RunManifest manifest = new RunManifest(run.path(), arguments(), threads, seeds, data.dataSha256(),
                FastGpt.attentionKernels(model));
        // Ctrl-C: the loop checkpoints before its next step and stops; the JVM waits for that (at most a minute)
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        // a run that completed before Ctrl-C keeps "completed", and the JVM waits for its plot and report (at most a minute)
        java.util.concurrent.atomic.AtomicBoolean completed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
        Thread reporting = new Thread(() -> awaitQuietly(reported));
        Thread interrupted = new Thread(() -> {
            trainer.requestStop();
            try {
                finished.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            manifest.finish("interrupted", "the JVM was stopped before a checkpoint could be written");
            if (completed.get()) awaitQuietly(reported);
        });
        Runtime.getRuntime().addShutdownHook(interrupted);

        LiveServer liveServer = null;
        // everything between the hook and the loop: a failure here ends the run as failed, and the hook, which waits
        // for the loop, goes first (nothing would count the latch down)
        try {
            console.println("lossfloor " + Versions.lossfloor() + " | " + Backend.describe(threads));
            console.printf("data      %s: %,d train / %,d held-out tokens (%s tokenizer, vocab %d)%s%n", data.name(),
                    trainEnc.length(), valEnc.length(), tok.spec(), tok.vocabSize(),
                    unk ? String.format(", %,d held-out <unk> tokens", valEnc.unknownCount()) : "");
            if (!tokenizerSpec.kind().equals("byte") && !tokenizerSpec.kind().equals("char"))
                console.printf("tokenizer %s%s: %.3f bytes/token on the training split (%s)%n", tok.spec(),
                        tokenizerSpec.kind().equals("bpe") ? (bpeNoSplit ? ", no pre-split" : ", GPT-2 pre-split") : "",
                        trainBytesPerToken, tokenizerSpec.kind().equals("gpt2") ? "GPT-2's pretrained r50k_base through jtokkit"
                                : (resuming ? "reloaded from " : String.format("learned from the training split in %.1f s, saved as ",
                                tokenizerSeconds)) + TOKENIZER_JSON
                                + (tok.vocabSize() < tokenizerSpec.size() + (tokenizerSpec.kind().equals("word") ? 1 : 0)
                                ? "; smaller than asked: the training split has no more " + (tokenizerSpec.kind().equals("bpe")
                                ? "pairs that occur twice" : "distinct words") : ""));
            if (valUnk > 0)
                console.printf("unk       %,d of %,d predicted held-out tokens are <unk> (%.2f%%): val_bpc and val_bpb are NOT comparable"
                        + " with a lossless tokenizer's (marked *)%n", valUnk, valEnc.length() - 1, 100 * valUnkRate);
            if (contextChoice != null) console.println("context   " + contextChoice);
            if (data.source() != null) {
                SyntheticSource src = data.source();
                console.printf("source    %s: entropy rate H = %.4f nats = %.4f bits/char = %.4f bits/byte (the floor)%n",
                        src.spec(), src.entropyRate(), src.entropyReport().bitsPerChar(), src.entropyReport().bitsPerByte());
                if (src.order() > 0) {
                    StringBuilder plateaus = new StringBuilder();
                    for (int j = 0; j <= src.order(); j++)
                        plateaus.append(String.format("%sH_%d = %.4f", j == 0 ? "" : ", ", j,
                                InformationMetrics.natsToBits(src.conditionalEntropy(j))));
                    console.println("plateaus  " + plateaus + " bits/char (the best loss with j symbols of context)");
                }
            }
            console.printf("model     %d layers, %d heads, %d wide, context %d, %,d parameters%n", layers, heads, embd, context,
                    config.parameterCount());
            boolean capped = trainer.totalSteps() < (long) epochs * trainer.stepsPerEpoch();
            console.printf("training  %d epochs x %d steps %s %d steps (batch %d, lr %.3g), eval stride %d%n", epochs,
                    trainer.stepsPerEpoch(), capped ? "stopped by --max-steps at" : "=", trainer.totalSteps(), batch, lr, stride);
            console.println("run dir   " + run.path());
            if (resumeFrom != null)
                console.printf("resumed   from the checkpoint at step %d (epoch %d, window %d of the epoch's order)%n",
                        resumeFrom.step(), resumeFrom.position().epoch(), resumeFrom.position().nextWindow());
            if (data.source() == null && !noBaselines && !(resuming && Files.exists(run.path().resolve("baselines.json")))) {
                if (failInBaselines) throw new IllegalStateException("the baselines failed (--fail-in-baselines)");
                BaselineReport baselines = Baselines.compute(data.train(), data.val(), BASELINE_MAX_ORDER);
                RunDirectory.writeJson(run.path().resolve("baselines.json"), baselines);
                NGramResult best = BaselinesCommand.best(baselines);
                console.printf("baselines unigram %.4f, %s-%d n-gram %.4f, xz given train %.4f bits/char (upper bounds; baselines.json)%n",
                        baselines.unigram().bitsPerChar(), best.smoothing(), best.order(), best.bitsPerChar(),
                        baselines.compressors().stream().filter(c -> c.compressor().equals("xz")).findFirst()
                                .map(c -> c.conditionalBitsPerChar()).orElse(Double.NaN));
                if (baselines.trainCapped()) console.println("          read " + baselines.trainText());
            }

            liveServer = live ? LiveServer.start(run.path(), livePort, "--live-port") : null;
            if (liveServer != null)
                console.println("live      " + liveServer.url() + " (the learning curve, updated at every evaluation)");
        } catch (RuntimeException | Error e) {
            finished.countDown();
            removeHook(interrupted);
            if (liveServer != null) liveServer.close();
            manifest.finish("failed", LossfloorCli.oneLine(e));
            throw e;
        }
        ProgressReporter progress = new ProgressReporter(console, floor != null, valUnk > 0);
        double[] bestValNll = {run.bestFullPassValNll()};
        long[] lastPlot = {0};
        Trainer.RunHook hook = new Trainer.RunHook() {
            @Override
            public void afterEvaluation(EpochMetrics metrics, Trainer t) {
                run.appendMetrics(metrics, extraMetrics);
                if (metrics.fullPass() && metrics.val().natsPerToken() < bestValNll[0]) {
                    bestValNll[0] = metrics.val().natsPerToken();
                    Checkpoint.write(run.bestCheckpoint(), t.model(), t.optimizer(), tok.state(), t.position());
                }
                // the figure follows the run: every epoch end, and between them at most every PLOT_INTERVAL
                if (metrics.epochEnd() || System.nanoTime() - lastPlot[0] > PLOT_INTERVAL_NANOS) {
                    drawPlot(run, false);
                    lastPlot[0] = System.nanoTime();
                }
            }

            @Override
            public void checkpoint(Trainer t) {
                Checkpoint.write(run.checkpoint(), t.model(), t.optimizer(), tok.state(), t.position());
            }
        };
        Trainer.Listener listener = stopAfter <= 0 ? progress : new Trainer.Listener() {
            @Override
            public void onStart(int totalSteps, int stepsPerEpoch) { progress.onStart(totalSteps, stepsPerEpoch); }

            @Override
            public void onStep(long step, int epoch, double loss, double lr) {
                progress.onStep(step, epoch, loss, lr);
                if (step == stopAfter) trainer.requestStop();
            }

            @Override
            public void onEvaluation(EpochMetrics metrics) { progress.onEvaluation(metrics); }
        };
        try {
            trainer.run(listener, hook);
            manifest.finish("completed", null);
            completed.set(true);
        } catch (Trainer.StoppedException e) {
            progress.close();
            String message = "stopped at step " + trainer.step() + " with a checkpoint; continue with ./lossfloor train --resume " + run.path();
            manifest.finish("interrupted", message);
            console.println(message);
            return EXIT_STOPPED;
        } catch (TrainingDivergedException e) {
            progress.close();
            boolean kept = Files.exists(run.checkpoint());
            TrainingDivergedException diagnosed = new TrainingDivergedException(e.getMessage() + (kept
                    ? "; the last good checkpoint is kept in " + run.checkpoint()
                    : "; no epoch had finished, so there is no checkpoint"));
            manifest.finish("diverged", diagnosed.getMessage());
            throw diagnosed;
        } catch (RuntimeException | Error e) {
            progress.close();
            manifest.finish("failed", LossfloorCli.oneLine(e));
            throw e;
        } finally {
            finished.countDown();
            removeHook(interrupted);
            if (liveServer != null) liveServer.close();
        }
        progress.close();
        try {
            Runtime.getRuntime().addShutdownHook(reporting);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C came during the last evaluation: the hook above waits for the report
        }
        LearningCurvePlot.Written plot = drawPlot(run, true);
        RunReport.Written report = writeReport(run);
        reported.countDown();
        removeHook(reporting);
        console.println("done: " + run.path().resolve(RunDirectory.METRICS) + ", checkpoint " + run.checkpoint()
                + (plot == null ? "" : ", plot " + plot.png()) + (report == null ? "" : ", report " + report.html()));
        return 0;
    }

    /** The tokenizer's state as JSON (what Tokenizers.fromState reads back), with each token's text for people. */
    static void writeTokenizer(Path file, Tokenizer tok) {
        Map<String, Object> json = new LinkedHashMap<>(tok.state());
        if (!json.containsKey("vocab") || tok.vocabSize() > 100_000) {
            List<String> tokens = new java.util.ArrayList<>(tok.vocabSize());
            if (!(tok instanceof dev.lossfloor.tokenizer.Gpt2Tokenizer))
                for (int id = 0; id < tok.vocabSize(); id++) tokens.add(tok.tokenDisplay(id));
            if (!tokens.isEmpty()) json.put("tokens", tokens);
        }
        RunDirectory.writeJsonMap(file, json);
    }

    static final String TOKENIZER_JSON = "tokenizer.json";
    /** Redrawing the figure costs a few hundred milliseconds: often enough to follow, rarely enough not to slow training. */
    private static final long PLOT_INTERVAL_NANOS = 10_000_000_000L;

    /** Writes report.md and report.html; a report that cannot be written is one line and never fails the run. */
    private RunReport.Written writeReport(RunDirectory run) {
        try {
            return RunReport.write(run.path());
        } catch (RuntimeException | LinkageError e) {
            console.println("report    not written (" + LossfloorCli.oneLine(e) + "); retry with ./lossfloor report --run " + run.path());
            return null;
        }
    }

    /**
     * Redraws the run's learning curves (a fraction of a second); a figure that cannot be drawn never stops the
     * training, it is reported in one line (after the last epoch only, to keep the epoch table intact).
     */
    private LearningCurvePlot.Written drawPlot(RunDirectory run, boolean report) {
        try {
            return LearningCurvePlot.write(run.path());
        } catch (RuntimeException | LinkageError e) {
            if (report)
                console.println("plot      not drawn (" + LossfloorCli.oneLine(e) + "); retry with ./lossfloor plot --run " + run.path());
            return null;
        }
    }
}
