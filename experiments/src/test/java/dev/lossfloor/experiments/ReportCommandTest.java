package dev.lossfloor.experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./lossfloor report --run DIR: writes report.md and report.html and prints their paths; a bad directory is one line. */
class ReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesBothFilesAndPrintsThePaths() throws IOException {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), "{\"data\": {\"kind\": \"named\", \"name\": \"tiny\"}, \"tokenizer\": \"char\"}");
        Files.writeString(run.resolve("metrics.jsonl"), "{\"epoch\":1,\"step\":100,\"train_nll\":2.5,\"val_nll\":2.3,\"val_ppl\":9.97,"
                + "\"val_bpc\":3.318,\"val_bpb\":3.318,\"val_tokens\":1000,\"val_chars\":1000,\"floor_bpc\":null,\"true_bpc\":null,"
                + "\"gap_bpc\":null,\"elapsed_s\":12.5}\n");
        CliRunner.Result r = CliRunner.run("report", "--run", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        for (String name : new String[]{"report.md", "report.html"}) {
            assertTrue(r.out().contains("wrote " + run.resolve(name)), r.out());
            assertTrue(Files.size(run.resolve(name)) > 500, name);
        }
        assertTrue(Files.readString(run.resolve("report.md")).contains("the held-out loss is 3.3180 bits/char"));
    }

    @Test
    void badDirectoriesAreOneLine() throws IOException {
        Path fresh = dir.resolve("fresh");
        Files.createDirectories(fresh);
        Files.writeString(fresh.resolve("config.json"), "{}");
        CliRunner.Result r = CliRunner.run("report", "--run", fresh.toString());
        assertEquals(LossfloorCli.EXIT_USAGE, r.exitCode());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.errLines()[0].startsWith("lossfloor report: " + fresh.resolve("metrics.jsonl")), r.err());
        assertFalse(r.err().contains("\tat "));

        r = CliRunner.run("report", "--run", dir.resolve("nowhere").toString());
        assertEquals(LossfloorCli.EXIT_USAGE, r.exitCode());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.errLines()[0].contains("is not a directory"), r.err());

        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        r = CliRunner.run("report", "--run", empty.toString());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.errLines()[0].contains(empty.resolve("config.json") + " not found"), r.err());
    }
}
