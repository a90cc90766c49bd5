package dev.lossfloor.experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A shape that cannot fit fails before any large allocation: one line with the estimate and the limit, no run directory. */
class MemoryPreflightTest {
    @TempDir
    Path dir;

    private Path corpus() throws IOException {
        return corpus(200);
    }

    private Path corpus(int lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) text.append("to be or not to be, that is the question ").append(i % 10).append('\n');
        Path f = dir.resolve("small.txt");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void aContextNoArrayCanHoldIsOneLineAtOnce() throws IOException {
        Path out = dir.resolve("run");
        long start = System.nanoTime();
        CliRunner.Result r = CliRunner.run("train", "--corpus", corpus(6000).toString(), "--val-fraction", "0.5", "--context", "100000", "--no-baselines",
                "--out", out.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        CliRunner.assertOneLineError(r, "--context 100000", "--batch 12", "more than a Java array holds",
                "choose a smaller --batch, --context or --embd");
        assertTrue(seconds < 5, seconds + " s");
        assertFalse(Files.exists(out), "no run directory for a run that never started");
    }

    @Test
    void aModelLargerThanAnyHeapNamesTheEstimateTheLimitAndTheFix() throws IOException {
        CliRunner.Result r = CliRunner.run("train", "--corpus", corpus().toString(), "--tokenizer", "byte", "--layers", "64",
                "--heads", "16", "--embd", "8192", "--context", "32", "--no-baselines", "--out", dir.resolve("run").toString());
        CliRunner.assertOneLineError(r, "--embd 8192", "of Java heap", "this JVM may use", "smaller --batch, --context or --embd");
        assertTrue(r.err().contains("LOSSFLOOR_JAVA_OPTS") || r.err().contains("this machine has"), r.err());
        assertFalse(r.err().contains("OutOfMemoryError"), r.err());
    }

    @Test
    void theDefaultShapePassesThePreflight() throws IOException {
        CliRunner.Result r = CliRunner.run("train", "--corpus", corpus().toString(), "--max-steps", "1", "--epochs", "1",
                "--no-baselines", "--out", dir.resolve("ok").toString());
        assertTrue(r.exitCode() == 0, r.out() + r.err());
    }
}
