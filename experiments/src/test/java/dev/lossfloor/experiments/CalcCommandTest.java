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
