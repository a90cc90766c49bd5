package dev.lossfloor.experiments.bench;

import dev.lossfloor.data.TextFiles;
import dev.lossfloor.tokenizer.BpeTokenizer;
import dev.lossfloor.tokenizer.BpeTrainer;
import dev.lossfloor.tokenizer.Encoding;
import dev.lossfloor.tokenizer.Gpt2Tokenizer;
import dev.lossfloor.tokenizer.TiktokenRanks;
import dev.lossfloor.tokenizer.Tokenizer;
import dev.lossfloor.tokenizer.Tokenizers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Tokenizer speed on one text (the yardstick: the 4 MB enwik8 prefix):
 * <ol>
 *   <li>BPE training time for VOCAB ids (GPT-2 pre-split on, then off), median of ROUNDS;</li>
 *   <li>encoding throughput of our encoder with the learned merges, cold (a fresh tokenizer, empty piece cache) and
 *       warm (the cache filled by a previous pass);</li>
 *   <li>encoding throughput of jtokkit's r50k_base and of our encoder loaded with the same r50k ranks (the same
 *       vocabulary and merges, so the ratio compares the two implementations), each cold.</li>
 * </ol>
 * Usage: java -cp lossfloor.jar dev.lossfloor.experiments.bench.TokenizerBenchmark FILE [VOCAB=4096] [ROUNDS=3]
 */
public final class TokenizerBenchmark {
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int vocab = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String text = TextFiles.readUtf8(file);
        double mb = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        System.out.printf(Locale.ROOT, "text %s: %.2f MB; %d rounds, medians%n", file.getFileName(), mb, rounds);

        BpeTokenizer bpe = null, whole = null;
        for (boolean split : new boolean[]{true, false}) {
            double[] s = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                BpeTokenizer trained = BpeTrainer.train(text, vocab, split);
                s[r] = (System.nanoTime() - t0) / 1e9;
                if (split) bpe = trained; else whole = trained;
            }
            System.out.printf(Locale.ROOT, "bpe train  vocab %d (%d learned), %s: %.2f s (rounds %s)%n", vocab,
                    (split ? bpe : whole).vocabSize(), split ? "GPT-2 pre-split" : "no split", median(s), fmt(s));
        }
        BpeTokenizer trained = bpe;
        double cold = throughput(rounds, mb, () -> (BpeTokenizer) Tokenizers.fromState(trained.state()), text);
        double warm = throughput(rounds, mb, () -> trained, text);
        Encoding enc = trained.encode(text);
        System.out.printf(Locale.ROOT, "bpe encode vocab %d: %.1f MB/s cold, %.1f MB/s warm (piece cache filled); %,d tokens, %.3f bytes/token%n",
                vocab, cold, warm, enc.length(), (double) enc.totalBytes() / enc.length());

        BpeTokenizer noSplit = whole;
        Encoding wholeEnc = noSplit.encode(text);
        System.out.printf(Locale.ROOT, "bpe encode vocab %d, no split: %.1f MB/s; %.3f bytes/token%n", vocab,
                throughput(rounds, mb, () -> noSplit, text), (double) wholeEnc.totalBytes() / wholeEnc.length());

        Gpt2Tokenizer jtokkit = Gpt2Tokenizer.get();
        TiktokenRanks.Converted r50k = TiktokenRanks.toBpe(TiktokenRanks.r50k(), true);
        // alternating rounds, so that a change in the machine's load hits both sides alike
        double[] ours = new double[rounds], theirs = new double[rounds], ratio = new double[rounds];
        throughput(1, mb, () -> (BpeTokenizer) Tokenizers.fromState(r50k.tokenizer().state()), text);
        throughput(1, mb, () -> jtokkit, text);
        for (int r = 0; r < rounds; r++) {
            ours[r] = once(mb, (BpeTokenizer) Tokenizers.fromState(r50k.tokenizer().state()), text);
            theirs[r] = once(mb, jtokkit, text);
            ratio[r] = ours[r] / theirs[r];
        }
        int[] a = jtokkit.encode(text).ids();
        int[] b = r50k.toRanks(r50k.tokenizer().encode(text).ids());
        System.out.printf(Locale.ROOT, "r50k_base  ours %.1f MB/s, jtokkit %.1f MB/s (cold, alternating rounds): ratio %.2fx"
                        + " (rounds %s); identical ids: %s (%,d tokens)%n", median(ours), median(theirs), median(ratio), fmt(ratio),
                Arrays.equals(a, b), a.length);
    }

    private interface Make {
        Tokenizer get();
    }

    /** Median MB/s of encoding the text with a tokenizer made fresh for each round (after one warm-up pass for the JIT). */
    private static double throughput(int rounds, double mb, Make make, String text) {
        make.get().encode(text.substring(0, Math.min(text.length(), 500_000)));
        double[] v = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            Tokenizer t = make.get();
            long t0 = System.nanoTime();
            t.encode(text);
            v[r] = mb / ((System.nanoTime() - t0) / 1e9);
        }
        return median(v);
    }

    private static double once(double mb, Tokenizer t, String text) {
        long t0 = System.nanoTime();
        t.encode(text);
        return mb / ((System.nanoTime() - t0) / 1e9);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", x));
        return b.toString();
    }
}
