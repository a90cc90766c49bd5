package dev.lossfloor.experiments;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleCommandTest {
    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void trainTinyModel() {
        run = dir.resolve("run");
        CliRunner.Result r = CliRunner.run("train", "--out", run.toString(), "--synthetic-chars", "3000", "--layers", "1",
                "--heads", "2", "--embd", "16", "--context", "16", "--batch", "4", "--epochs", "1");
        assertEquals(0, r.exitCode(), r.err());
    }

    private static String sample(String... extra) {
        String[] args = new String[extra.length + 3];
        args[0] = "sample";
        args[1] = "--run";
        args[2] = run.toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err());
        return r.out();
    }

    @Test
    void sameSeedSameTextAndThePromptComesFirst() {
        String a = sample("--prompt", "abca", "--max-tokens", "40", "--seed", "7");
        assertEquals(a, sample("--prompt", "abca", "--max-tokens", "40", "--seed", "7"));
        assertNotEquals(a, sample("--prompt", "abca", "--max-tokens", "40", "--seed", "8"));
        assertTrue(a.startsWith("abca"));
        assertEquals(44, a.strip().length());
    }

    @Test
    void entropyPerStepIsPrintedInBits() {
        String out = sample("--prompt", "ab", "--max-tokens", "5", "--show-entropy", "--temperature", "0.5");
        assertTrue(out.contains("entropy") && out.contains("bits"), out);
        assertEquals(5, out.lines().filter(l -> l.contains(" bits") && l.contains("p=")).count(), out);
    }

    @Test
    void unseenPromptCharacterIsNamed() {
        CliRunner.Result r = CliRunner.run("sample", "--run", run.toString(), "--prompt", "abz");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("U+007A 'z' at offset 2") && r.err().contains("a b c d"), r.err());
    }
}
