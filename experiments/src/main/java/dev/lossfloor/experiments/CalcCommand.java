package dev.lossfloor.experiments;

import dev.lossfloor.data.InformationMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * A calculator for the quantities of the course: unit conversions of a loss, and entropy, cross-entropy and KL of
 * distributions typed in. Every number printed names its unit (nats or bits), because mixed-up log bases are the
 * most common error in this material.
 */
@Command(name = "calc", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert a loss between nats/token, bits/token, perplexity, bits/char and bits/byte, or compute",
                "entropy, cross-entropy and KL of distributions typed in. Examples:",
                "  lossfloor calc --nats-per-token 1.47 --tokens 36059 --chars 111540",
                "  lossfloor calc --p 0.9,0.1 --q 0.6,0.4",
                "  lossfloor calc --p 0.1,0.7,0.2 --observed 2"})
final class CalcCommand implements Callable<Integer> {

    @Option(names = "--nats-per-token", paramLabel = "X", description = "a loss in nats per token")
    Double natsPerToken;
    @Option(names = "--bits-per-token", paramLabel = "X", description = "a loss in bits per token")
    Double bitsPerToken;
    @Option(names = "--perplexity", paramLabel = "X", description = "a perplexity per token")
    Double perplexity;
    @Option(names = "--tokens", paramLabel = "N", description = "tokens the loss was averaged over")
    Long tokens;
    @Option(names = "--chars", paramLabel = "N", description = "characters those tokens cover (for bits/char)")
    Long chars;
    @Option(names = "--bytes", paramLabel = "N", description = "UTF-8 bytes those tokens cover (for bits/byte)")
    Long bytes;

    @Option(names = "--p", paramLabel = "P1,P2,...", split = ",", description = "a distribution p (the data)")
    double[] p;
    @Option(names = "--q", paramLabel = "Q1,Q2,...", split = ",", description = "a second distribution q (the model)")
    double[] q;
    @Option(names = "--observed", paramLabel = "I", description = "number of the outcome that happened, counting from 1: its NLL under p")
    Integer observed;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        int given = count(natsPerToken) + count(bitsPerToken) + count(perplexity);
        if (given > 1)
            throw new IllegalArgumentException("give one of --nats-per-token, --bits-per-token, --perplexity, not " + given);
        if (given == 0 && p == null)
            throw new IllegalArgumentException("nothing to compute: give a loss (--nats-per-token X) or a distribution (--p 0.9,0.1); see --help");
        if (given == 1) convertLoss();
        if (p != null) distributions();
        else if (q != null || observed != null)
            throw new IllegalArgumentException("--q and --observed need --p");
        return 0;
    }

    private void convertLoss() {
        double nats = natsPerToken != null ? natsPerToken
                : bitsPerToken != null ? InformationMetrics.bitsToNats(bitsPerToken)
                : InformationMetrics.natsFromPerplexity(positive(perplexity, "--perplexity"));
        if (!(nats >= 0) || Double.isInfinite(nats)) throw new IllegalArgumentException("the loss must be a finite number >= 0, got " + nats + " nats/token");
        out.printf("loss            %.6f nats/token%n", nats);
        out.printf("                %.6f bits/token%n", InformationMetrics.natsToBits(nats));
        out.printf("perplexity      %.4f (effective number of equally likely next tokens)%n", InformationMetrics.perplexityFromNats(nats));
        if (chars != null || bytes != null) {
            if (tokens == null) throw new IllegalArgumentException("--chars and --bytes need --tokens: the total loss is nats/token x tokens");
            double total = nats * positive(tokens, "--tokens");
            out.printf("total           %.4f nats over %d tokens%n", total, tokens);
            if (chars != null) {
                out.printf("bits per char   %.6f bits/char (%d chars, %.4f chars/token)%n",
                        InformationMetrics.bitsPerChar(total, positive(chars, "--chars")), chars, (double) chars / tokens);
            }
            if (bytes != null) {
                double bpb = InformationMetrics.bitsPerByte(total, positive(bytes, "--bytes"));
                out.printf("bits per byte   %.6f bits/byte (%d bytes); byte perplexity 2^bpb = %.4f%n", bpb, bytes,
                        InformationMetrics.perplexityFromBits(bpb));
            }
        }
    }

    private void distributions() {
        checkDistribution(p, "--p");
        double hp = InformationMetrics.entropyNats(p);
        out.printf("p               %s%n", Arrays.toString(p));
        out.printf("H(p)            %.4f nats = %.4f bits; perplexity e^H = %.4f of %d outcomes%n", hp,
                InformationMetrics.natsToBits(hp), InformationMetrics.perplexityFromNats(hp), p.length);
        if (observed != null) {
            if (observed < 1 || observed > p.length)
                throw new IllegalArgumentException("--observed " + observed + " is not an outcome of --p: count from 1 to " + p.length);
            double pObserved = p[observed - 1];
            double nll = InformationMetrics.nllNats(pObserved);
            out.printf("NLL(outcome %d)  -ln %s = %.4f nats = %.4f bits%n", observed, pObserved, nll, InformationMetrics.natsToBits(nll));
        }
        if (q != null) {
            checkDistribution(q, "--q");
            if (q.length != p.length)
                throw new IllegalArgumentException("--p has " + p.length + " outcomes but --q has " + q.length + "; give both over the same outcomes");
            double hq = InformationMetrics.entropyNats(q);
            double ce = InformationMetrics.crossEntropyNats(p, q);
            double klpq = InformationMetrics.klNats(p, q), klqp = InformationMetrics.klNats(q, p);
            out.printf("q               %s%n", Arrays.toString(q));
            out.printf("H(q)            %.4f nats = %.4f bits%n", hq, InformationMetrics.natsToBits(hq));
            out.printf("H(p,q)          %.4f nats = %.4f bits (cross-entropy: expected NLL of model q on data from p)%n", ce,
                    InformationMetrics.natsToBits(ce));
            out.printf("KL(p||q)        %.4f nats = %.4f bits%n", klpq, InformationMetrics.natsToBits(klpq));
            out.printf("KL(q||p)        %.4f nats = %.4f bits (KL is not symmetric)%n", klqp, InformationMetrics.natsToBits(klqp));
            out.printf("check           H(p) + KL(p||q) = %.4f + %.4f = %.4f nats = H(p,q)%n", hp, klpq, hp + klpq);
        }
    }

    private static void checkDistribution(double[] d, String option) {
        double sum = 0;
        for (int i = 0; i < d.length; i++) {
            if (!(d[i] >= 0 && d[i] <= 1))
                throw new IllegalArgumentException(option + " entry " + i + " is " + d[i] + "; probabilities must be between 0 and 1");
            sum += d[i];
        }
        if (Math.abs(sum - 1) > 1e-6)
            throw new IllegalArgumentException(option + " sums to " + sum + ", not 1; probabilities of all outcomes must add up to 1");
    }

    private static int count(Object o) { return o == null ? 0 : 1; }

    private static double positive(double v, String option) {
        if (!(v > 0)) throw new IllegalArgumentException(option + " must be positive, got " + v);
        return v;
    }

    private static long positive(long v, String option) {
        if (v <= 0) throw new IllegalArgumentException(option + " must be positive, got " + v);
        return v;
    }
}
