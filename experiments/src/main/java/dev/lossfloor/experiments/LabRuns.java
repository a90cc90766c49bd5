package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossfloor.experiments.report.MetricsLines;
import dev.lossfloor.trainer.Checkpoint;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Is a run directory named in an answer file the run the lab sheet asks for? It must have finished, and every training
 * setting (data, tokenizer, model, optimiser, steps, seed) must be the sheet's, so that the numbers read from it answer
 * the sheet's questions. Answers that read the run are checked against the run's own files, never against fixed values.
 */
final class LabRuns {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Options that do not change what a run computes. */
    private static final Set<String> IGNORED = Set.of("out", "threads", "checkpoint-every", "no-baselines", "config", "resume",
            "stop-after", "help", "version");

    private LabRuns() {}

    /** Why a run cannot be used for the lab's questions, or null when it can; summary receives a short description. */
    static String problem(LabKey.RunSpec spec, Path dir, boolean verify, StringBuilder summary) {
        if (spec.files() != null) {
            for (String f : spec.files())
                if (!Files.isRegularFile(dir.resolve(f))) return "has no " + f + ": make it as the sheet says";
            summary.append("holds ").append(String.join(", ", spec.files()));
            return null;
        }
        if (spec.experiment() != null) {
            Experiment experiment = Experiment.load(definition(spec.experiment()));
            long steps = 0;
            for (Experiment.Variant v : experiment.variants()) {
                Path sub = dir.resolve(v.name());
                if (!Files.isDirectory(sub))
                    return "has no run " + v.name() + "/: give the --out directory of ./lossfloor run " + spec.experiment();
                List<String> expected = TrainConfigFile.toArguments(experiment.settings(v, false), spec.experiment());
                StringBuilder s = new StringBuilder();
                String p = single(sub, expected, null, verify, s);
                if (p != null) return v.name() + "/ " + p;
                steps += lastStep(sub);
            }
            summary.append("all ").append(experiment.variants().size()).append(" runs of ").append(spec.experiment())
                    .append(" finished with the sheet's settings (").append(steps).append(" steps in all)");
            return null;
        }
        return single(dir, arguments(spec.train()), spec.dataSha256(), verify, summary);
    }

    /**
     * An experiment's name, or its definition file: as written from the current directory (students run lab check from
     * the repository root, where they ran the sheet's commands), else from the nearest parent directory that has it.
     */
    static String definition(String experiment) {
        if (!experiment.endsWith(".yaml") || Files.isRegularFile(Path.of(experiment))) return experiment;
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent())
            if (Files.isRegularFile(d.resolve(experiment))) return d.resolve(experiment).toString();
        throw new IllegalArgumentException(experiment + " not found: run ./lossfloor lab check from the repository root");
    }

    private static String single(Path dir, List<String> expectedArgs, String dataSha256, boolean verify, StringBuilder summary) {
        JsonNode config, manifest;
        try {
            config = JSON.readTree(dir.resolve(RunDirectory.CONFIG).toFile());
        } catch (IOException e) {
            return "has no readable config.json: give a directory written by ./lossfloor train";
        }
        try {
            manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        } catch (IOException e) {
            return "has no readable manifest.json: give a directory written by ./lossfloor train";
        }
        String status = manifest.path("status").asText("");
        if (!status.equals("completed"))
            return "did not finish (status '" + status + "' in manifest.json): run the command again, to the end";
        List<String> recorded = new ArrayList<>();
        config.path("arguments").forEach(a -> recorded.add(a.asText()));
        if (!recorded.isEmpty() && recorded.get(0).equals("train")) recorded.remove(0);
        String difference = difference(expectedArgs, recorded, dataSha256 != null);
        if (difference != null) return "was trained with other settings than the sheet's: " + difference;
        if (dataSha256 != null && !dataSha(config.path("data")).contains(dataSha256))
            return "was trained on other data than the sheet's (SHA-256 of the corpus differs): use the sheet's --corpus";
        Path metrics = dir.resolve(RunDirectory.METRICS);
        if (!Files.isRegularFile(metrics)) return "has no metrics.jsonl";
        List<JsonNode> rows = MetricsLines.read(metrics, "the run has not evaluated yet");
        JsonNode last = rows.get(rows.size() - 1);
        long total = config.path("training").path("total_steps").asLong(-1);
        if (last.path("step").asLong() != total)
            return "metrics.jsonl ends at step " + last.path("step").asLong() + ", not at the run's last step " + total;
        Path checkpoint = dir.resolve(Checkpoint.FILE_NAME);
        if (!Files.isRegularFile(checkpoint)) return "has no checkpoint.bin";
        if (verify) {
            LossfloorCli.Captured eval = LabNumbers.runCli("eval", "--run", dir.toString());
            if (eval.exitCode() != 0) return "could not be re-scored: " + eval.err().strip().replace('\n', ' ');
            Matcher m = Pattern.compile("val_nll ([0-9.]+) nats/token").matcher(eval.out());
            if (!m.find()) return "could not be re-scored (no val_nll in the output of eval)";
            double rescored = Double.parseDouble(m.group(1));
            if (Math.abs(rescored - last.path("val_nll").asDouble()) > 2e-6 + 1e-6 * rescored)
                return "re-scoring checkpoint.bin gives another val_nll than the last line of metrics.jsonl: the files"
                        + " do not belong together (edited, or copied from elsewhere)";
        }
        summary.append("finished, ").append(total).append(" steps, the sheet's settings").append(verify ? ", checkpoint re-scored" : "");
        return null;
    }

    private static long lastStep(Path dir) {
        List<JsonNode> rows = MetricsLines.read(dir.resolve(RunDirectory.METRICS), "");
        return rows.get(rows.size() - 1).path("step").asLong();
    }

    private static List<String> dataSha(JsonNode data) {
        List<String> shas = new ArrayList<>();
        if (data.has("corpus_sha256")) shas.add(data.path("corpus_sha256").asText());
        data.path("files_sha256").forEach(s -> shas.add(s.asText()));
        return shas;
    }

    static List<String> arguments(String options) {
        return options == null || options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
    }

    /**
     * The first train setting in which the recorded arguments differ from the expected ones, as the student would write
     * it ("--max-steps is 3 in this run; the sheet uses 600"), or null. Both lists are parsed by train itself, so the
     * order of options and defaults written out make no difference.
     */
    static String difference(List<String> expected, List<String> recorded, boolean ignoreCorpus) {
        CommandLine want = new CommandLine(new TrainCommand()), got = new CommandLine(new TrainCommand());
        want.parseArgs(expected.toArray(String[]::new));
        try {
            got.parseArgs(recorded.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return "its recorded arguments do not parse (" + e.getMessage() + ")";
        }
        for (OptionSpec o : want.getCommandSpec().options()) {
            String name = o.longestName().replaceFirst("^--?", "");
            if (IGNORED.contains(name) || (ignoreCorpus && name.equals("corpus"))) continue;
            Object w = o.getValue(), g = got.getCommandSpec().findOption(o.longestName()).getValue();
            if (!Objects.equals(normal(w), normal(g)))
                return "--" + name + " is " + shown(g) + " in this run; the sheet uses " + shown(w);
        }
        return null;
    }

    private static Object normal(Object v) {
        if (v instanceof Path p) return p.normalize().toString();
        if (v instanceof Number n && !(v instanceof Long) && !(v instanceof Integer)) return n.doubleValue();
        return v;
    }

    private static String shown(Object v) {
        if (v == null) return "unset (the default)";
        if (v instanceof Boolean b) return b ? "on" : "off";
        return String.valueOf(v);
    }

    /** The run directories of an answer file: the path as written, else relative to the answer file's directory. */
    static Path locate(String written, Path answerFile) {
        Path p = Path.of(written);
        if (Files.isDirectory(p) || p.isAbsolute()) return p;
        Path beside = answerFile.toAbsolutePath().getParent().resolve(written);
        return Files.isDirectory(beside) ? beside : p;
    }
}
