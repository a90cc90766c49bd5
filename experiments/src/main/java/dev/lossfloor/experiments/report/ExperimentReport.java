package dev.lossfloor.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of an experiment directory (written by {@code lossfloor run NAME} or {@code lossfloor sweep}):
 * report.md and a self-contained report.html beside summary.md, built with the run report's {@link RunReport.Document}.
 * It shows the experiment's description and configuration (experiment.json), a summary in words, the summary table
 * (summary.csv), the overlay plots (embedded as data URIs in the HTML) and, per run, its status and manifest summary
 * with relative links to the run's own report and files.
 */
public final class ExperimentReport {
    public static final String DEFINITION = "experiment.json";
    public static final String SUMMARY_CSV = "summary.csv";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExperimentReport() {}

    /** Whether a directory holds an experiment (a summary table of several runs) rather than one run. */
    public static boolean isExperiment(Path dir) {
        return Files.isRegularFile(dir.resolve(SUMMARY_CSV)) && !Files.isRegularFile(dir.resolve("config.json"));
    }

    /** Reads the experiment directory and (re)writes report.md and report.html there. */
    public static RunReport.Written write(Path dir) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is not a directory; give a directory written by ./lossfloor run or sweep");
        Path csvFile = dir.resolve(SUMMARY_CSV);
        if (!Files.isRegularFile(csvFile))
            throw new IllegalArgumentException(csvFile + " not found; give a directory written by ./lossfloor run or sweep");
        List<List<String>> csv = readCsv(csvFile);
        if (csv.size() < 2) throw new IllegalArgumentException(csvFile + " holds no run; it must have a header and one row per run");
        Path defFile = dir.resolve(DEFINITION);
        JsonNode def = Files.isRegularFile(defFile) ? readJson(defFile) : null;
        RunReport.Document doc = document(dir, def, csv);
        Path md = dir.resolve(RunReport.MARKDOWN), html = dir.resolve(RunReport.HTML);
        LearningCurvePlot.writeAtomically(md, doc.markdown());
        LearningCurvePlot.writeAtomically(html, doc.html((byte[]) null));
        return new RunReport.Written(md, html);
    }

    static RunReport.Document document(Path dir, JsonNode def, List<List<String>> csv) {
        Path name0 = dir.toAbsolutePath().normalize().getFileName();
        String name = def != null && def.hasNonNull("name") ? def.get("name").asText() : name0 == null ? "experiment" : name0.toString();
        boolean quick = def != null && def.path("quick_run").asBoolean(false);
        RunReport.Document d = new RunReport.Document("lossfloor experiment: " + name + (quick ? " (--quick)" : ""),
                "Experiment directory", dir.toString(), "Written by <code>./lossfloor run</code> or <code>./lossfloor sweep</code> "
                + "(again: <code>./lossfloor report --run DIR</code>) from the files in the experiment directory.");
        if (def != null && !def.path("description").asText("").isBlank()) d.paragraph(def.path("description").asText().strip());
        if (quick) d.paragraph("Run with --quick: every run shrunk to a few steps on a small sample, so the numbers only show "
                + "that the pipeline works, not where the curves end.");

        List<String> header = csv.get(0);
        List<List<String>> rows = csv.subList(1, csv.size());
        List<Run> runs = new ArrayList<>();
        int nameCol = header.indexOf("name");
        for (List<String> row : rows) {
            String runName = nameCol >= 0 && nameCol < row.size() ? row.get(nameCol) : "";
            runs.add(readRun(dir, runName));
        }
        d.paragraph(summary(header, rows, runs));

        d.heading("Summary");
        d.paragraph("Final evaluation of each run (summary.csv): val_nll and train_nll in nats per token, the other losses in "
                + "bits per character (bpc) or per byte (bpb); floor_bpc is the source's entropy rate, true_bpc the source's own "
                + "model on the same held-out text and gap_bpc = val_bpc - true_bpc (known sources only); expected is the "
                + "conditional entropy H_j a run should approach; seconds is the run's training time.");
        boolean[] numeric = new boolean[header.size()];
        for (int i = 0; i < header.size(); i++) numeric[i] = isNumericColumn(rows, i);
        d.table(header, rows, numeric, true);

        Path overlay = dir.resolve(ExperimentPlots.OVERLAY), params = dir.resolve(ExperimentPlots.PARAMS);
        if (Files.isRegularFile(overlay)) {
            d.heading("Held-out loss of every run");
            d.figure(ExperimentPlots.OVERLAY, "Held-out bits per character against the training step for every run",
                    readBytes(overlay), ExperimentPlots.WIDTH, ExperimentPlots.HEIGHT);
        }
        if (Files.isRegularFile(params)) {
            d.heading("Final loss against model size");
            d.figure(ExperimentPlots.PARAMS, "Final held-out bits per character against the parameter count",
                    readBytes(params), ExperimentPlots.WIDTH, ExperimentPlots.HEIGHT);
        }

        d.heading("Configuration");
        if (def == null) {
            d.paragraph("No experiment.json in this directory (written by an older lossfloor): each run's settings are in its "
                    + "config.json, linked below.");
        } else {
            d.paragraph("Settings shared by every run (train's long options without the dashes; a run's own settings and "
                    + (quick ? "the --quick overrides " : "") + "override them):");
            List<List<String>> base = RunReport.flatten(def.path("base"));
            if (base.isEmpty()) d.paragraph("(none: train's defaults)");
            else d.table(List.of("setting", "value"), base, new boolean[]{false, false}, true);
            if (quick && def.path("quick").size() > 0) {
                d.paragraph("--quick overrides:");
                d.table(List.of("setting", "value"), RunReport.flatten(def.path("quick")), new boolean[]{false, false}, true);
            }
            List<List<String>> variants = new ArrayList<>();
            boolean plateaus = false, notes = false, ownQuick = false;
            for (JsonNode v : def.path("variants")) {
                plateaus |= v.hasNonNull("plateau");
                notes |= v.hasNonNull("note");
                ownQuick |= quick && v.path("quick").size() > 0;
            }
            for (JsonNode v : def.path("variants")) {
                List<String> row = new ArrayList<>(List.of(v.path("name").asText(), settings(v.path("set"))));
                if (ownQuick) row.add(settings(v.path("quick")));
                if (plateaus) row.add(v.hasNonNull("plateau") ? "H_" + v.get("plateau").asText() : "");
                if (notes) row.add(v.path("note").asText(""));
                variants.add(row);
            }
            List<String> vh = new ArrayList<>(List.of("run", "its settings"));
            if (ownQuick) vh.add("its --quick settings");
            if (plateaus) vh.add("plateau");
            if (notes) vh.add("note");
            d.paragraph("The runs:");
            d.table(vh, variants, new boolean[vh.size()], true);
        }

        d.heading("Runs");
        d.paragraph("Each run is an ordinary run directory with its own report (learning curves, per-epoch table, configuration "
                + "and full manifest).");
        for (Run r : runs) {
            d.subheading(r.name());
            if (r.manifest() == null && r.config() == null) {
                d.paragraph("No run directory " + r.name() + "/ with config.json or manifest.json here.");
                continue;
            }
            d.table(List.of("field", "value"), r.facts(), new boolean[]{false, false}, true);
            List<String[]> links = new ArrayList<>();
            for (String f : new String[]{RunReport.HTML, RunReport.MARKDOWN, LearningCurvePlot.PNG, "config.json", "manifest.json", "metrics.jsonl"})
                if (Files.isRegularFile(dir.resolve(r.name()).resolve(f))) links.add(new String[]{f, r.name() + "/" + f});
            if (!links.isEmpty()) d.links("Files:", links);
        }
        return d;
    }

    /** A plain-language paragraph: how many runs, how they ended, which reached the lowest held-out loss. */
    static String summary(List<String> header, List<List<String>> rows, List<Run> runs) {
        int bpcCol = header.indexOf("val_bpc"), nameCol = header.indexOf("name"), floorCol = header.indexOf("floor_bpc");
        StringBuilder s = new StringBuilder();
        s.append(rows.size() == 1 ? "One training run" : String.format(Locale.ROOT, "%d training runs", rows.size()));
        long completed = runs.stream().filter(r -> "completed".equals(r.status())).count();
        long known = runs.stream().filter(r -> r.status() != null).count();
        if (known == runs.size() && completed == runs.size()) s.append(rows.size() == 1 ? ", completed." : ", all completed.");
        else {
            List<String> other = new ArrayList<>();
            for (Run r : runs) if (!"completed".equals(r.status())) other.add(r.name() + ": " + (r.status() == null ? "no manifest" : r.status()));
            s.append(String.format(Locale.ROOT, "; %d completed (%s).", completed, String.join(", ", other)));
        }
        if (bpcCol >= 0) {
            int best = -1;
            double bestBpc = Double.POSITIVE_INFINITY, worst = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < rows.size(); i++) {
                double v = parse(rows.get(i), bpcCol);
                if (v < bestBpc) { bestBpc = v; best = i; }
                if (v > worst) worst = v;
            }
            if (best >= 0) {
                s.append(String.format(Locale.ROOT, " The lowest final held-out loss is %s bits/char (%s)", RunReport.f4(bestBpc),
                        nameCol >= 0 ? rows.get(best).get(nameCol) : "run " + (best + 1)));
                if (rows.size() > 1) s.append(String.format(Locale.ROOT, ", the highest %s", RunReport.f4(worst)));
                double floor = floorCol >= 0 ? parse(rows.get(best), floorCol) : Double.NaN;
                if (Double.isFinite(floor))
                    s.append(String.format(Locale.ROOT, "; the entropy floor of the source is %s bits/char, %s below the best run",
                            RunReport.f4(floor), RunReport.f4(bestBpc - floor)));
                s.append('.');
            }
        }
        return s.toString();
    }

    // ---------------------------------------------------------------------------------------------- runs

    /** One run of the experiment, as far as its directory tells. */
    record Run(String name, JsonNode manifest, JsonNode config, JsonNode last, int evaluations) {
        String status() { return manifest == null ? null : manifest.path("status").asText(null); }

        /** The manifest's summary: how the run ended, when, on what, from which commit. */
        List<List<String>> facts() {
            List<List<String>> rows = new ArrayList<>();
            if (manifest != null) {
                add(rows, "status", manifest.path("status").asText("") + (manifest.hasNonNull("message")
                        ? " (" + manifest.get("message").asText() + ")" : ""));
                add(rows, "started", seconds(manifest.path("started").asText("")));
                add(rows, "ended", seconds(manifest.path("ended").asText("")));
                add(rows, "wall time", wallTime(manifest.path("started").asText(""), manifest.path("ended").asText("")));
            }
            if (last != null) {
                add(rows, "final evaluation", String.format(Locale.ROOT, "step %s, epoch %s (%s): val_bpc %s, val_nll %s nats/token",
                        RunReport.metricValue("step", last.get("step")), RunReport.metricValue("epoch", last.get("epoch")),
                        plural(evaluations, "evaluation"),
                        RunReport.metricValue("val_bpc", last.get("val_bpc")), RunReport.metricValue("val_nll", last.get("val_nll"))));
            }
            if (config != null) {
                JsonNode m = config.path("model");
                if (m.isObject())
                    add(rows, "model", String.format(Locale.ROOT, "%s, %s, %s wide, context %s, %s parameters",
                            plural(m.path("layers").asInt(), "layer"), plural(m.path("heads").asInt(), "head"), m.path("embd").asText("?"),
                            m.path("context").asText("?"), RunReport.metricValue("parameters", m.get("parameters"))));
                add(rows, "tokenizer", config.path("tokenizer").asText(""));
            }
            if (manifest != null) {
                String commit = manifest.path("git_commit").asText("");
                add(rows, "git commit", commit + (manifest.path("git_dirty").asBoolean(false) ? " (dirty tree)" : ""));
                add(rows, "lossfloor", manifest.path("lossfloor_version").asText(""));
                add(rows, "backend", join(manifest, "nd4j_backend", "blas") + threads(manifest));
                add(rows, "seeds", manifest.path("seeds").isObject() ? seeds(manifest.path("seeds")) : "");
                List<String> args = new ArrayList<>();
                manifest.path("arguments").forEach(a -> args.add(a.asText()));
                // run and sweep call train in-process: its arguments start with an option
                if (!args.isEmpty())
                    add(rows, "command", "lossfloor " + (args.get(0).startsWith("-") ? "train " : "") + String.join(" ", args));
            }
            return rows;
        }

        private static String plural(int n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }

        /** An ISO instant to the second: 2026-11-21T20:38:59Z. */
        private static String seconds(String iso) {
            try {
                return Instant.parse(iso).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            } catch (RuntimeException e) {
                return iso;
            }
        }

        private static void add(List<List<String>> rows, String key, String value) {
            if (value != null && !value.isBlank()) rows.add(List.of(key, value));
        }

        private static String join(JsonNode n, String... keys) {
            List<String> parts = new ArrayList<>();
            for (String k : keys) if (n.hasNonNull(k)) parts.add(n.get(k).asText());
            return String.join(", ", parts);
        }

        private static String threads(JsonNode m) {
            return m.path("threads").isNumber() ? ", " + m.get("threads").asInt() + " thread" + (m.get("threads").asInt() == 1 ? "" : "s") : "";
        }

        private static String seeds(JsonNode seeds) {
            List<String> parts = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = seeds.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                parts.add(e.getKey() + " " + e.getValue().asText());
            }
            return String.join(", ", parts);
        }
    }

    private static Run readRun(Path dir, String name) {
        Path runDir = dir.resolve(name);
        if (name.isEmpty() || !Files.isDirectory(runDir)) return new Run(name, null, null, null, 0);
        JsonNode manifest = optionalJson(runDir.resolve("manifest.json"));
        JsonNode config = optionalJson(runDir.resolve("config.json"));
        JsonNode last = null;
        int evaluations = 0;
        Path metrics = runDir.resolve("metrics.jsonl");
        if (Files.isRegularFile(metrics)) {
            try {
                List<JsonNode> lines = MetricsLines.read(metrics, "the run has not evaluated yet");
                evaluations = lines.size();
                last = lines.get(lines.size() - 1);
            } catch (IllegalArgumentException e) {
                // an unreadable metrics file leaves the run's row without its final evaluation
            }
        }
        return new Run(name, manifest, config, last, evaluations);
    }

    /** "2 min 5 s" between two ISO instants; empty if either is missing. */
    static String wallTime(String started, String ended) {
        try {
            Duration d = Duration.between(Instant.parse(started), Instant.parse(ended));
            long s = Math.round(d.toMillis() / 1000.0);
            return s < 60 ? s + " s" : s / 60 + " min " + s % 60 + " s";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String settings(JsonNode map) {
        List<String> parts = new ArrayList<>();
        for (List<String> row : RunReport.flatten(map)) parts.add(row.get(0) + "=" + row.get(1));
        return String.join(" ", parts);
    }

    private static boolean isNumericColumn(List<List<String>> rows, int col) {
        boolean any = false;
        for (List<String> row : rows) {
            if (col >= row.size() || row.get(col).isEmpty()) continue;
            if (!Double.isFinite(parse(row, col))) return false;
            any = true;
        }
        return any;
    }

    private static double parse(List<String> row, int col) {
        try {
            return col < row.size() ? Double.parseDouble(row.get(col)) : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    // ---------------------------------------------------------------------------------------------- files

    /** RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and newlines. */
    static List<List<String>> readCsv(Path file) {
        String all;
        try {
            all = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false, any = false;
        for (int i = 0; i < all.length(); i++) {
            char c = all.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < all.length() && all.charAt(i + 1) == '"') { f.append('"'); i++; }
                else if (c == '"') quoted = false;
                else f.append(c);
                continue;
            }
            if (c == '"') { quoted = true; any = true; }
            else if (c == ',') { row.add(f.toString()); f.setLength(0); any = true; }
            else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < all.length() && all.charAt(i + 1) == '\n') i++;
                if (any || f.length() > 0) {
                    row.add(f.toString());
                    rows.add(row);
                }
                row = new ArrayList<>();
                f.setLength(0);
                any = false;
            } else { f.append(c); any = true; }
        }
        if (any || f.length() > 0) {
            row.add(f.toString());
            rows.add(row);
        }
        return rows;
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) throw new IOException("not a JSON object");
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON (" + String.valueOf(e.getMessage()).split("\n")[0]
                    + "); restore the file the experiment wrote");
        }
    }

    private static JsonNode optionalJson(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
