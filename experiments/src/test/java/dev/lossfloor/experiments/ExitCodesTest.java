package dev.lossfloor.experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exit codes as shells expect them: 2 bad input, 3 diverged, 130 stopped, 1 a bug (one line; the trace with --debug). */
class ExitCodesTest {
    @TempDir
    Path dir;

    private Path corpus() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) text.append("the quick brown fox jumps over the lazy dog ").append(i % 7).append('\n');
        Path f = dir.resolve("small.txt");
        Files.writeString(f, text);
        return f;
    }

    private String[] failingTrain(boolean debug) throws IOException {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--corpus", corpus().toString(),
                "--layers", "1", "--heads", "1", "--embd", "8", "--context", "8", "--batch", "2", "--max-steps", "2",
                "--out", dir.resolve("run").toString(), "--fail-in-baselines"));
        if (debug) args.add(0, "--debug");
        return args.toArray(String[]::new);
    }

    @Test
    void aBugBeforeTheTrainingLoopIsOneLineExitOneAndAFailedRun() throws IOException {
        long start = System.nanoTime();
        CliRunner.Result r = CliRunner.run(failingTrain(false));
        assertEquals(LossfloorCli.EXIT_INTERNAL, r.exitCode(), r.out() + r.err());
        CliRunner.assertOneLineFailure(r, "IllegalStateException", "the baselines failed", "(run with --debug for the stack trace)");
        assertTrue((System.nanoTime() - start) / 1e9 < 30, "no wait for a signal that cannot come");
        Map<String, Object> manifest = RunDirectory.readJsonMap(dir.resolve("run").resolve("manifest.json"));
        assertEquals("failed", manifest.get("status"), manifest.toString());
    }

    @Test
    void debugPrintsTheStackTraceOfABug() throws IOException {
        CliRunner.Result r = CliRunner.run(failingTrain(true));
        assertEquals(LossfloorCli.EXIT_INTERNAL, r.exitCode());
        assertTrue(r.err().contains("the baselines failed (--fail-in-baselines) (run with --debug"), r.err());
        assertTrue(r.err().contains("\tat "), "--debug shows the stack trace");
    }

    @Test
    void debugAfterTheCommandWorksToo() throws IOException {
        String[] args = failingTrain(false);
        String[] withDebug = java.util.Arrays.copyOf(args, args.length + 1);
        withDebug[args.length] = "--debug";
        CliRunner.Result r = CliRunner.run(withDebug);
        assertEquals(LossfloorCli.EXIT_INTERNAL, r.exitCode());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void badInputStaysExitTwoWithoutTheDebugHint() {
        CliRunner.Result r = CliRunner.run("train", "--layers", "0", "--out", dir.resolve("bad").toString());
        CliRunner.assertOneLineError(r, "--layers must be at least 1");
        assertFalse(r.err().contains("--debug"), r.err());
    }

    @Test
    void anErrorThatEscapesIsOneLineExitOne() {
        java.io.StringWriter text = new java.io.StringWriter();
        int code = LossfloorCli.report(new OutOfMemoryError("Java heap space"), "lossfloor train", new java.io.PrintWriter(text), false);
        assertEquals(LossfloorCli.EXIT_INTERNAL, code);
        assertEquals("lossfloor train: OutOfMemoryError: Java heap space (run with --debug for the stack trace)", text.toString().strip());
    }
}
