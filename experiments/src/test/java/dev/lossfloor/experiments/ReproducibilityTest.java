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

/** Same settings and seed, same thread count: metrics.jsonl identical to the last bit, elapsed_s aside. */
class ReproducibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private List<String> run(String name, String seed) throws IOException {
        Path out = dir.resolve(name);
        CliRunner.Result r = CliRunner.run("train", "--out", out.toString(), "--synthetic-chars", "3000",
                "--layers", "1", "--heads", "2", "--embd", "16", "--context", "16", "--batch", "4", "--epochs", "2",
                "--dropout", "0.1", "--seed", seed);
        assertEquals(0, r.exitCode(), r.err());
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
}
