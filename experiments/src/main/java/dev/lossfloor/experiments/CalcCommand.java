package dev.lossfloor.experiments;

import dev.lossfloor.data.InformationMetrics;
import dev.lossfloor.data.Sources;
import dev.lossfloor.data.SyntheticSource;
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
                "  lossfloor calc --p 0.1,0.7,0.2 --observed 2",
                "  lossfloor calc --p 0.8,0.2 --observed 1,1,2      (the likelihood of a sequence of outcomes)",
                "  lossfloor calc --source markov:order=3,alphabet=abcd,concentration=0.3,seed=7"})
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
    @Option(names = "--observed", paramLabel = "I[,I...]", split = ",", description = {"number of the outcome that happened, counting from 1:",
            "its NLL under p; several (1,1,2): the likelihood and NLL of the whole sequence"})
    int[] observed;
    @Option(names = "--source", paramLabel = "SPEC", description = {"a synthetic source (as train --source): its entropy rate H",
            "and the conditional entropies H_0, H_1, ... in nats and bits"})
    String source;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        int given = count(natsPerToken) + count(bitsPerToken) + count(perplexity);
        if (given > 1)
            throw new IllegalArgumentException("give one of --nats-per-token, --bits-per-token, --perplexity, not " + given);
        if (given == 0 && p == null && source == null)
            throw new IllegalArgumentException("nothing to compute: give a loss (--nats-per-token X), a distribution (--p 0.9,0.1)"
                    + " or a source (--source markov:order=2); see --help");
        if (given == 1) convertLoss();
        if (source != null) source();
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
        if (observed != null) observed();
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

    /** The NLL of each observed outcome; for several, the likelihood of the sequence (a product) and its NLL (a sum). */
    private void observed() {
        double total = 0, likelihood = 1;
        StringBuilder product = new StringBuilder();
        for (int o : observed) {
            if (o < 1 || o > p.length)
                throw new IllegalArgumentException("--observed " + o + " is not an outcome of --p: count from 1 to " + p.length);
            double pObserved = p[o - 1];
            if (!(pObserved > 0))
                throw new IllegalArgumentException("--observed " + o + " has probability 0 under --p: its NLL is infinite");
            double nll = InformationMetrics.nllNats(pObserved);
            out.printf("NLL(outcome %d)  -ln %s = %.4f nats = %.4f bits%n", o, pObserved, nll, InformationMetrics.natsToBits(nll));
            total += nll;
            likelihood *= pObserved;
            product.append(product.length() == 0 ? "" : " x ").append(pObserved);
        }
        if (observed.length > 1) {
            out.printf("likelihood      P(%d outcomes) = %s = %s (a probability of the data, not a loss)%n", observed.length,
                    product, significant(likelihood));
            out.printf("sequence NLL    -ln P = %.4f nats = %.4f bits in total; %.4f nats = %.4f bits per outcome%n", total,
                    InformationMetrics.natsToBits(total), total / observed.length,
                    InformationMetrics.natsToBits(total / observed.length));
        }
    }

    /** A synthetic source's entropy rate (the floor) and conditional entropies (the plateaus), in both units. */
    private void source() {
        SyntheticSource src = Sources.fromSpec(source);
        double h = src.entropyRate();
        out.printf("source          %s (order %d, %d characters, %.3f UTF-8 bytes/char)%n", src.spec(), src.order(),
                src.alphabetSize(), src.bytesPerChar());
        out.printf("entropy rate    H = %.4f nats = %.4f bits per character = %.4f bits per byte (the floor)%n", h,
                src.entropyReport().bitsPerChar(), src.entropyReport().bitsPerByte());
        out.printf("perplexity      e^H = %.4f per character (effective number of equally likely next characters)%n",
                InformationMetrics.perplexityFromNats(h));
        for (int j = 0; j <= src.order(); j++) {
            double hj = src.conditionalEntropy(j);
            out.printf("H_%-13d %.4f nats = %.4f bits per character (%s)%n", j, hj, InformationMetrics.natsToBits(hj),
                    j == 0 ? "no context: the entropy of one character" : "the best loss given " + j + " previous character"
                            + (j == 1 ? "" : "s"));
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

    /** Six significant digits without trailing zeros (0.0864), or scientific notation below 1e-4. */
    private static String significant(double x) {
        if (x < 1e-4) return String.format("%.5e", x);
        return new java.math.BigDecimal(x).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
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
