package dev.lossfloor.data.baselines;

import dev.lossfloor.data.Split;
import dev.lossfloor.data.TextFiles;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Benchmark (not a test): every baseline on a text file, 90/10 split as {@link Baselines#referenceSplit}, with
 * the wall time of each part.
 * {@code bench/baselines.sh FILE} runs it from the shaded jar:
 * <pre>
 *   java -Xmx1g -cp experiments/target/lossfloor.jar dev.lossfloor.data.baselines.BaselinesBenchmark \
 *       ../shared/corpora/enwik6.txt [maxOrder=8]
 * </pre>
 */
public final class BaselinesBenchmark {

    private BaselinesBenchmark() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: BaselinesBenchmark FILE [MAX_ORDER=8]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int maxOrder = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        long start = System.nanoTime();
        String text = TextFiles.readUtf8(file);
        Split split = Baselines.referenceSplit(text);
        double readSeconds = (System.nanoTime() - start) / 1e9;
        BaselineReport r = Baselines.compute(split.train(), split.val(), maxOrder);
        double totalSeconds = (System.nanoTime() - start) / 1e9;

        System.out.printf(Locale.ROOT, "file %s: %,d train / %,d held-out characters (%,d bytes), V = %d, max heap %d MB%n",
                file, r.trainChars(), r.heldOutChars(), r.heldOutBytes(), r.vocabularySize(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "unigram entropy of train: %.4f bits/char%n", r.unigram().bitsPerChar());
        System.out.printf(Locale.ROOT, "%-5s %5s %10s %10s %10s%n", "model", "order", "nats/char", "bits/char", "bits/byte");
        for (NGramResult n : r.ngrams()) {
            System.out.printf(Locale.ROOT, "%-5s %5d %10.6f %10.6f %10.6f%n", n.smoothing(), n.order(), n.natsPerChar(),
                    n.bitsPerChar(), n.bitsPerByte());
        }
        System.out.printf(Locale.ROOT, "%-8s %12s %10s %10s %12s %12s%n", "compress", "alone bytes", "alone bpc",
                "alone bpb", "cond bpc", "cond bpb");
        for (CompressionResult c : r.compressors()) {
            System.out.printf(Locale.ROOT, "%-8s %,12d %10.4f %10.4f %12.4f %12.4f%n", c.compressor(), c.aloneBytes(),
                    c.aloneBitsPerChar(), c.aloneBitsPerByte(), c.conditionalBitsPerChar(), c.conditionalBitsPerByte());
        }
        System.out.printf(Locale.ROOT, "time: read+split %.2f s", readSeconds);
        for (PartTiming t : r.timings()) System.out.printf(Locale.ROOT, ", %s %.2f s", t.part(), t.seconds());
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peakHeap += pool.getPeakUsage().getUsed();
        }
        System.out.printf(Locale.ROOT, "; total %.2f s; peak heap (sum of pool peaks) %d MB%n", totalSeconds, peakHeap >> 20);
    }
}
