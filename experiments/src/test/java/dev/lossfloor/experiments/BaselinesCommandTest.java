package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselinesCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsEveryOrderAndCompressorAndWritesJson() throws IOException {
        Path corpus = dir.resolve("text.txt");
        StringBuilder sb = new StringBuilder();
        java.util.Random rng = new java.util.Random(3);
        for (int i = 0; i < 20000; i++) sb.append("the cat sat on the mat. ".charAt(rng.nextInt(24)));
        Files.writeString(corpus, sb.toString());
        Path json = dir.resolve("out").resolve("baselines.json");
        CliRunner.Result r = CliRunner.run("baselines", "--corpus", corpus.toString(), "--max-order", "4", "--out", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        for (String s : new String[]{"unigram entropy", "deflate", "bzip2", "xz", "best: "}) assertTrue(r.out().contains(s), r.out());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(8, report.get("ngrams").size());
        assertEquals(18000, report.get("train_chars").asLong());
        // what the baselines read, so that a report can say when the text was cut (see Baselines.DEFAULT_MAX_TRAIN_CHARS)
        assertEquals(18000, report.get("train_chars_available").asLong());
        assertEquals("all", report.get("train_text").asText());
        assertFalse(r.out().contains("training text read:"), r.out());
    }

    @Test
    void badOrderIsAOneLineError() {
        CliRunner.Result r = CliRunner.run("baselines", "--corpus", "x.txt", "--max-order", "0");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--max-order"), r.err());
    }

    /** CI sets LOSSFLOOR_DATA to the shared corpora; a fresh clone without them skips this. */
    @Test
    void namedCorpusResolvesFromTheDataDirectoryAndEvalFindsItAgain() {
        SharedData.skipWithout(SharedData.dir() != null, "LOSSFLOOR_DATA does not hold tinyshakespeare.txt");
        CliRunner.Result b = CliRunner.run("baselines", "--corpus", "tinyshakespeare", "--max-order", "2");
        assertEquals(0, b.exitCode(), b.err());
        assertTrue(b.out().contains("1,003,854 training / 111,540 held-out"), b.out());

        Path run = dir.resolve("ts");
        CliRunner.Result t = CliRunner.run("train", "--corpus", "tinyshakespeare", "--no-baselines", "--layers", "1",
                "--heads", "1", "--embd", "8", "--context", "16", "--batch", "4", "--max-steps", "2", "--warmup", "0",
                "--out", run.toString());
        assertEquals(0, t.exitCode(), t.err());
        CliRunner.Result e = CliRunner.run("eval", "--run", run.toString());
        assertEquals(0, e.exitCode(), e.err());
        assertTrue(e.out().contains("111539 tokens"), e.out());
    }
}
