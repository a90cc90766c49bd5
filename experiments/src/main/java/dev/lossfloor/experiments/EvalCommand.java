package dev.lossfloor.experiments;

import dev.lossfloor.tokenizer.Encoding;
import dev.lossfloor.tokenizer.Tokenizer;
import dev.lossfloor.tokenizer.Tokenizers;
import dev.lossfloor.trainer.Checkpoint;
import dev.lossfloor.trainer.FloorReference;
import dev.lossfloor.trainer.GptModel;
import dev.lossfloor.trainer.HeldOutEvaluator;
import dev.lossfloor.trainer.HeldOutScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Reload a run's checkpoint and score its held-out split again (prints the same val_nll as training).")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "run directory written by ./lossfloor train")
    Path runDir;
    @Option(names = "--best", description = "use checkpoint-best.bin (the evaluation with the lowest full-pass val_nll) instead of the last checkpoint")
    boolean best;
    @Option(names = "--threads", defaultValue = "1", description = "ND4J/BLAS threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
        Backend.configureThreads(threads);
        RunDirectory run = RunDirectory.open(runDir);
        Map<String, Object> config = run.readConfig();
        Checkpoint.Contents ckpt = Checkpoint.read(run.checkpoint(best));
        PreparedData data = PreparedData.fromSpec((Map<String, Object>) config.get("data"));
        Tokenizer tok = Tokenizers.fromState(ckpt.tokenizerState());
        Encoding valEnc = Evaluation.encode(tok, data.val(), "held-out text");
        int stride = ((Number) ((Map<String, Object>) config.get("training")).get("eval_stride")).intValue();
        GptModel model = GptModel.create(ckpt.config(), ckpt.dataType(), 0);
        Checkpoint.load(ckpt, model);
        HeldOutEvaluator evaluator = new HeldOutEvaluator(valEnc, ckpt.config().context(), stride);
        HeldOutScore score = evaluator.score(model);
        FloorReference floor = Evaluation.floor(data.source(), data.val(), evaluator.predictedChars());

        System.out.println("lossfloor " + Versions.lossfloor() + " | " + Backend.describe(threads));
        System.out.printf("run %s: checkpoint at step %d (epoch %d), %s tokenizer, eval stride %d%n", run.path(),
                ckpt.step(), ckpt.completedEpochs(), tok.spec(), stride);
        System.out.printf("val_nll %.6f nats/token | val_ppl %.4f | val_bits_per_token %.4f | val_bpc %.4f | val_bpb %.4f"
                        + " | %d tokens, %d chars, %d bytes%n", score.natsPerToken(), score.perplexity(),
                score.bitsPerToken(), score.bitsPerChar(), score.bitsPerByte(), score.tokens(), score.chars(), score.bytes());
        if (floor != null)
            System.out.printf("floor_bpc %.4f | true_bpc %.4f | gap_bpc %.4f (KL(data||model) in bits/char, estimated)%n",
                    floor.floorBpc(), floor.trueBpc(), score.bitsPerChar() - floor.trueBpc());
        if (valEnc.unknownCount() > 0)
            System.out.printf("held-out <unk> tokens: %d (%.3f%% of tokens): val_bpc and val_bpb are not comparable with a"
                            + " lossless tokenizer's%n", valEnc.unknownCount(), 100.0 * valEnc.unknownCount() / valEnc.length());
        return 0;
    }

}
