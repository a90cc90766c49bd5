package dev.lossfloor.experiments;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

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
        // the last line: the mean of the five entropies and of the five surprisals -log2 p
        java.util.regex.Matcher step = java.util.regex.Pattern.compile("p=([0-9.]+)  entropy ([0-9.]+) bits").matcher(out);
        double entropy = 0, surprisal = 0;
        while (step.find()) {
            surprisal -= Math.log(Double.parseDouble(step.group(1))) / Math.log(2);
            entropy += Double.parseDouble(step.group(2));
        }
        java.util.regex.Matcher mean = java.util.regex.Pattern.compile(
                "mean over 5 steps: entropy ([0-9.]+) bits, surprisal -log2 p of the drawn tokens ([0-9.]+) bits").matcher(out);
        assertTrue(mean.find(), out);
        assertEquals(entropy / 5, Double.parseDouble(mean.group(1)), 1e-3, out);
        assertEquals(surprisal / 5, Double.parseDouble(mean.group(2)), 0.01, out); // from p rounded to 4 decimals
    }

    @Test
    void unseenPromptCharacterIsNamed() {
        CliRunner.Result r = CliRunner.run("sample", "--run", run.toString(), "--prompt", "abz");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("U+007A 'z' at offset 2") && r.err().contains("a b c d"), r.err());
    }

    /** score on the held-out text gives eval's numbers: the same windows, the same tokens. */
    @Test
    void scoreOfTheHeldOutTextMatchesTrainingsValNll() throws java.io.IOException {
        Path val = dir.resolve("val.txt");
        java.nio.file.Files.writeString(val, PreparedData.builtInSource(3000, 0.1).val());
        Path csv = dir.resolve("tokens.csv");
        CliRunner.Result r = CliRunner.run("score", "--run", run.toString(), val.toString(), "--per-token", csv.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> rows = java.nio.file.Files.readAllLines(run.resolve("metrics.jsonl"));
        String last = rows.get(rows.size() - 1);
        double valNll = new com.fasterxml.jackson.databind.ObjectMapper().readTree(last).get("val_nll").asDouble();
        String row = r.out().lines().filter(l -> l.startsWith("val.txt")).findFirst().orElseThrow();
        assertEquals(valNll, Double.parseDouble(row.trim().split("\\s+")[4]), 1e-4, r.out());
        assertTrue(r.out().contains("stride 8"), r.out());
        assertTrue(r.out().contains("expected calibration error"), r.out());
        assertEquals(300, java.nio.file.Files.readAllLines(csv).size(), "header + 299 predicted tokens");
    }

    /** --best reads checkpoint-best.bin; where a run has none, the error is one line that names the file and the fix. */
    @Test
    void bestCheckpointIsSampledAndScoredAndItsAbsenceIsOneLine() throws java.io.IOException {
        assertTrue(java.nio.file.Files.isRegularFile(run.resolve("checkpoint-best.bin")));
        String best = sample("--best", "--prompt", "abca", "--max-tokens", "20", "--seed", "7");
        assertTrue(best.startsWith("abca"), best);
        Path val = dir.resolve("best-val.txt");
        java.nio.file.Files.writeString(val, "abcdabcdbbca".repeat(10));
        CliRunner.Result scored = CliRunner.run("score", "--run", run.toString(), "--best", val.toString());
        assertEquals(0, scored.exitCode(), scored.err());

        Path copy = java.nio.file.Files.createDirectories(dir.resolve("without-best"));
        for (String f : new String[]{"config.json", "checkpoint.bin", "metrics.jsonl", "tokenizer.json"})
            java.nio.file.Files.copy(run.resolve(f), copy.resolve(f));
        for (String command : new String[]{"sample", "eval", "score"}) {
            CliRunner.Result r = command.equals("score")
                    ? CliRunner.run(command, "--run", copy.toString(), "--best", val.toString())
                    : CliRunner.run(command, "--run", copy.toString(), "--best");
            assertEquals(LossfloorCli.EXIT_USAGE, r.exitCode(), command);
            assertEquals(1, r.errLines().length, r.err());
            assertTrue(r.err().contains(copy.resolve("checkpoint-best.bin").toString()) && r.err().contains("leave out --best"), r.err());
        }
    }
}
