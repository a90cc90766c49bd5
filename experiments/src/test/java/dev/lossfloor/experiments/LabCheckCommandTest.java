package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossfloor.data.InformationMetrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ./lossfloor lab check: right and wrong answers (without ever printing the right value), hints for nats/bits
 * mix-ups, one-line errors for bad answer files, and answers about a training run checked against that run's own
 * files, which must have the sheet's settings. Lab 99 is a test key (test resources/labs/lab99.yaml) with a tiny run.
 */
class LabCheckCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The settings of lab 99's run, as its key asks for them. */
    private static final String[] TINY = {"train", "--layers", "1", "--heads", "1", "--embd", "8", "--context", "8", "--batch", "4",
            "--synthetic-chars", "2000", "--warmup", "0", "--no-tie"};

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static Path run;

    @BeforeAll
    static void trainTheTinyRunOfLab99() {
        run = shared.resolve("lab99");
        train(run, "3");
    }

    private static void train(Path out, String maxSteps) {
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(TINY),
                java.util.stream.Stream.of("--max-steps", maxSteps, "--out", out.toString())).toArray(String[]::new);
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err());
    }

    private Path answers(String yaml) throws IOException {
        Path file = dir.resolve("answers.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    /** The verdict printed for a key: its line without the key. */
    private static void assertVerdict(String out, String key, String verdict) {
        String line = out.lines().filter(l -> l.startsWith(key + " ")).findFirst().orElse(null);
        assertTrue(line != null, "no line for " + key + ":\n" + out);
        assertTrue(line.substring(key.length()).strip().startsWith(verdict), "'" + line + "' should say '" + verdict + "'");
    }

    private static String f(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    /** The right answers of lab 1, computed here from the definitions rather than by the commands the key names. */
    private static final double Q1 = -Math.log(0.25), Q3 = 1.5, Q4 = Math.exp(1.5 * InformationMetrics.LN2);
    private static final double[] P = {0.5, 0.25, 0.25}, Q = {0.8, 0.1, 0.1};

    private static String lab1Right() {
        return "q1_nll_nats: " + f(Q1) + "\n"
                + "q2_nll_bits: 2\n"
                + "q3_entropy_bits: " + Q3 + "\n"
                + "q4_perplexity: " + f(Q4) + "\n"
                + "q5_cross_entropy_nats: " + f(InformationMetrics.crossEntropyNats(P, Q)) + "\n"
                + "q6_kl_pq_nats: " + f(InformationMetrics.klNats(P, Q)) + "\n"
                + "q7_kl_qp_nats: " + f(InformationMetrics.klNats(Q, P)) + "\n"
                + "q8_kl_zero: c\n"
                + "q9_likelihood: " + f(0.6 * 0.6 * 0.4 * 0.6) + "\n"
                + "q10_best_theta: (c)\n"
                + "q11_likelihood_sums: B\n"
                + "q12_bits_per_char: " + f(1.2 * 1000 / (InformationMetrics.LN2 * 4000)) + "\n";
    }

    @Test
    void rightAnswersAreRightAndTheExitCodeIsZero() throws IOException {
        CliRunner.Result r = CliRunner.run("lab", "check", "1", answers(lab1Right()).toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("12 of 12 right, 0 wrong, 0 not answered, 0 not checked"), r.out());
        assertVerdict(r.out(), "q8_kl_zero", "right");
    }

    @Test
    void wrongAnswersAreWrongWithHintsButNeverTheRightValue() throws IOException {
        String yaml = lab1Right()
                .replace("q1_nll_nats: " + f(Q1), "q1_nll_nats: 2.0")                // bits where nats are asked
                .replace("q3_entropy_bits: 1.5", "q3_entropy_bits: " + f(1.5 * InformationMetrics.LN2)) // nats for bits
                .replace("q4_perplexity: " + f(Q4), "q4_perplexity: -" + f(Q4))      // a sign
                .replace("q8_kl_zero: c", "q8_kl_zero: a")
                .replace("q10_best_theta: (c)", "q10_best_theta: b")
                .replace("q12_bits_per_char: " + f(1.2 * 1000 / (InformationMetrics.LN2 * 4000)), "q12_bits_per_char:");
        CliRunner.Result r = CliRunner.run("lab", "check", "1", answers(yaml).toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        String out = r.out();
        assertVerdict(out, "q1_nll_nats", "wrong (±0.001 allowed): your number is off by a factor of ln 2");
        assertVerdict(out, "q3_entropy_bits", "wrong (±0.001 allowed): your number is off by a factor of ln 2");
        assertVerdict(out, "q4_perplexity", "wrong (±0.01 allowed): the sign is wrong");
        assertVerdict(out, "q8_kl_zero", "wrong: what is -ln q");
        assertVerdict(out, "q10_best_theta", "wrong: try each");
        assertVerdict(out, "q12_bits_per_char", "not answered");
        assertTrue(out.contains("6 of 12 right, 5 wrong, 1 not answered, 0 not checked"), out);
        for (String value : List.of("1.386", "1.5000", "2.828", "0.4328", "1.0397"))
            assertFalse(out.contains(value), "the output shows a right value " + value + ":\n" + out);
        assertFalse(out.replace("lab 1 ", "").matches("(?s).*\\(c\\).*"), "no right choice shown:\n" + out);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key        | q1_nl_nats: 1.39                 | unknown key 'q1_nl_nats'; did you mean 'q1_nll_nats'?
            unit after number  | q1_nll_nats: 1.39 nats           | q1_nll_nats: '1.39 nats' is not a plain number; write the number only (1.39)
            decimal comma      | q1_nll_nats: 1,39                | q1_nll_nats: '1,39' has a decimal comma; write a decimal point (1.39)
            a word             | q1_nll_nats: about one           | q1_nll_nats: 'about one' is not a number
            list value         | q1_nll_nats: [1, 2]              | q1_nll_nats: give one value on the line, not a list
            choice not offered | q8_kl_zero: e                    | q8_kl_zero: 'e' is not one of a, b, c
            invalid YAML       | 'q1_nll_nats: [1'                | is not valid YAML (line 1, column
            not key-value      | '- 1.39'                         | must be 'key: value' lines
            empty              | ''                               | is empty; start from labs/answers/lab1.yaml
            """)
    void badAnswerFilesAreOneLineErrorsNamingTheFileTheKeyAndTheFix(String what, String yaml, String expected) throws IOException {
        Path file = answers(yaml.replace("\\n", "\n"));
        CliRunner.Result r = CliRunner.run("lab", "check", "1", file.toString());
        CliRunner.assertOneLineError(r, "lossfloor lab check: answers " + file, expected);
    }

    @Test
    void aMissingFileAnUnknownLabAndAMissingRunDirectoryAreOneLineErrors() throws IOException {
        Path missing = dir.resolve("nope.yaml");
        CliRunner.assertOneLineError(CliRunner.run("lab", "check", "2", missing.toString()), missing + " not found",
                "labs/answers/lab2.yaml", "./lossfloor lab template 2");
        CliRunner.assertOneLineError(CliRunner.run("lab", "check", "42", answers("q1: 1").toString()), "there is no lab 42; the labs are [1, 2, 3, 4, 5, 6, 7]");
        Path file = answers("run: " + dir.resolve("nowhere") + "\nq2_val_bpc: 1.5\n");
        CliRunner.assertOneLineError(CliRunner.run("lab", "check", "99", file.toString()), "answers " + file + ": run: '" + dir.resolve("nowhere")
                + "' is not a directory; give the run directory of the test (./lossfloor train --layers 1 ... --out runs/lab99)");
    }

    private static JsonNode lastMetrics(Path runDir) throws IOException {
        List<String> lines = Files.readAllLines(runDir.resolve("metrics.jsonl"));
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    @Test
    void answersAboutARunAreCheckedAgainstThatRunsOwnFiles() throws IOException {
        JsonNode last = lastMetrics(run);
        JsonNode config = JSON.readTree(run.resolve("config.json").toFile());
        // the numbers as the student reads them off the printed table (4 decimals)
        String yaml = "run: " + run + "\n"
                + "q1_floor_bits: 1.2840\n"
                + "q2_val_bpc: " + f(last.get("val_bpc").asDouble()) + "\n"
                + "q3_val_nll_bits: " + f(last.get("val_nll").asDouble() / InformationMetrics.LN2) + "\n"
                + "q4_parameters: " + config.path("model").path("parameters").asLong() + "\n"
                + "q5_choice: a\n";
        CliRunner.Result r = CliRunner.run("lab", "check", "99", answers(yaml).toString(), "--verify");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains(run + ": finished, 3 steps, the sheet's settings, checkpoint re-scored"), r.out());
        assertTrue(r.out().contains("5 of 5 right"), r.out());

        String wrong = yaml.replace("q2_val_bpc: " + f(last.get("val_bpc").asDouble()), "q2_val_bpc: " + f(last.get("val_bpc").asDouble() + 0.01))
                .replace("q5_choice: a", "q5_choice: b");
        CliRunner.Result w = CliRunner.run("lab", "check", "99", answers(wrong).toString());
        assertEquals(1, w.exitCode());
        assertVerdict(w.out(), "q2_val_bpc", "wrong (±0.0005 allowed)");
        assertVerdict(w.out(), "q5_choice", "wrong: think again");
        assertFalse(w.out().contains(f(last.get("val_bpc").asDouble())), "the right value is not shown:\n" + w.out());

        // without run:, the questions about the run cannot be checked; the others still are
        CliRunner.Result noRun = CliRunner.run("lab", "check", "99", answers(yaml.substring(yaml.indexOf('\n') + 1)).toString());
        assertEquals(1, noRun.exitCode());
        assertVerdict(noRun.out(), "q1_floor_bits", "right");
        assertVerdict(noRun.out(), "q2_val_bpc", "not checked: give run: the run directory of the test");
    }

    @Test
    void aRunWithOtherSettingsAnUnfinishedRunAndEditedMetricsAreNotUsed() throws IOException {
        Path other = dir.resolve("other");
        train(other, "2");
        String yaml = "run: %s\nq1_floor_bits: 1.2840\nq2_val_bpc: 1.5\n";
        CliRunner.Result r = CliRunner.run("lab", "check", "99", answers(String.format(yaml, other)).toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.out().contains("was trained with other settings than the sheet's: --max-steps is 2 in this run; the sheet uses 3"), r.out());
        assertVerdict(r.out(), "q1_floor_bits", "right");
        assertVerdict(r.out(), "q2_val_bpc", "not checked: the run directory cannot be used (see above)");

        Path unfinished = copy(run, dir.resolve("unfinished"));
        Path manifest = unfinished.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"completed\"", "\"running\""));
        CliRunner.Result u = CliRunner.run("lab", "check", "99", answers(String.format(yaml, unfinished)).toString());
        assertTrue(u.out().contains("did not finish (status 'running' in manifest.json)"), u.out());

        Path edited = copy(run, dir.resolve("edited"));
        Path metrics = edited.resolve("metrics.jsonl");
        JsonNode last = lastMetrics(run);
        String line = Files.readString(metrics).strip();
        Files.writeString(metrics, line.replace("\"val_nll\":" + last.get("val_nll").asText(), "\"val_nll\":0.9") + "\n");
        CliRunner.Result e = CliRunner.run("lab", "check", "99", answers(String.format(yaml, edited)).toString(), "--verify");
        assertTrue(e.out().contains("re-scoring checkpoint.bin gives another val_nll than the last line of metrics.jsonl"), e.out());
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) if (Files.isRegularFile(f)) Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }

    @Test
    void theTemplateIsABlankAnswerFileAndListShowsEveryLab() throws IOException {
        CliRunner.Result t = CliRunner.run("lab", "template", "2");
        assertEquals(0, t.exitCode(), t.err());
        assertTrue(t.out().startsWith("# Lab 2: The loss floor"), t.out());
        CliRunner.Result c = CliRunner.run("lab", "check", "2", answers(t.out()).toString());
        assertEquals(1, c.exitCode(), c.out() + c.err());
        assertTrue(c.out().contains("0 of 13 right, 0 wrong, 13 not answered, 0 not checked"), c.out());
        CliRunner.Result l = CliRunner.run("lab", "list");
        assertEquals(0, l.exitCode());
        for (int n = 1; n <= 7; n++) assertTrue(l.out().contains("labs/lab" + n + "-"), l.out());
        assertFalse(l.out().contains("lab99"), "test keys are not listed");
    }
}
