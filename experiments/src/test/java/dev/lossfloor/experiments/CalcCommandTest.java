package dev.lossfloor.experiments;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worked numbers of the course, as a student would type them. */
class CalcCommandTest {

    private static String ok(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err());
        return r.out();
    }

    @Test
    void nllOfTheObservedOutcome() {
        String out = ok("calc", "--p", "0.1,0.7,0.2", "--observed", "2");
        assertTrue(out.contains("-ln 0.7 = 0.3567 nats"), out);
    }

    @Test
    void aSequenceOfOutcomesHasALikelihoodAProductAndAnNllASum() {
        String out = ok("calc", "--p", "0.8,0.2", "--observed", "1,1,2");
        assertTrue(out.contains("likelihood      P(3 outcomes) = 0.8 x 0.8 x 0.2 = 0.128 (a probability of the data, not a loss)"), out);
        double nll = -Math.log(0.8 * 0.8 * 0.2);
        assertTrue(out.contains(String.format("sequence NLL    -ln P = %.4f nats = %.4f bits in total; %.4f nats", nll,
                nll / Math.log(2), nll / 3)), out);
        assertEquals(3, out.lines().filter(l -> l.startsWith("NLL(outcome")).count(), out);
        assertTrue(ok("calc", "--p", "0.1,0.9", "--observed", "1,1,1,1,1,1").contains("= 1.00000e-06"), "tiny likelihoods in scientific notation");
        CliRunner.Result zero = CliRunner.run("calc", "--p", "1,0", "--observed", "1,2");
        assertEquals(2, zero.exitCode());
        assertTrue(zero.err().contains("--observed 2 has probability 0 under --p: its NLL is infinite"), zero.err());
    }

    @Test
    void aSourceShowsItsEntropyRateAndPlateausInBothUnits() {
        String out = ok("calc", "--source", "markov:order=3,alphabet=abcd,concentration=0.3,seed=7");
        assertTrue(out.contains("entropy rate    H = 0.7620 nats = 1.0994 bits per character = 1.0994 bits per byte (the floor)"), out);
        assertTrue(out.contains("H_2             1.0914 nats = 1.5746 bits per character (the best loss given 2 previous characters)"), out);
        assertTrue(out.contains("H_0             1.3454 nats = 1.9410 bits per character (no context"), out);
        String iid = ok("calc", "--source", "iid:alphabet=abcd");
        assertTrue(iid.contains("H = 1.3863 nats = 2.0000 bits per character"), iid);
        assertTrue(iid.contains("e^H = 4.0000 per character"), iid);
        CliRunner.Result bad = CliRunner.run("calc", "--source", "markv:order=2");
        assertEquals(2, bad.exitCode());
        assertEquals(1, bad.errLines().length, bad.err());
        assertTrue(bad.err().contains("unknown source"), bad.err());
    }

    @Test
    void crossEntropyIsEntropyPlusKlInBothUnits() {
        String out = ok("calc", "--p", "0.9,0.1", "--q", "0.6,0.4");
        assertTrue(out.contains("H(p)            0.3251 nats = 0.4690 bits"), out);
        assertTrue(out.contains("KL(p||q)        0.2263 nats"), out);
        assertTrue(out.contains("KL(q||p)        0.3112 nats"), out);
        assertTrue(out.contains("= 0.5514 nats = H(p,q)"), out);
    }

    @Test
    void lossConversionsNameTheirUnits() {
        String out = ok("calc", "--nats-per-token", "1.47", "--tokens", "36059", "--chars", "111540");
        assertTrue(out.contains("2.120762 bits/token"), out);
        assertTrue(out.contains("perplexity      4.3492"), out);
        // 1.47 x 36059 nats over 111540 chars
        assertTrue(out.contains(String.format("%.6f bits/char", 1.47 * 36059 / (Math.log(2) * 111540))), out);
        String fromPpl = ok("calc", "--perplexity", "65");
        assertTrue(fromPpl.contains("4.174387 nats/token"), fromPpl);
    }

    @Test
    void badDistributionsAreOneLineErrors() {
        CliRunner.Result r = CliRunner.run("calc", "--p", "0.5,0.6");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("--p sums to 1.1"), r.err());
        CliRunner.Result mismatch = CliRunner.run("calc", "--p", "0.5,0.5", "--q", "1");
        assertTrue(mismatch.err().contains("--q has 1"), mismatch.err());
        CliRunner.Result outcome = CliRunner.run("calc", "--p", "0.5,0.5", "--observed", "3");
        assertTrue(outcome.err().contains("count from 1 to 2"), outcome.err());
    }
}
