package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Same settings and seed, same thread count: metrics.jsonl identical to the last bit, elapsed_s aside. */
class ReproducibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static final String[] SETTINGS = {"--synthetic-chars", "3000", "--layers", "1", "--heads", "2", "--embd", "16",
            "--context", "16", "--batch", "4", "--epochs", "2", "--dropout", "0.1", "--checkpoint-every", "5"};

    private CliRunner.Result train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
        args.addAll(List.of(SETTINGS));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private List<String> run(String name, String seed) throws IOException {
        Path out = dir.resolve(name);
        CliRunner.Result r = train(out, "--seed", seed);
        assertEquals(0, r.exitCode(), r.err());
        return metricsWithoutElapsed(out);
    }

    private static List<String> metricsWithoutElapsed(Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            ObjectNode node = (ObjectNode) JSON.readTree(l);
            node.remove("elapsed_s");
            lines.add(node.toString());
        }
        return lines;
    }

    @Test
    void sameSeedSameMetricsDifferentSeedDifferentMetrics() throws IOException {
        List<String> a = run("a", "5"), b = run("b", "5"), c = run("c", "6");
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    /** Stop (as Ctrl-C does) mid-epoch and right after an epoch's evaluation, resume, compare with an uninterrupted run. */
    @Test
    void resumedRunsMatchAnUninterruptedRunToTheLastBit() throws IOException {
        List<String> uninterrupted = run("whole", "5");
        // 3000 chars: 2700 train tokens / 16 = 168 windows / batch 4 = 42 steps per epoch
        for (String stopAfter : new String[]{"13", "42", "43"}) {
            Path out = dir.resolve("stopped-" + stopAfter);
            CliRunner.Result stopped = train(out, "--seed", "5", "--stop-after", stopAfter);
            assertEquals(TrainCommand.EXIT_STOPPED, stopped.exitCode(), stopped.err());
            assertTrue(stopped.out().contains("--resume"), stopped.out());
            assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"interrupted\""));
            CliRunner.Result resumed = CliRunner.run("train", "--resume", out.toString());
            assertEquals(0, resumed.exitCode(), resumed.err());
            assertTrue(resumed.out().contains("resumed   from the checkpoint at step " + stopAfter), resumed.out());
            assertEquals(uninterrupted, metricsWithoutElapsed(out), "after a stop at step " + stopAfter);
            assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"completed\""));
        }
    }

    @Test
    void reproduceRerunsARunAndReportsIdentical() throws IOException {
        Path out = dir.resolve("orig");
        assertEquals(0, train(out, "--seed", "9", "--max-steps", "10").exitCode());
        CliRunner.Result r = CliRunner.run("reproduce", out.toString());
        assertEquals(0, r.exitCode(), r.err() + r.out());
        // step 0, a point after each of the 10 steps but the last, and the full pass at the end
        assertTrue(r.out().contains("IDENTICAL: all 11 evaluations match"), r.out());
        // tamper with the original: the first difference is named
        Path metrics = out.resolve("metrics.jsonl");
        Files.writeString(metrics, Files.readString(metrics).replaceFirst("\"val_nll\":[0-9.]+", "\"val_nll\":9.5"));
        CliRunner.Result d = CliRunner.run("reproduce", out.toString(), "--out", dir.resolve("again").toString());
        assertEquals(ReproduceCommand.EXIT_MISMATCH, d.exitCode(), d.err());
        assertTrue(d.out().contains("DIFFERENT at evaluation 1") && d.out().contains("val_nll was 9.5"), d.out());
    }
}
