package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train --config, run NAME and sweep --grid: config files, summaries, plots and their one-line errors. */
class ExperimentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A model and data small enough to train in about a second. */
    private static final String TINY = """
            # a tiny run: 1 block, 8 wide
            layers: 1
            heads: 1
            embd: 8
            context: 8
            batch: 4
            synthetic-chars: 2000
            max-steps: 3
            warmup: 0
            no-tie: true
            """;

    @TempDir
    Path dir;

    private Path config(String yaml) throws IOException {
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void unknownConfigKeyIsOneLineNamingTheKeyTheFileAndACloseKey() throws IOException {
        Path file = config(TINY + "embed: 16\n");
        CliRunner.Result r = CliRunner.run("train", "--config", file.toString(), "--out", dir.resolve("run").toString());
        CliRunner.assertOneLineError(r, "'embed'", file.toString(), "did you mean 'embd'");
        assertFalse(Files.exists(dir.resolve("run").resolve("metrics.jsonl")));
        CliRunner.Result far = CliRunner.run("train", "--config", config(TINY + "colour: blue\n").toString());
        CliRunner.assertOneLineError(far, "'colour'", "valid keys:", "layers");
    }

    @Test
    void outOfRangeConfigValuesGiveTheUsualErrorNamingTheConfig() throws IOException {
        Path file = config(TINY.replace("embd: 8", "embd: 30").replace("heads: 1", "heads: 4"));
        CliRunner.Result r = CliRunner.run("train", "--config", file.toString(), "--out", dir.resolve("run").toString());
        CliRunner.assertOneLineError(r, "--embd 30 is not divisible by --heads 4", file.toString());
        CliRunner.Result bad = CliRunner.run("train", "--config", config(TINY + "lr: fast\n").toString());
        CliRunner.assertOneLineError(bad, "--lr", "fast", "tiny.yaml");
        CliRunner.Result notMap = CliRunner.run("train", "--config", config("- layers\n- 2\n").toString());
        CliRunner.assertOneLineError(notMap, "tiny.yaml", "must be a YAML map");
    }

    @Test
    void flagsOnTheCommandLineOverrideTheConfigFile() throws IOException {
        Path file = config(TINY);
        Path out = dir.resolve("run");
        CliRunner.Result r = CliRunner.run("train", "--config", file.toString(), "--max-steps", "2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode cfg = JSON.readTree(out.resolve("config.json").toFile());
        assertEquals(2, cfg.path("training").path("max_steps").asInt(), "the flag wins");
        assertEquals(1, cfg.path("model").path("layers").asInt(), "the file's value where no flag is given");
        assertEquals(8, cfg.path("model").path("embd").asInt());
        assertFalse(cfg.path("model").path("tie_weights").asBoolean(), "no-tie: true");
        assertEquals(2000 * 9 / 10, cfg.path("train_tokens").asInt());
        // the recorded arguments are the merged ones: reproduce needs no config file
        String args = cfg.path("arguments").toString();
        assertTrue(args.contains("\"--layers\",\"1\"") && !args.contains("--config"), args);
        assertEquals(1, args.split("--max-steps", -1).length - 1, args);
        CliRunner.Result again = CliRunner.run("reproduce", out.toString(), "--out", dir.resolve("again").toString());
        assertEquals(0, again.exitCode(), again.err() + again.out());
        assertTrue(again.out().contains("IDENTICAL"), again.out());
    }

    @Test
    void quickEntropyFloorWritesASummaryWithOneRowAndAnOverlay() throws IOException {
        Path out = dir.resolve("exp");
        CliRunner.Result r = CliRunner.run("run", "entropy-floor", "--quick", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err() + r.out());
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(2, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("name,varied,parameters,val_nll,val_bpc,val_bpb,floor_bpc,true_bpc,gap_bpc"), csv.get(0));
        assertTrue(csv.get(0).endsWith("train_nll,steps,seconds"), csv.get(0));
        assertTrue(csv.get(1).startsWith("default,-,"), csv.get(1));
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("# Experiment: entropy-floor (--quick)") && md.contains("| default |"), md);
        assertTrue(Files.isRegularFile(out.resolve("default").resolve("metrics.jsonl")));
        assertPng(out.resolve("overlay.png"));
        assertFalse(Files.exists(out.resolve("params.png")), "one model size: no params.png");
        CliRunner.Result twice = CliRunner.run("run", "entropy-floor", "--quick", "--out", out.toString());
        CliRunner.assertOneLineError(twice, "already holds an experiment");
    }

    @Test
    void quickSweepRunsTheGridWithOneRowPerPoint() throws IOException {
        Path file = config(TINY);
        Path out = dir.resolve("sweep");
        CliRunner.Result r = CliRunner.run("sweep", "--config", file.toString(), "--grid", "seed=1,2", "--quick",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err() + r.out());
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("seed=1,seed=1,") && csv.get(2).startsWith("seed=2,seed=2,"), String.join("\n", csv));
        assertTrue(Files.isRegularFile(out.resolve("seed=2").resolve("config.json")));
        assertEquals(2, JSON.readTree(out.resolve("seed=2").resolve("config.json").toFile()).path("training").path("seed").asInt());
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| seed=2 |"));
        assertPng(out.resolve("overlay.png"));
        // the experiment's report and the definition it is built from
        assertTrue(r.out().contains("report:  " + out.resolve("report.md") + ", " + out.resolve("report.html")), r.out());
        JsonNode def = JSON.readTree(out.resolve("experiment.json").toFile());
        assertTrue(def.path("quick_run").asBoolean());
        assertEquals(2, def.path("variants").size());
        assertEquals("2", def.path("variants").get(1).path("set").path("seed").asText());
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("<h3>seed=1</h3>") && report.contains("<h3>seed=2</h3>"), report);
        assertTrue(report.contains("<a href=\"seed=2/report.html\">") && Files.isRegularFile(out.resolve("seed=2/report.html")), report);
        assertTrue(report.contains("src=\"data:image/png;base64,"), "overlay.png embedded");
        Files.delete(out.resolve("report.md"));
        CliRunner.Result again = CliRunner.run("report", "--run", out.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("wrote " + out.resolve("report.md")) && Files.isRegularFile(out.resolve("report.md")), again.out());
        CliRunner.Result badKey = CliRunner.run("sweep", "--config", file.toString(), "--grid", "sed=1,2", "--out", dir.resolve("x").toString());
        CliRunner.assertOneLineError(badKey, "'sed'", "did you mean 'seed'");
    }

    @Test
    void anUnknownExperimentIsOneLineListingTheExperiments() {
        CliRunner.Result r = CliRunner.run("run", "entropy-flor", "--out", dir.resolve("x").toString());
        CliRunner.assertOneLineError(r, "unknown experiment 'entropy-flor'", "entropy-floor", "context-vs-order", "data-size",
                "model-size", "tokenizers");
        assertFalse(Files.exists(dir.resolve("x")));
    }

    /** Every shipped definition parses, its settings (full and --quick) are valid train arguments, and the repo copy matches. */
    @Test
    void shippedDefinitionsAreValid() throws IOException {
        for (String name : Experiment.BUILT_IN) {
            Experiment e = Experiment.load(name);
            assertEquals(name, e.name());
            assertFalse(e.description().isEmpty(), name);
            for (Experiment.Variant v : e.variants())
                for (boolean quick : new boolean[]{false, true}) {
                    List<String> args = TrainConfigFile.toArguments(e.settings(v, quick), name);
                    TrainCommand t = new TrainCommand();
                    new picocli.CommandLine(t).parseArgs(args.toArray(String[]::new));
                    assertEquals(0, t.embd % t.heads, name + " " + v.name());
                    if (quick) assertTrue(t.maxSteps > 0 && t.maxSteps <= 20, name + " " + v.name() + " --quick is short");
                }
            Path repoCopy = Path.of("configs", name + ".yaml");
            assertTrue(Files.isRegularFile(repoCopy), repoCopy + " (experiments/configs/ in the repository)");
            try (var in = Experiment.class.getResourceAsStream("/experiments/" + name + ".yaml")) {
                assertNotNull(in);
                assertEquals(Files.readString(repoCopy), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        Map<String, Object> s = Experiment.load("context-vs-order").settings(Experiment.load("context-vs-order").variants().get(0), false);
        assertEquals(1, s.get("eval-stride"));
    }

    private static void assertPng(Path png) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " missing");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is not a PNG");
        assertEquals(1000, image.getWidth());
        assertEquals(520, image.getHeight());
    }
}
