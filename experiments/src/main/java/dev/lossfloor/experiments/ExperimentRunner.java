package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossfloor.data.InformationMetrics;
import dev.lossfloor.data.MarkovSource;
import dev.lossfloor.data.Sources;
import dev.lossfloor.data.SyntheticSource;
import dev.lossfloor.experiments.report.ExperimentPlots;
import dev.lossfloor.experiments.report.ExperimentReport;
import dev.lossfloor.experiments.report.RunReport;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs an experiment's variants one after the other into one directory and writes summary.md/.csv and the plots. */
final class ExperimentRunner {
    static final String SUMMARY_MD = "summary.md";
    static final String SUMMARY_CSV = "summary.csv";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One finished training run, as the summary shows it. */
    record Result(String name, String varied, long parameters, double valNll, double valBpc, double valBpb, Double floorBpc,
                  Double trueBpc, Double gapBpc, double trainNll, long steps, double seconds, String expected, Double expectedBpc,
                  String note, List<double[]> curve) {}

    private final PrintStream console = System.out;

    /** The experiment's directory: the one given, or runs/&lt;timestamp&gt;-&lt;name&gt;. */
    static Path directory(Path requested, String name) {
        Path dir = requested;
        if (dir == null) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            dir = Path.of("runs", stamp + "-" + name);
            for (int i = 2; Files.exists(dir); i++) dir = Path.of("runs", stamp + "-" + name + "-" + i);
        }
        if (Files.isRegularFile(dir)) throw new IllegalArgumentException("--out " + dir + " is a file; give a directory");
        if (Files.exists(dir.resolve(SUMMARY_MD)))
            throw new IllegalArgumentException("--out " + dir + " already holds an experiment (summary.md); choose a new directory");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** Runs every variant; returns train's exit code if one run stops (Ctrl-C), else 0. */
    int run(Experiment experiment, boolean quick, Path dir) {
        // every variant is checked before the first one trains
        List<List<String>> argLists = new ArrayList<>();
        for (Experiment.Variant v : experiment.variants()) {
            List<String> args = TrainConfigFile.toArguments(experiment.settings(v, quick), experiment.name() + " variant " + v.name());
            args.add("--out");
            args.add(dir.resolve(v.name()).toString());
            argLists.add(args);
        }
        console.printf("experiment %s%s: %d training run%s into %s%n", experiment.name(), quick ? " (--quick)" : "",
                argLists.size(), argLists.size() == 1 ? "" : "s", dir);
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < argLists.size(); i++) {
            Experiment.Variant v = experiment.variants().get(i);
            List<String> args = argLists.get(i);
            console.printf("%n=== run %d/%d: %s (%s)%n    train %s%n", i + 1, argLists.size(), v.name(), v.varied(),
                    String.join(" ", args));
            TrainCommand train = new TrainCommand();
            int code;
            try {
                new CommandLine(train).parseArgs(args.toArray(String[]::new));
                code = train.call();
            } catch (CommandLine.ParameterException e) {
                throw new IllegalArgumentException(experiment.name() + " variant " + v.name() + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(experiment.name() + " variant " + v.name() + ": " + e.getMessage(), e);
            }
            if (code != 0) {
                console.println("experiment stopped at run " + v.name() + " (exit code " + code + "); the runs so far are in " + dir);
                return code;
            }
            results.add(read(dir.resolve(v.name()), v, experiment.settings(v, quick)));
        }
        if (experiment.comparesTokenizers()) {
            TokenizerComparison.Written w = TokenizerComparison.write(dir, experiment, quick);
            console.printf("%n%s%n%nsummary: %s, %s, %s%n", w.lesson(), w.markdown(), w.csv(), w.png());
            return 0;
        }
        writeSummary(dir, experiment, quick, results);
        console.printf("%nsummary: %s, %s, %s%s%n", dir.resolve(SUMMARY_MD), dir.resolve(SUMMARY_CSV),
                dir.resolve(ExperimentPlots.OVERLAY), distinctParameters(results) ? ", " + dir.resolve(ExperimentPlots.PARAMS) : "");
        RunReport.Written report = writeReport(dir);
        if (report != null) console.printf("report:  %s, %s%n", report.markdown(), report.html());
        return 0;
    }

    /** report.md and report.html of the experiment; a report that cannot be written is one line and never fails the experiment. */
    private RunReport.Written writeReport(Path dir) {
        try {
            return ExperimentReport.write(dir);
        } catch (RuntimeException | LinkageError e) {
            console.println("report: not written (" + LossfloorCli.oneLine(e) + "); retry with ./lossfloor report --run " + dir);
            return null;
        }
    }

    /** experiment.json: the definition the runs came from (name, description, base, quick, variants), for the report. */
    static void writeDefinition(Path dir, Experiment experiment, boolean quick) {
        Map<String, Object> def = new LinkedHashMap<>();
        def.put("name", experiment.name());
        def.put("description", experiment.description());
        def.put("quick_run", quick);
        def.put("base", experiment.base());
        def.put("quick", experiment.quick());
        List<Map<String, Object>> variants = new ArrayList<>();
        for (Experiment.Variant v : experiment.variants()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", v.name());
            m.put("set", v.set());
            m.put("quick", v.quick());
            m.put("plateau", v.plateau());
            m.put("note", v.note());
            variants.add(m);
        }
        def.put("variants", variants);
        try {
            Files.writeString(dir.resolve(ExperimentReport.DEFINITION),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(def) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(ExperimentReport.DEFINITION) + ": " + e.getMessage(), e);
        }
    }

    private static boolean distinctParameters(List<Result> results) {
        // model sizes that differ (by a factor of 2 or more), not the few positional embeddings of another context length
        long min = results.stream().mapToLong(Result::parameters).min().orElse(0);
        long max = results.stream().mapToLong(Result::parameters).max().orElse(0);
        return min > 0 && max >= 2 * min;
    }

    /** The final numbers of a finished run directory. */
    static Result read(Path runDir, Experiment.Variant v, Map<String, Object> settings) {
        try {
            JsonNode config = JSON.readTree(runDir.resolve(RunDirectory.CONFIG).toFile());
            List<String> lines = Files.readAllLines(runDir.resolve(RunDirectory.METRICS), StandardCharsets.UTF_8)
                    .stream().filter(l -> !l.isBlank()).toList();
            List<double[]> curve = new ArrayList<>();
            JsonNode last = null;
            for (String l : lines) {
                last = JSON.readTree(l);
                curve.add(new double[]{last.path("step").asDouble(), last.path("val_bpc").asDouble()});
            }
            if (last == null) throw new IllegalStateException(runDir.resolve(RunDirectory.METRICS) + " holds no evaluation");
            String expected = null;
            Double expectedBpc = null;
            if (v.plateau() != null) {
                Object spec = settings.get("source");
                SyntheticSource source = spec == null ? MarkovSource.builtIn() : Sources.fromSpec(String.valueOf(spec));
                int j = Math.min(v.plateau(), Math.max(0, source.order()));
                expectedBpc = InformationMetrics.natsToBits(source.conditionalEntropy(j));
                expected = "H_" + j;
            }
            return new Result(v.name(), v.varied(), config.path("model").path("parameters").asLong(),
                    last.path("val_nll").asDouble(), last.path("val_bpc").asDouble(), last.path("val_bpb").asDouble(),
                    optional(last, "floor_bpc"), optional(last, "true_bpc"), optional(last, "gap_bpc"),
                    last.path("train_nll").asDouble(), last.path("step").asLong(), last.path("elapsed_s").asDouble(),
                    expected, expectedBpc, v.note(), curve);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run in " + runDir + ": " + e.getMessage(), e);
        }
    }

    private static Double optional(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.isNumber() ? v.asDouble() : null;
    }

    static void writeSummary(Path dir, Experiment experiment, boolean quick, List<Result> results) {
        boolean floors = results.stream().anyMatch(r -> r.floorBpc() != null);
        boolean expected = results.stream().anyMatch(r -> r.expected() != null);
        boolean notes = results.stream().anyMatch(r -> r.note() != null);
        List<String> header = new ArrayList<>(List.of("name", "varied", "parameters", "val_nll", "val_bpc", "val_bpb"));
        if (floors) header.addAll(List.of("floor_bpc", "true_bpc", "gap_bpc"));
        if (expected) header.addAll(List.of("expected", "expected_bpc"));
        header.addAll(List.of("train_nll", "steps", "seconds"));
        if (notes) header.add("note");
        List<List<String>> rows = new ArrayList<>();
        for (Result r : results) {
            List<String> row = new ArrayList<>(List.of(r.name(), r.varied(), String.valueOf(r.parameters()), f4(r.valNll()),
                    f4(r.valBpc()), f4(r.valBpb())));
            if (floors) row.addAll(List.of(f4(r.floorBpc()), f4(r.trueBpc()), f4(r.gapBpc())));
            if (expected) row.addAll(List.of(r.expected() == null ? "" : r.expected(), f4(r.expectedBpc())));
            row.addAll(List.of(f4(r.trainNll()), String.valueOf(r.steps()), String.format(Locale.ROOT, "%.1f", r.seconds())));
            if (notes) row.add(r.note() == null ? "" : r.note());
            rows.add(row);
        }
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (List<String> row : rows) csv.append(String.join(",", row.stream().map(ExperimentRunner::csv).toList())).append('\n');

        StringBuilder md = new StringBuilder("# Experiment: ").append(experiment.name()).append(quick ? " (--quick)" : "").append("\n\n");
        if (!experiment.description().isEmpty()) md.append(experiment.description()).append("\n\n");
        if (quick) md.append("Run with `--quick`: every run shrunk to a few steps on a small sample, so the numbers only show "
                + "that the pipeline works, not where the curves end.\n\n");
        md.append("Final evaluation of each run; val_nll and train_nll in nats per token, the rest in bits per character (bpc) "
                + "or per byte (bpb). train_nll is the mean over the steps since the run's previous evaluation.");
        if (floors) md.append(" floor_bpc is the source's entropy rate, true_bpc the source's own model on the same held-out "
                + "text, gap_bpc = val_bpc - true_bpc.");
        if (expected) md.append(" expected is the conditional entropy H_j (bits/char, the best possible loss given j previous "
                + "characters) that the run should approach.");
        md.append("\n\n| ").append(String.join(" | ", header)).append(" |\n|");
        md.append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows) md.append("| ").append(String.join(" | ", row.stream().map(c -> c.replace("|", "\\|")).toList())).append(" |\n");
        md.append("\nEach run's directory (").append(String.join(", ", results.stream().map(r -> r.name() + "/").toList()))
                .append(") holds its config.json, metrics.jsonl, manifest.json, learning_curves.png and its own report. ")
                .append("overlay.png: held-out bits/char against the step for every run");
        if (distinctParameters(results)) md.append("; params.png: final held-out bits/char against the parameter count");
        md.append(". report.md and report.html: the experiment's report (this table, the configuration, the plots and every "
                + "run's manifest summary with links to its files).\n");
        writeDefinition(dir, experiment, quick);
        try {
            Files.writeString(dir.resolve(SUMMARY_CSV), csv.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(SUMMARY_MD), md.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the summary in " + dir + ": " + e.getMessage(), e);
        }
        List<ExperimentPlots.Run> runs = results.stream().map(r -> new ExperimentPlots.Run(r.name(), r.parameters(), r.valBpc(),
                r.curve(), r.expected() == null ? null : r.expected(), r.expectedBpc())).toList();
        Double floor = results.stream().map(Result::floorBpc).filter(x -> x != null).findFirst().orElse(null);
        ExperimentPlots.overlay(dir.resolve(ExperimentPlots.OVERLAY), experiment.name(), runs, floor);
        if (distinctParameters(results)) ExperimentPlots.params(dir.resolve(ExperimentPlots.PARAMS), experiment.name(), runs, floor);
    }

    private static String f4(Double d) {
        return d == null || d.isNaN() ? "" : String.format(Locale.ROOT, "%.4f", d);
    }

    private static String csv(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }
}
