package dev.lossfloor.experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./lossfloor plot --run DIR: draws the figures and prints their paths; a bad run directory is one line. */
class PlotCommandTest {
    @TempDir
    Path dir;

    @Test
    void drawsAndPrintsThePaths() throws IOException {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), "{\"data\": {\"kind\": \"named\", \"name\": \"tinyshakespeare\"}, \"tokenizer\": \"char\"}");
        Files.writeString(run.resolve("metrics.jsonl"), "{\"epoch\":1,\"step\":100,\"train_nll\":2.5,\"val_nll\":2.3,\"val_ppl\":9.97,"
                + "\"val_bpc\":3.318,\"val_tokens\":1000,\"val_chars\":1000,\"floor_bpc\":null,\"true_bpc\":null}\n");
        CliRunner.Result r = CliRunner.run("plot", "--run", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        for (String name : new String[]{"learning_curves.png", "learning_curves.svg", "learning_curves_ppl.svg"}) {
            assertTrue(r.out().contains(run.resolve(name).toString()), r.out());
            assertTrue(Files.size(run.resolve(name)) > 1000, name);
        }
    }

    @Test
    void missingMetricsIsOneLine() throws IOException {
        Path run = dir.resolve("fresh");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), "{}");
        CliRunner.Result r = CliRunner.run("plot", "--run", run.toString());
        assertEquals(LossfloorCli.EXIT_USAGE, r.exitCode());
        String[] lines = r.errLines();
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].startsWith("lossfloor plot: ") && lines[0].contains(run.resolve("metrics.jsonl").toString())
                && lines[0].contains("first evaluation"), lines[0]);
        assertFalse(r.err().contains("\tat "));

        r = CliRunner.run("plot", "--run", dir.resolve("nowhere").toString());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.errLines()[0].contains("is not a directory"), r.err());
    }
}
