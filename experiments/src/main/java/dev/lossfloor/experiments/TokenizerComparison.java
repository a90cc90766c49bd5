package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossfloor.experiments.report.MetricsLines;
import dev.lossfloor.experiments.report.TokenizerPlot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The summary of an experiment whose runs differ only in the tokenizer: one row per tokenizer (vocabulary, bytes per
 * token, parameters, held-out loss per token and per byte), how each context length was chosen, the chart of
 * perplexity per token next to bits per byte, and one sentence with the lesson.
 */
final class TokenizerComparison {
    static final String PNG = "tokenizers.png";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerComparison() {}

    /** One finished run. */
    record Row(String name, String tokenizer, int vocab, double bytesPerToken, int context, String contextChoice,
               long parameters, double valNll, double valPpl, double valBpc, double valBpb, double unkRate,
               boolean comparable, long steps, double seconds, double tokenizerSeconds) {}

    record Written(Path markdown, Path csv, Path png, String lesson, List<Row> rows) {}

    static Written write(Path dir, Experiment experiment, boolean quick) {
        List<Row> rows = new ArrayList<>();
        for (Experiment.Variant v : experiment.variants()) rows.add(read(dir.resolve(v.name()), v.name()));
        String lesson = lesson(rows);
        String data = dataName(dir.resolve(experiment.variants().get(0).name()));

        List<String> header = List.of("tokenizer", "vocab_size", "bytes_per_token", "context_tokens", "parameters", "val_nll",
                "val_ppl", "val_bpc", "val_bpb", "val_unk_rate", "bpc_comparable", "steps", "seconds", "tokenizer_seconds",
                "context_choice");
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (Row r : rows)
            csv.append(String.join(",", List.of(r.tokenizer(), String.valueOf(r.vocab()), f(r.bytesPerToken(), 4),
                    String.valueOf(r.context()), String.valueOf(r.parameters()), f(r.valNll(), 4), f(r.valPpl(), 3),
                    f(r.valBpc(), 4), f(r.valBpb(), 4), f(r.unkRate(), 5), String.valueOf(r.comparable()),
                    String.valueOf(r.steps()), f(r.seconds(), 1), f(r.tokenizerSeconds(), 2),
                    "\"" + r.contextChoice().replace("\"", "\"\"") + "\""))).append('\n');

        StringBuilder md = new StringBuilder("# Experiment: ").append(experiment.name()).append(quick ? " (--quick)" : "")
                .append(" on ").append(data).append("\n\n");
        if (!experiment.description().isEmpty()) md.append(experiment.description()).append("\n\n");
        if (quick) md.append("Run with `--quick`: every run shrunk to a few steps, so the numbers only show that the pipeline "
                + "works.\n\n");
        md.append("**").append(lesson).append("**\n\n");
        md.append("| tokenizer | vocab | bytes/token | context (tokens) | parameters | val nats/token | val perplexity/token "
                + "| val bits/char | val bits/byte | time (s) |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            String mark = r.comparable() ? "" : " *";
            md.append(String.format(Locale.ROOT, "| %s | %,d | %.3f | %d | %,d | %.4f | %.2f | %.4f%s | %.4f%s | %.0f |%n",
                    r.tokenizer(), r.vocab(), r.bytesPerToken(), r.context(), r.parameters(), r.valNll(), r.valPpl(),
                    r.valBpc(), mark, r.valBpb(), mark, r.seconds()));
        }
        md.append("\nEvery run: the same model shape and ").append(rows.get(0).steps())
                .append(" training steps; the held-out split is scored whole (every token but the first, sliding windows). "
                        + "bytes/token is measured on the training split; time is the run's training and evaluation, "
                        + "without learning the tokenizer. Parameters differ only by the token embedding (vocabulary x width) "
                        + "and the position embedding (context x width).\n");
        if (rows.stream().anyMatch(r -> !r.comparable()))
            md.append("\n\\* Not comparable: held-out text was replaced by `<unk>` (")
                    .append(String.join(", ", rows.stream().filter(r -> !r.comparable())
                            .map(r -> String.format(Locale.ROOT, "%s: %.2f%% of the held-out tokens", r.tokenizer(), 100 * r.unkRate()))
                            .toList()))
                    .append("), so the model never pays for spelling that text and its bits/char and bits/byte are too low.\n");
        md.append("\nThe context of each run, the same text in bytes as nearly as the tokenizer allows:\n\n");
        for (Row r : rows) md.append("- ").append(r.tokenizer()).append(": ").append(r.contextChoice()).append('\n');
        md.append("\n`").append(PNG).append("`: perplexity per token (left, log scale) next to bits per byte (right). Each run's "
                + "directory (").append(String.join(", ", rows.stream().map(r -> r.name() + "/").toList()))
                .append(") holds its config.json, tokenizer.json, metrics.jsonl and report.\n");

        Path mdFile = dir.resolve(ExperimentRunner.SUMMARY_MD), csvFile = dir.resolve(ExperimentRunner.SUMMARY_CSV), png = dir.resolve(PNG);
        try {
            Files.writeString(csvFile, csv.toString(), StandardCharsets.UTF_8);
            Files.writeString(mdFile, md.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the summary in " + dir + ": " + e.getMessage(), e);
        }
        TokenizerPlot.write(png, experiment.name() + " on " + data, rows.stream().map(r -> new TokenizerPlot.Bar(
                r.tokenizer(), r.valPpl(), r.valBpb(), r.comparable())).toList());
        return new Written(mdFile, csvFile, png, lesson, rows);
    }

    /** The lesson in one sentence, with the measured numbers. */
    static String lesson(List<Row> rows) {
        Row lowPpl = rows.stream().min(Comparator.comparingDouble(Row::valPpl)).orElseThrow();
        Row highPpl = rows.stream().max(Comparator.comparingDouble(Row::valPpl)).orElseThrow();
        List<Row> comparable = rows.stream().filter(Row::comparable).toList();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Perplexity per token ranges from %.2f (%s, %.2f bytes/token) to %.2f (%s, %.2f bytes/token), a factor of %.0f",
                lowPpl.valPpl(), lowPpl.tokenizer(), lowPpl.bytesPerToken(), highPpl.valPpl(), highPpl.tokenizer(),
                highPpl.bytesPerToken(), highPpl.valPpl() / lowPpl.valPpl()));
        if (comparable.size() >= 2) {
            Row best = comparable.stream().min(Comparator.comparingDouble(Row::valBpb)).orElseThrow();
            Row worst = comparable.stream().max(Comparator.comparingDouble(Row::valBpb)).orElseThrow();
            s.append(String.format(Locale.ROOT, ", while bits per byte of the same held-out text range from %.3f (%s) to "
                    + "%.3f (%s), a factor of %.2f", best.valBpb(), best.tokenizer(), worst.valBpb(), worst.tokenizer(),
                    worst.valBpb() / best.valBpb()));
            s.append(best.tokenizer().equals(lowPpl.tokenizer()) ? "" : String.format(Locale.ROOT,
                    ", and the lowest perplexity (%s) is not the best model of the text (%s)", lowPpl.tokenizer(), best.tokenizer()));
        }
        s.append(": a token is a different amount of text for each tokenizer, so compare models by bits per byte, not by "
                + "per-token perplexity");
        if (comparable.size() < rows.size())
            s.append(" (").append(String.join(", ", rows.stream().filter(r -> !r.comparable()).map(Row::tokenizer).toList()))
                    .append(" left out: <unk> makes its bits per byte too low)");
        return s.append('.').toString();
    }

    static Row read(Path runDir, String name) {
        try {
            JsonNode config = JSON.readTree(runDir.resolve(RunDirectory.CONFIG).toFile());
            List<JsonNode> lines = MetricsLines.read(runDir.resolve(RunDirectory.METRICS), "the run did not finish an evaluation");
            JsonNode last = lines.get(lines.size() - 1);
            JsonNode model = config.path("model");
            String choice = config.path("context_choice").asText(null);
            int context = model.path("context").asInt();
            if (choice == null) choice = context + " tokens (--context, not chosen from bytes)";
            return new Row(name, config.path("tokenizer").asText(), config.path("vocab_size").asInt(),
                    config.path("train_bytes_per_token").asDouble(Double.NaN), context, choice,
                    model.path("parameters").asLong(), last.path("val_nll").asDouble(), last.path("val_ppl").asDouble(),
                    last.path("val_bpc").asDouble(), last.path("val_bpb").asDouble(), last.path("val_unk_rate").asDouble(0),
                    last.path("bpc_comparable").asBoolean(true), last.path("step").asLong(), last.path("elapsed_s").asDouble(),
                    config.path("tokenizer_seconds").asDouble(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run in " + runDir + ": " + e.getMessage(), e);
        }
    }

    private static String dataName(Path runDir) {
        try {
            JsonNode data = JSON.readTree(runDir.resolve(RunDirectory.CONFIG).toFile()).path("data");
            if (data.has("corpus")) return Path.of(data.path("corpus").asText()).getFileName().toString();
            if (data.has("name")) return data.path("name").asText();
            return data.path("source").asText("the data");
        } catch (IOException e) {
            return "the data";
        }
    }

    private static String f(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
