package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --resume and reproduce on inputs that changed since the run, reproduce into an existing directory, a stop request
 * after the last step, and the one-line errors of an empty config file and a one-character corpus.
 */
class ResumeChecksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TINY = {"--layers", "1", "--heads", "2", "--embd", "16", "--context", "16", "--batch", "4",
            "--epochs", "1", "--no-baselines"};

    @TempDir
    Path dir;

    private CliRunner.Result train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
        args.addAll(List.of(TINY));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private Path corpus() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 3000; i++) text.append("the cat sat on mat number ").append(i % 17).append(". ");
        return Files.writeString(dir.resolve("corpus.txt"), text, StandardCharsets.UTF_8);
    }

    private static String recordedSha(Path run, String key) throws IOException {
        return JSON.readTree(run.resolve("manifest.json").toFile()).get("data_sha256").get(key).asText();
    }

    @Test
    void resumeRefusesAnEditedCorpusAndKeepsTheRecordedHash() throws IOException {
        Path corpus = corpus();
        Path run = dir.resolve("run");
        assertEquals(TrainCommand.EXIT_STOPPED, train(run, "--corpus", corpus.toString(), "--stop-after", "3").exitCode());
        String key = corpus.toAbsolutePath().normalize().toString();
        String before = recordedSha(run, key);
        String metrics = Files.readString(run.resolve("metrics.jsonl"));
        Files.writeString(corpus, "edited. ", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        CliRunner.Result r = CliRunner.run("train", "--resume", run.toString());
        CliRunner.assertOneLineError(r, "corpus.txt has changed since the run: SHA-256 was " + before,
                "(recorded in " + run.resolve("manifest.json") + "), is now ", "restore the file or start a new run");
        assertEquals(before, recordedSha(run, key), "the recorded hash stays");
        assertEquals(metrics, Files.readString(run.resolve("metrics.jsonl")), "the run is untouched");
    }

    @Test
    void resumeOfAnUnchangedCorpusContinues() throws IOException {
        Path corpus = corpus();
        Path run = dir.resolve("run");
        assertEquals(TrainCommand.EXIT_STOPPED, train(run, "--corpus", corpus.toString(), "--stop-after", "3").exitCode());
        CliRunner.Result r = CliRunner.run("train", "--resume", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("completed", JSON.readTree(run.resolve("manifest.json").toFile()).get("status").asText());
    }

    @Test
    void resumeRefusesSyntheticTextThatAnotherLossfloorGenerated() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(TrainCommand.EXIT_STOPPED, train(run, "--synthetic-chars", "3000", "--stop-after", "3").exitCode());
        // as if an older lossfloor with another sampler had written the run
        Path manifest = run.resolve("manifest.json");
        ObjectNode m = (ObjectNode) JSON.readTree(manifest.toFile());
        ((ObjectNode) m.get("data_sha256")).put("generated train text", "0".repeat(64));
        Files.writeString(manifest, m.toPrettyString());

        CliRunner.Result r = CliRunner.run("train", "--resume", run.toString());
        CliRunner.assertOneLineError(r, "the generated train text has changed since the run: SHA-256 was " + "0".repeat(64),
                "a different lossfloor generated it");
    }

    @Test
    void reproduceRefusesAnEditedCorpus() throws IOException {
        Path corpus = corpus();
        Path run = dir.resolve("run");
        assertEquals(0, train(run, "--corpus", corpus.toString(), "--max-steps", "3").exitCode());
        Files.writeString(corpus, "edited. ", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        CliRunner.Result r = CliRunner.run("reproduce", run.toString());
        CliRunner.assertOneLineError(r, "corpus.txt has changed since the run", "train a new run instead of reproducing this one");
        assertFalse(Files.exists(dir.resolve("run-reproduced").resolve("metrics.jsonl")), "nothing was trained");
    }

    @Test
    void reproduceASecondTimeIsOneLineAndKeepsTheFirstReproduction() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, train(run, "--synthetic-chars", "3000", "--max-steps", "3").exitCode());
        CliRunner.Result first = CliRunner.run("reproduce", run.toString());
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("IDENTICAL"), first.out());
        Path target = dir.resolve("run-reproduced");
        String metrics = Files.readString(target.resolve("metrics.jsonl"));

        CliRunner.Result again = CliRunner.run("reproduce", run.toString());
        CliRunner.assertOneLineError(again, target + " already exists (an earlier reproduce of " + run + ")",
                "pass --out NEW_DIR or delete it");
        assertEquals(metrics, Files.readString(target.resolve("metrics.jsonl")));
        CliRunner.assertOneLineError(CliRunner.run("reproduce", run.toString(), "--out", run.toString()),
                run + " already exists; pass --out NEW_DIR or delete it");
    }

    /** A stop request at the last step (as Ctrl-C during the final evaluation) leaves a completed run with its report. */
    @Test
    void stopAtTheLastStepCompletesTheRun() throws IOException {
        Path run = dir.resolve("run");
        CliRunner.Result r = train(run, "--synthetic-chars", "3000", "--max-steps", "4", "--stop-after", "4");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        var manifest = JSON.readTree(run.resolve("manifest.json").toFile());
        assertEquals("completed", manifest.get("status").asText(), manifest.toString());
        assertTrue(Files.exists(run.resolve("report.html")), "the report is written");
    }

    @Test
    void emptyOrCommentOnlyConfigIsOneLine() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        Path comments = Files.writeString(dir.resolve("comments.yaml"), "# nothing yet\n\n# layers: 2\n");
        for (Path config : List.of(empty, comments)) {
            CliRunner.assertOneLineError(CliRunner.run("sweep", "--config", config.toString(), "--grid", "seed=1,2", "--quick",
                    "--out", dir.resolve("sweep").toString()), "config " + config + " is empty", "key: value");
            CliRunner.assertOneLineError(CliRunner.run("train", "--config", config.toString(), "--out",
                    dir.resolve("train").toString()), "config " + config + " is empty");
            CliRunner.assertOneLineError(CliRunner.run("run", config.toString(), "--quick", "--out",
                    dir.resolve("exp").toString()), config + " is empty", "YAML map");
        }
        assertFalse(Files.exists(dir.resolve("sweep")) || Files.exists(dir.resolve("train")) || Files.exists(dir.resolve("exp")),
                "nothing ran");
    }

    @Test
    void oneCharacterCorpusNamesTheFile() throws IOException {
        Path one = Files.writeString(dir.resolve("one.txt"), "a");
        CliRunner.assertOneLineError(train(dir.resolve("run"), "--corpus", one.toString()),
                "--corpus " + one + ": text of 1 characters leaves the training split empty");
    }
}
