package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run directory has one writer at a time (lock.json), a writer that died is recognised and taken over by --resume,
 * and damaged files (a torn metrics line, a non-UTF-8 file, a failed append) end in one line naming the file.
 */
class RunLockTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static CliRunner.Result train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--synthetic-chars", "3000", "--layers", "1", "--heads", "2",
                "--embd", "16", "--context", "16", "--batch", "4", "--epochs", "1", "--no-baselines", "--out", out.toString()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    /** A run stopped (as by Ctrl-C) at step 5, with a checkpoint to resume from. */
    private Path stoppedRun(String name) {
        Path out = dir.resolve("runs").resolve(name);
        CliRunner.Result stopped = train(out, "--stop-after", "5");
        assertEquals(TrainCommand.EXIT_STOPPED, stopped.exitCode(), stopped.err());
        return out;
    }

    private static void setStatus(Path run, String status) throws IOException {
        Map<String, Object> manifest = JSON.readValue(run.resolve("manifest.json").toFile(), LinkedHashMap.class);
        manifest.put("status", status);
        JSON.writeValue(run.resolve("manifest.json").toFile(), manifest);
    }

    private static String statusOf(Path run) throws IOException {
        return JSON.readTree(run.resolve("manifest.json").toFile()).path("status").asText();
    }

    /** The `runs` line of one run directory. */
    private static String runsLine(Path runs, String name) {
        CliRunner.Result r = CliRunner.run("runs", runs.toString());
        assertEquals(0, r.exitCode(), r.err());
        return r.out().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
    }

    @Test
    void aSecondWriterIsRefusedAtOnceNamingTheHolder() throws IOException {
        Path out = dir.resolve("c1");
        Files.createDirectories(out);
        try (RunLock held = RunLock.acquire(out, "unused")) {
            CliRunner.Result second = train(out, "--seed", "7");
            CliRunner.assertOneLineError(second, out + " is being written by pid " + ProcessHandle.current().pid(),
                    "on host " + RunLock.host(), " since ", "wait for it or choose another --out");
            assertFalse(Files.exists(out.resolve(RunDirectory.METRICS)), "the refused writer wrote nothing");
        }
        assertEquals(0, train(out).exitCode(), "free again once the holder lets go");
    }

    @Test
    void resumeOfARunStillTrainingIsRefusedAndRunsShowsItRunning() throws IOException {
        Path out = stoppedRun("live");
        setStatus(out, "running");
        String before = Files.readString(out.resolve(RunDirectory.METRICS));
        try (RunLock held = RunLock.acquire(out, "unused")) {
            CliRunner.Result resumed = CliRunner.run("train", "--resume", out.toString());
            CliRunner.assertOneLineError(resumed, out + " is being written by pid " + ProcessHandle.current().pid(),
                    "still training", "before --resume");
            assertTrue(runsLine(out.getParent(), "live").contains(" running "));
        }
        assertEquals(before, Files.readString(out.resolve(RunDirectory.METRICS)), "metrics untouched");
    }

    @Test
    void aDeadWritersRunShowsDeadAndResumeTakesItOverRemovingStaleTemporaryFiles() throws IOException {
        Path out = stoppedRun("killed");
        // what kill -9 leaves: status "running", lock.json naming a process that is gone, half-written temporary files
        setStatus(out, "running");
        Files.writeString(out.resolve(RunLock.FILE), "{\"pid\": 999999999, \"host\": \"" + RunLock.host()
                + "\", \"since\": \"2026-01-01T00:00:00Z\"}\n");
        Path[] stale = {out.resolve("checkpoint.bin12345.tmp"), out.resolve("metrics.jsonl678.tmp"),
                out.resolve(".learning_curves.png.4242.1.tmp")};
        for (Path p : stale) Files.writeString(p, "half");
        assertEquals(RunLock.State.DEAD, RunLock.state(out));
        assertTrue(runsLine(out.getParent(), "killed").contains(" dead "));

        CliRunner.Result resumed = CliRunner.run("train", "--resume", out.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        for (Path p : stale) assertFalse(Files.exists(p), p + " removed");
        assertEquals("completed", statusOf(out));
        assertEquals(ProcessHandle.current().pid(), RunLock.holder(out).pid(), "lock.json names the process that took over");
        assertTrue(runsLine(out.getParent(), "killed").contains(" completed "));
    }

    @Test
    void aTornLastMetricsLineDoesNotBlockResume() throws IOException {
        Path out = stoppedRun("torn");
        Files.writeString(out.resolve(RunDirectory.METRICS), "{\"epoch\":0,\"step\":5,\"tok", StandardOpenOption.APPEND);
        assertTrue(runsLine(out.getParent(), "torn").contains(" interrupted "), "runs reads past the torn line");
        CliRunner.Result resumed = CliRunner.run("train", "--resume", out.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        for (String line : Files.readAllLines(out.resolve(RunDirectory.METRICS)))
            assertTrue(JSON.readTree(line).path("step").isNumber(), line);
    }

    @Test
    void aDamagedMetricsLineBeforeTheLastIsOneLineWithItsNumber() throws IOException {
        Path out = stoppedRun("damaged");
        Path metrics = out.resolve(RunDirectory.METRICS);
        List<String> lines = new ArrayList<>(Files.readAllLines(metrics));
        assertTrue(lines.size() >= 2, "needs two lines: " + lines);
        lines.set(0, "garbage");
        Files.write(metrics, lines);
        CliRunner.Result resumed = CliRunner.run("train", "--resume", out.toString());
        CliRunner.assertOneLineError(resumed, metrics + " line 1 is not a metrics record (garbage)", "delete that line");
    }

    @Test
    void aNonUtf8MetricsFileIsOneLineOnResume() throws IOException {
        Path out = stoppedRun("latin1");
        Path metrics = out.resolve(RunDirectory.METRICS);
        Files.write(metrics, new byte[]{(byte) 0xe9, '\n'}, StandardOpenOption.APPEND);
        CliRunner.assertOneLineError(CliRunner.run("train", "--resume", out.toString()), metrics + " is not UTF-8 text");
    }

    @Test
    void anUnreadableRunDoesNotStopTheListing() throws IOException {
        Path good = stoppedRun("a-good");
        Path bad = stoppedRun("b-bad");
        Files.write(bad.resolve(RunDirectory.METRICS), new byte[]{'{', (byte) 0xff, (byte) 0xfe, '}', '\n'});
        Path badManifest = stoppedRun("c-bad-manifest");
        Files.write(badManifest.resolve("manifest.json"), "{\"status\": \"runn".getBytes(StandardCharsets.UTF_8));

        CliRunner.Result r = CliRunner.run("runs", good.getParent().toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(runsLine(good.getParent(), "a-good").contains(" interrupted "), r.out());
        String badLine = runsLine(good.getParent(), "b-bad");
        assertTrue(badLine.contains(" unreadable ") && badLine.endsWith("metrics.jsonl is not UTF-8"), badLine);
        String badManifestLine = runsLine(good.getParent(), "c-bad-manifest");
        assertTrue(badManifestLine.contains(" unreadable ") && badManifestLine.endsWith("manifest.json is not valid JSON"),
                badManifestLine);
    }

    @Test
    void aFailedMetricsAppendIsAMetricsErrorAndTheRunFails() throws IOException {
        Path out = dir.resolve("full");
        Files.createDirectories(out);
        // metrics.jsonl points into a directory that does not exist: every append fails, as on a full disk
        Files.createSymbolicLink(out.resolve(RunDirectory.METRICS), out.resolve("gone").resolve("metrics.jsonl"));
        CliRunner.Result r = train(out);
        CliRunner.assertOneLineFailure(r, "cannot append to " + out.resolve(RunDirectory.METRICS));
        assertFalse(r.err().contains("manifest.json"), r.err());
        assertEquals("failed", statusOf(out));
        String message = JSON.readTree(out.resolve("manifest.json").toFile()).path("message").asText();
        assertTrue(message.startsWith("cannot append to " + out.resolve(RunDirectory.METRICS)), message);
        assertNotEquals(RunLock.State.LIVE, RunLock.state(out), "the lock is released when the command returns");
    }
}
