package dev.lossfloor.experiments;

import dev.lossfloor.data.baselines.BaselineReport;
import dev.lossfloor.data.baselines.Baselines;
import dev.lossfloor.data.baselines.CompressionResult;
import dev.lossfloor.data.baselines.NGramResult;
import dev.lossfloor.data.baselines.Smoothing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Upper bounds on the entropy of real text, from 1948-2000s methods: character n-gram models with (modified)
 * Kneser-Ney smoothing, general-purpose compressors, and the unigram entropy. A neural model that cannot beat
 * them has not learned much; the true entropy lies below all of them.
 */
@Command(name = "baselines", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score the held-out split with classic models that bound the entropy of the text from above:",
                "Kneser-Ney and modified Kneser-Ney character n-grams, deflate/bzip2/xz, and the unigram entropy."})
final class BaselinesCommand implements Callable<Integer> {

    @Option(names = "--corpus", required = true, paramLabel = "PATH|NAME",
            description = "UTF-8 text, or a named corpus (tinyshakespeare, enwik8, text8, wikitext-2-raw)")
    String corpus;
    @Option(names = "--val", paramLabel = "PATH", description = "explicit held-out UTF-8 file (default: the tail of the corpus)")
    Path val;
    @Option(names = "--val-fraction", defaultValue = "0.1", description = "held-out fraction taken from the end (default: ${DEFAULT-VALUE})")
    double valFraction;
    @Option(names = "--max-order", defaultValue = "8", description = "highest n-gram order (default: ${DEFAULT-VALUE})")
    int maxOrder;
    @Option(names = "--out", paramLabel = "FILE", description = "also write the report as JSON (e.g. baselines.json)")
    Path out;

    @Override
    public Integer call() {
        if (maxOrder < 1 || maxOrder > 16) throw new IllegalArgumentException("--max-order must be between 1 and 16, got " + maxOrder);
        PreparedData data = PreparedData.corpus(corpus, val, valFraction);
        BaselineReport report = Baselines.compute(data.train(), data.val(), maxOrder);
        print(System.out, data.name(), report);
        if (out != null) {
            RunDirectory.writeJson(out, report);
            System.out.println("wrote " + out);
        }
        return 0;
    }

    static void print(PrintStream out, String name, BaselineReport r) {
        out.printf("%s: %,d training / %,d held-out characters (%,d bytes), %d distinct characters%n", name,
                r.trainChars(), r.heldOutChars(), r.heldOutBytes(), r.vocabularySize());
        if (r.trainCapped()) out.println("training text read: " + r.trainText());
        out.printf("unigram entropy of the training split: %.4f bits/char%n", r.unigram().bitsPerChar());
        out.printf("%-6s %12s %10s %11s %12s %10s %11s%n", "order", "kn nats/chr", "kn bpc", "kn bpb", "mkn nats/chr", "mkn bpc", "mkn bpb");
        for (int k = 1; k <= r.maxOrder(); k++) {
            NGramResult kn = r.ngram(Smoothing.KN, k), mkn = r.ngram(Smoothing.MKN, k);
            out.printf("%-6d %12.4f %10.4f %11.4f %12.4f %10.4f %11.4f%n", k, kn.natsPerChar(), kn.bitsPerChar(),
                    kn.bitsPerByte(), mkn.natsPerChar(), mkn.bitsPerChar(), mkn.bitsPerByte());
        }
        out.printf("%-10s %10s %10s %16s %16s  %s%n", "compressor", "alone bpc", "alone bpb", "given-train bpc",
                "given-train bpb", "settings");
        for (CompressionResult c : r.compressors())
            out.printf("%-10s %10.4f %10.4f %16.4f %16.4f  %s%n", c.compressor(),
                    c.aloneBitsPerChar(), c.aloneBitsPerByte(), c.conditionalBitsPerChar(), c.conditionalBitsPerByte(),
                    c.settings());
        NGramResult best = best(r);
        out.printf("best: %s order %d, %.4f bits/char = %.4f nats/char (an upper bound on the entropy rate)%n",
                best.smoothing(), best.order(), best.bitsPerChar(), best.natsPerChar());
    }

    static NGramResult best(BaselineReport r) {
        NGramResult best = null;
        for (NGramResult g : r.ngrams()) if (best == null || g.natsPerChar() < best.natsPerChar()) best = g;
        return best;
    }
}
