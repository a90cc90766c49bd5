package dev.lossfloor.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossfloor.data.InformationMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's report: report.md and a self-contained report.html (inline CSS, the learning-curve PNG embedded as a
 * data URI, no external resources) in the run directory. Both hold the same content, built once as a list of
 * blocks: a plain-language summary with the measured numbers, the figure, the final metrics with units, the
 * per-epoch table, the classic baselines (real text), the configuration and the manifest. Every string taken from
 * the run's files is escaped for the format it goes into.
 */
public final class RunReport {
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";

    private static final String CONFIG = "config.json";
    private static final String METRICS = "metrics.jsonl";
    private static final String MANIFEST = "manifest.json";
    private static final String BASELINES = "baselines.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunReport() {}

    /** The files one call writes. */
    public record Written(Path markdown, Path html) {
        public List<Path> all() { return List.of(markdown, html); }
    }

    /** Reads the run directory and (re)writes report.md and report.html; draws the figure first if it is missing. */
    public static Written write(Path runDir) {
        Run run = read(runDir);
        Path png = runDir.resolve(LearningCurvePlot.PNG);
        if (!Files.isRegularFile(png)) LearningCurvePlot.write(runDir);
        byte[] pngBytes;
        try {
            pngBytes = Files.readAllBytes(png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + png + ": " + e.getMessage(), e);
        }
        Document doc = document(run);
        Path md = runDir.resolve(MARKDOWN), html = runDir.resolve(HTML);
        writeAtomically(md, doc.markdown());
        writeAtomically(html, doc.html(pngBytes));
        return new Written(md, html);
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** What the report shows: the run's files, parsed. */
    record Run(Path dir, String name, JsonNode config, List<JsonNode> metrics, JsonNode manifest, JsonNode baselines) {
        JsonNode last() { return metrics.get(metrics.size() - 1); }
    }

    static Run read(Path runDir) {
        if (!Files.isDirectory(runDir))
            throw new IllegalArgumentException("--run " + runDir + " is not a directory; give a directory written by ./lossfloor train");
        Path configFile = runDir.resolve(CONFIG);
        if (!Files.isRegularFile(configFile))
            throw new IllegalArgumentException(configFile + " not found; give a directory written by ./lossfloor train");
        JsonNode config = readJson(configFile);
        Path metricsFile = runDir.resolve(METRICS);
        if (!Files.isRegularFile(metricsFile))
            throw new IllegalArgumentException(metricsFile + " not found; a run writes it at its first evaluation (step 0), "
                    + "so report on a directory written by ./lossfloor train that has evaluated once");
        List<JsonNode> metrics = MetricsLines.read(metricsFile, "report again after the run's first evaluation");
        Path manifestFile = runDir.resolve(MANIFEST), baselinesFile = runDir.resolve(BASELINES);
        JsonNode manifest = Files.isRegularFile(manifestFile) ? readJson(manifestFile) : null;
        JsonNode baselines = Files.isRegularFile(baselinesFile) ? readJson(baselinesFile) : null;
        return new Run(runDir, LearningCurvePlot.dataName(config, runDir), config, metrics, manifest, baselines);
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) throw new IOException("not a JSON object");
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON (" + String.valueOf(e.getMessage()).split("\n")[0]
                    + "); restore the file the run wrote");
        }
    }

    // ---------------------------------------------------------------------------------------------- content

    /** Units and meanings of the metrics.jsonl keys (docs/run-directory.md). */
    private static final Map<String, String[]> METRIC_UNITS = new LinkedHashMap<>();

    static {
        unit("epoch", "", "passes over the training split completed");
        unit("step", "updates", "optimizer updates so far");
        unit("tokens_seen", "tokens", "training tokens processed");
        unit("lr", "", "learning rate at this step");
        unit("train_nll", "nats/token", "mean training cross-entropy over the steps since the previous evaluation (none at step 0)");
        unit("val_nll", "nats/token", "held-out negative log-likelihood");
        unit("val_ppl", "per token", "held-out perplexity, e^val_nll");
        unit("val_bits_per_token", "bits/token", "held-out loss in bits per token");
        unit("val_bpc", "bits/char", "held-out bits per character");
        unit("val_bpb", "bits/byte", "held-out bits per UTF-8 byte");
        unit("val_tokens", "tokens", "held-out tokens scored (a fixed subset between epoch ends, see split_fraction)");
        unit("val_chars", "chars", "characters of the predicted held-out text");
        unit("val_bytes", "bytes", "UTF-8 bytes of the predicted held-out text");
        unit("floor_bpc", "bits/char", "the source's exact entropy rate H (synthetic sources only)");
        unit("true_bpc", "bits/char", "the true model scored on the same held-out characters: the empirical floor");
        unit("gap_bpc", "bits/char", "val_bpc - true_bpc: the KL gap");
        unit("elapsed_s", "s", "seconds since training started");
        unit("split_fraction", "fraction", "fraction of the held-out split scored: 1 for a full pass, less for the fixed subset");
        unit("epoch_progress", "epochs", "epochs completed as a real number");
        unit("epoch_end", "", "true for the full evaluation at the end of an epoch");
        unit("val_unk_rate", "fraction", "predicted held-out tokens that are <unk> (text the tokenizer could not represent)");
        unit("bpc_comparable", "", "false when val_unk_rate > 0: val_bpc and val_bpb then skip the <unk> text's spelling");
    }

    private static void unit(String key, String unit, String meaning) { METRIC_UNITS.put(key, new String[]{unit, meaning}); }

    static Document document(Run run) {
        Document d = new Document("lossfloor report: " + run.name(), run.dir().toString());
        d.paragraph(summary(run));
        d.heading("Learning curves");
        d.figure(LearningCurvePlot.PNG, "Learning curves: loss in bits per character and held-out perplexity against the training step");

        d.heading("Final metrics");
        JsonNode last = run.last();
        List<List<String>> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = last.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String[] um = METRIC_UNITS.getOrDefault(e.getKey(), new String[]{"", ""});
            rows.add(List.of(e.getKey(), metricValue(e.getKey(), e.getValue()), um[0], um[1]));
        }
        d.table(List.of("key", "value", "unit", "meaning"), rows, new boolean[]{false, true, false, false}, true);

        d.heading("Every evaluation");
        boolean gap = run.metrics().stream().anyMatch(m -> m.path("gap_bpc").isNumber());
        d.paragraph("One row per held-out evaluation. train_nll is the mean over the steps since the previous row; "
                + "\"scored\" is the share of the held-out split scored: all of it at epoch ends, a fixed subset of its "
                + "windows in between (the same windows every time).");
        List<String> header = new ArrayList<>(List.of("epoch", "step", "train_nll (nats/token)", "val_nll (nats/token)",
                "val_ppl", "val_bpc", "val_bpb"));
        if (gap) header.add("gap_bpc");
        header.add("scored");
        header.add("elapsed (s)");
        rows = new ArrayList<>();
        for (JsonNode m : run.metrics()) {
            List<String> row = new ArrayList<>();
            row.add(m.path("epoch_progress").isNumber() ? String.format(Locale.ROOT, "%.2f", m.path("epoch_progress").asDouble())
                    : metricValue("epoch", m.get("epoch")));
            for (String key : new String[]{"step", "train_nll", "val_nll", "val_ppl", "val_bpc", "val_bpb"})
                row.add(metricValue(key, m.get(key)));
            if (gap) row.add(metricValue("gap_bpc", m.get("gap_bpc")));
            row.add(String.format(Locale.ROOT, "%.0f%%", 100 * m.path("split_fraction").asDouble(1.0)));
            row.add(metricValue("elapsed_s", m.get("elapsed_s")));
            rows.add(row);
        }
        boolean[] numeric = new boolean[header.size()];
        java.util.Arrays.fill(numeric, true);
        d.table(header, rows, numeric, false);

        if (run.baselines() != null) baselines(d, run.baselines());

        d.heading("Configuration");
        d.table(List.of("setting", "value"), flatten(run.config()), new boolean[]{false, false}, true);
        d.heading("Manifest");
        if (run.manifest() == null) d.paragraph("No manifest.json in this run directory (written by an older lossfloor).");
        else d.table(List.of("field", "value"), flatten(run.manifest()), new boolean[]{false, false}, true);
        return d;
    }

    /** One paragraph in plain language with the measured numbers. */
    static String summary(Run run) {
        JsonNode last = run.last();
        long step = last.path("step").asLong();
        double bpc = last.path("val_bpc").asDouble();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "After %,d steps%s the held-out loss is %s bits/char", step,
                last.path("epoch").isNumber() ? " (" + epochs(last.path("epoch").asLong()) + ")" : "", f4(bpc)));
        Double floor = number(last, "floor_bpc"), trueBpc = number(last, "true_bpc"), gap = number(last, "gap_bpc");
        if (floor != null && trueBpc != null) {
            double g = gap != null ? gap : bpc - trueBpc;
            s.append(String.format(Locale.ROOT, ", %s %s the true model on the same text (%s bits/char; floor H = %s)",
                    f4(Math.abs(g)), g >= 0 ? "above" : "below", f4(trueBpc), f4(floor)));
            double pct = 100 * g / floor;
            if (g <= 0) s.append(": the model matches the entropy of the source.");
            else if (pct < 5) s.append(String.format(Locale.ROOT, ": the model is within %.1f%% of the entropy of the source.", pct));
            else s.append(String.format(Locale.ROOT, ": the model is still %.1f%% above the entropy of the source.", pct));
        } else {
            Double ppl = number(last, "val_ppl");
            if (ppl != null) s.append(String.format(Locale.ROOT, " (perplexity %.3f per token)", ppl));
            s.append('.');
            Best b = run.baselines() == null ? null : best(run.baselines());
            if (b != null && b.ngram != null && b.compressor != null) {
                s.append(String.format(Locale.ROOT, " The best n-gram baseline, %s, reaches %s bits/char and the best "
                                + "compressor, %s given the training text, %s bits/char", b.ngram, f4(b.ngramBpc),
                        b.compressor, f4(b.compressorBpc)));
                if (Double.isFinite(b.unigramBpc)) s.append(String.format(Locale.ROOT, " (unigram entropy %s)", f4(b.unigramBpc)));
                double lead = b.ngramBpc - bpc, bestOther = Math.min(b.ngramBpc, b.compressorBpc);
                if (lead > 0)
                    s.append(String.format(Locale.ROOT, ": the model beats the best n-gram by %s bits/char (%.1f%%), so the "
                            + "entropy of this text is at most %s bits/char.", f4(lead), 100 * lead / b.ngramBpc, f4(bpc)));
                else
                    s.append(String.format(Locale.ROOT, ": the model is still %s bits/char above the best n-gram, so the "
                            + "best upper bound on the entropy of this text is %s bits/char.", f4(-lead), f4(Math.min(bestOther, bpc))));
            } else {
                s.append(" The entropy of this text is unknown; the held-out loss is an upper bound on it.");
            }
        }
        String status = run.manifest() == null ? null : run.manifest().path("status").asText(null);
        if (status != null && !status.equals("completed"))
            s.append(" The run's status is \"").append(status).append("\": these are the numbers of its last evaluation.");
        return s.toString();
    }

    private static String epochs(long n) { return n == 1 ? "1 epoch" : String.format(Locale.ROOT, "%,d epochs", n); }

    private record Best(String ngram, double ngramBpc, String compressor, double compressorBpc, double unigramBpc) {}

    private static Best best(JsonNode b) {
        String ngram = null, compressor = null;
        double ngramBpc = Double.NaN, compressorBpc = Double.NaN;
        for (JsonNode g : b.path("ngrams")) {
            double bpc = g.path("bits_per_char").asDouble(Double.NaN);
            if (Double.isFinite(bpc) && !(bpc >= ngramBpc)) {
                ngram = ("mkn".equals(g.path("smoothing").asText()) ? "modified Kneser-Ney" : "Kneser-Ney")
                        + " order " + g.path("order").asInt();
                ngramBpc = bpc;
            }
        }
        for (JsonNode c : b.path("compressors")) {
            double bpc = c.path("conditional_bits_per_char").asDouble(Double.NaN);
            if (Double.isFinite(bpc) && !(bpc >= compressorBpc)) {
                compressor = c.path("compressor").asText("compressor");
                compressorBpc = bpc;
            }
        }
        return new Best(ngram, ngramBpc, compressor, compressorBpc, b.path("unigram").path("bits_per_char").asDouble(Double.NaN));
    }

    private static void baselines(Document d, JsonNode b) {
        d.heading("Classic baselines");
        d.paragraph("Upper bounds on the entropy of the held-out text from baselines.json: character n-gram models "
                + "(interpolated Kneser-Ney and modified Kneser-Ney), compressors (the held-out text alone, and given the "
                + "training text: size(train + held-out) - size(train)) and the unigram entropy of the training split.");
        Map<Integer, String[]> byOrder = new java.util.TreeMap<>();
        Best best = best(b);
        for (JsonNode g : b.path("ngrams")) {
            int order = g.path("order").asInt();
            String[] row = byOrder.computeIfAbsent(order, o -> new String[]{"", ""});
            String smoothing = g.path("smoothing").asText();
            int col = "kn".equals(smoothing) ? 0 : "mkn".equals(smoothing) ? 1 : -1;
            if (col >= 0) row[col] = f4(g.path("bits_per_char").asDouble(Double.NaN));
        }
        if (!byOrder.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            byOrder.forEach((order, r) -> rows.add(List.of(String.valueOf(order), r[0], r[1])));
            d.table(List.of("n-gram order", "Kneser-Ney (bits/char)", "modified Kneser-Ney (bits/char)"), rows,
                    new boolean[]{true, true, true}, false);
            if (best.ngram != null)
                d.paragraph(String.format(Locale.ROOT, "Best n-gram: %s, %s bits/char.", best.ngram, f4(best.ngramBpc)));
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode c : b.path("compressors"))
            rows.add(List.of(c.path("compressor").asText(""), f4(c.path("alone_bits_per_char").asDouble(Double.NaN)),
                    f4(c.path("conditional_bits_per_char").asDouble(Double.NaN)), c.path("settings").asText("")));
        if (b.path("unigram").path("bits_per_char").isNumber())
            rows.add(List.of("unigram entropy (training split)", f4(b.path("unigram").path("bits_per_char").asDouble()), "",
                    b.path("unigram").path("distinct").isNumber()
                            ? String.format(Locale.ROOT, "%d distinct characters", b.path("unigram").path("distinct").asInt()) : ""));
        if (!rows.isEmpty())
            d.table(List.of("compressor", "alone (bits/char)", "given train (bits/char)", "settings"), rows,
                    new boolean[]{false, true, true, false}, false);
    }

    /** A metrics value as the report prints it: 4 decimals for losses, 3 for perplexity, grouping for counts. */
    static String metricValue(String key, JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return key.equals("floor_bpc") || key.equals("true_bpc")
                || key.equals("gap_bpc") ? "n/a (entropy unknown)" : "n/a";
        if (!v.isNumber()) return v.asText();
        double x = v.asDouble();
        if (v.isIntegralNumber()) return String.format(Locale.ROOT, "%,d", v.asLong());
        return switch (key) {
            case "val_ppl" -> String.format(Locale.ROOT, "%.3f", x);
            case "lr" -> String.format(Locale.ROOT, "%.3g", x);
            case "elapsed_s" -> String.format(Locale.ROOT, "%.1f", x);
            default -> f4(x);
        };
    }

    static String f4(double x) { return Double.isFinite(x) ? String.format(Locale.ROOT, "%.4f", x) : "n/a"; }

    private static Double number(JsonNode row, String key) {
        JsonNode v = row.get(key);
        return v != null && v.isNumber() && Double.isFinite(v.asDouble()) ? v.asDouble() : null;
    }

    /** A JSON object as (dotted key, value) rows; arrays of scalars are joined with spaces. */
    static List<List<String>> flatten(JsonNode node) {
        List<List<String>> rows = new ArrayList<>();
        flatten("", node, rows);
        return rows;
    }

    private static void flatten(String prefix, JsonNode node, List<List<String>> rows) {
        if (node.isObject() && (node.size() > 0 || prefix.isEmpty())) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), rows);
            }
        } else if (node.isArray() && allScalars(node)) {
            List<String> parts = new ArrayList<>();
            node.forEach(x -> parts.add(x.asText()));
            rows.add(List.of(prefix, String.join(" ", parts)));
        } else if (node.isContainerNode()) {
            rows.add(List.of(prefix, node.toString()));
        } else {
            rows.add(List.of(prefix, node.isNull() ? "null" : node.isNumber() && !node.isIntegralNumber()
                    ? shortDouble(node.asDouble()) : node.asText()));
        }
    }

    /** A double with at most 10 significant digits and no exponent: 3.0000000000000003E-4 reads 0.0003. */
    static String shortDouble(double x) {
        if (!Double.isFinite(x)) return String.valueOf(x);
        return new java.math.BigDecimal(x).round(new java.math.MathContext(10)).stripTrailingZeros().toPlainString();
    }

    private static boolean allScalars(JsonNode array) {
        for (JsonNode x : array) if (x.isContainerNode()) return false;
        return true;
    }

    // ---------------------------------------------------------------------------------------------- writing

    private static void writeAtomically(Path file, String content) {
        LearningCurvePlot.writeAtomically(file, content);
    }

    /** The report's content as blocks, rendered to Markdown or HTML; every text is escaped on rendering. */
    static final class Document {
        private final String title;
        private final String subtitleLabel;
        private final String subtitle;
        private final String footerHtml;
        private final List<Object> blocks = new ArrayList<>();

        private record Heading(String text) {}

        private record SubHeading(String text) {}

        private record Paragraph(String text) {}

        /** png null: the bytes given to {@link #html(byte[])}. */
        private record Figure(String file, String alt, byte[] png, int width, int height) {}

        private record Table(List<String> header, List<List<String>> rows, boolean[] numeric, boolean codeFirst) {}

        /** Relative links to files beside the report: (label, relative path) pairs. */
        private record Links(String lead, List<String[]> links) {}

        Document(String title, String subtitle) {
            this(title, "Run directory", subtitle,
                    "Written by <code>./lossfloor report</code> from the files in the run directory.");
        }

        /** footerHtml is markup (a constant of the caller, never data from files). */
        Document(String title, String subtitleLabel, String subtitle, String footerHtml) {
            this.title = title;
            this.subtitleLabel = subtitleLabel;
            this.subtitle = subtitle;
            this.footerHtml = footerHtml;
        }

        void heading(String text) { blocks.add(new Heading(text)); }

        void subheading(String text) { blocks.add(new SubHeading(text)); }

        void paragraph(String text) { blocks.add(new Paragraph(text)); }

        void figure(String file, String alt) { blocks.add(new Figure(file, alt, null, LearningCurvePlot.WIDTH, LearningCurvePlot.HEIGHT)); }

        /** A figure with its own PNG bytes, embedded in the HTML; Markdown refers to {@code file}. */
        void figure(String file, String alt, byte[] png, int width, int height) { blocks.add(new Figure(file, alt, png, width, height)); }

        /** One line of links to files beside the report, e.g. a run's report.html; hrefs are relative paths. */
        void links(String lead, List<String[]> links) { blocks.add(new Links(lead, links)); }

        /** codeFirst: the first column holds keys, shown as code. */
        void table(List<String> header, List<List<String>> rows, boolean[] numeric, boolean codeFirst) {
            blocks.add(new Table(header, rows, numeric, codeFirst));
        }

        String markdown() {
            StringBuilder md = new StringBuilder();
            md.append("# ").append(md(title)).append("\n\n");
            md.append(md(subtitleLabel)).append(": ").append(mdCode(subtitle)).append("\n\n");
            for (Object b : blocks) {
                if (b instanceof Heading h) md.append("## ").append(md(h.text())).append("\n\n");
                else if (b instanceof SubHeading h) md.append("### ").append(md(h.text())).append("\n\n");
                else if (b instanceof Links l) {
                    md.append(md(l.lead()));
                    for (int i = 0; i < l.links().size(); i++)
                        md.append(i == 0 ? " " : " · ").append('[').append(md(l.links().get(i)[0])).append("](")
                                .append(href(l.links().get(i)[1])).append(')');
                    md.append("\n\n");
                }
                else if (b instanceof Paragraph p) md.append(md(p.text())).append("\n\n");
                else if (b instanceof Figure f) md.append("![").append(md(f.alt())).append("](").append(f.file()).append(")\n\n");
                else if (b instanceof Table t) {
                    md.append('|');
                    for (String h : t.header()) md.append(' ').append(md(h)).append(" |");
                    md.append("\n|");
                    for (int i = 0; i < t.header().size(); i++) md.append(t.numeric()[i] ? "---:|" : "---|");
                    md.append('\n');
                    for (List<String> row : t.rows()) {
                        md.append('|');
                        for (int i = 0; i < row.size(); i++)
                            md.append(' ').append(i == 0 && t.codeFirst() ? mdCode(row.get(i)) : md(row.get(i))).append(" |");
                        md.append('\n');
                    }
                    md.append('\n');
                }
            }
            return md.toString();
        }

        String html(byte[] png) {
            StringBuilder h = new StringBuilder();
            h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                    .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                    .append("<title>").append(html(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
            h.append("<h1>").append(html(title)).append("</h1>\n");
            h.append("<p class=\"run-dir\">").append(html(subtitleLabel)).append(": <code>").append(html(subtitle)).append("</code></p>\n");
            for (Object b : blocks) {
                if (b instanceof Heading x) h.append("<h2>").append(html(x.text())).append("</h2>\n");
                else if (b instanceof SubHeading x) h.append("<h3>").append(html(x.text())).append("</h3>\n");
                else if (b instanceof Links l) {
                    h.append("<p class=\"links\">").append(html(l.lead()));
                    for (int i = 0; i < l.links().size(); i++)
                        h.append(i == 0 ? " " : " · ").append("<a href=\"").append(html(href(l.links().get(i)[1]))).append("\">")
                                .append(html(l.links().get(i)[0])).append("</a>");
                    h.append("</p>\n");
                }
                else if (b instanceof Paragraph p) h.append("<p>").append(html(p.text())).append("</p>\n");
                else if (b instanceof Figure f)
                    h.append("<figure><img src=\"data:image/png;base64,")
                            .append(Base64.getEncoder().encodeToString(f.png() != null ? f.png() : png))
                            .append("\" alt=\"").append(html(f.alt())).append("\" width=\"").append(f.width())
                            .append("\" height=\"").append(f.height()).append("\"></figure>\n");
                else if (b instanceof Table t) {
                    h.append("<div class=\"table\"><table>\n<thead><tr>");
                    for (int i = 0; i < t.header().size(); i++)
                        h.append(t.numeric()[i] ? "<th class=\"num\">" : "<th>").append(html(t.header().get(i))).append("</th>");
                    h.append("</tr></thead>\n<tbody>\n");
                    for (List<String> row : t.rows()) {
                        h.append("<tr>");
                        for (int i = 0; i < row.size(); i++) {
                            h.append(t.numeric()[i] ? "<td class=\"num\">" : "<td>");
                            if (i == 0 && t.codeFirst()) h.append("<code>").append(html(row.get(i))).append("</code>");
                            else h.append(html(row.get(i)));
                            h.append("</td>");
                        }
                        h.append("</tr>\n");
                    }
                    h.append("</tbody>\n</table></div>\n");
                }
            }
            h.append("<footer>").append(footerHtml).append("</footer>\n");
            h.append("</main>\n</body>\n</html>\n");
            return h.toString();
        }

        private static final String CSS = """
                body { margin: 0; background: #f6f7f9; color: #1d232b; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
                main { max-width: 1140px; margin: 0 auto; padding: 24px 20px 40px; background: #fff; }
                h1 { font-size: 26px; margin: 0 0 4px; }
                h2 { font-size: 19px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d8dde3; }
                h3 { font-size: 16px; margin: 20px 0 6px; }
                .links { margin-top: 0; }
                p { max-width: 900px; }
                .run-dir { color: #555; margin-top: 0; overflow-wrap: anywhere; }
                code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
                figure { margin: 0; }
                img { display: block; max-width: 100%; height: auto; border: 1px solid #e3e6ea; }
                .table { overflow-x: auto; }
                table { border-collapse: collapse; margin: 4px 0 12px; font-size: 14px; }
                th, td { padding: 4px 12px; border-bottom: 1px solid #e6e9ed; text-align: left; vertical-align: top; overflow-wrap: break-word; }
                td:last-child { overflow-wrap: anywhere; }
                td:first-child { white-space: nowrap; }
                th { background: #eef1f5; font-weight: 600; white-space: nowrap; }
                td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
                tbody tr:nth-child(even) { background: #fafbfc; }
                footer { margin-top: 32px; color: #777; font-size: 13px; }
                """;

        /** A relative path as a link target: every byte but unreserved characters and '/' percent-encoded. */
        static String href(String relative) {
            StringBuilder out = new StringBuilder();
            for (byte b : relative.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xFF;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/=".indexOf(c) >= 0)
                    out.append((char) c);
                else out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
            return out.toString();
        }

        /** HTML text and attribute escaping. */
        static String html(String s) {
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '"' -> out.append("&quot;");
                    case '\'' -> out.append("&#39;");
                    default -> out.append(c);
                }
            }
            return out.toString();
        }

        /** Markdown text: one line, with Markdown and HTML syntax characters backslash-escaped. */
        static String md(String s) {
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\n' || c == '\r') out.append(' ');
                else if ("\\`*_[]<>|#!&~".indexOf(c) >= 0) out.append('\\').append(c);
                else out.append(c);
            }
            return out.toString();
        }

        /** A code span, or escaped text where a code span cannot hold the string safely. */
        static String mdCode(String s) {
            if (s.isEmpty() || s.contains("`") || s.contains("|") || s.contains("\n") || s.contains("\r")) return md(s);
            return "`" + s + "`";
        }
    }
}
