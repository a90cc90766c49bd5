package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossfloor.experiments.report.MetricsLines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where a number of a lab comes from. The answer keys (resources/labs/labN.yaml) and the numbers quoted in the lab
 * sheets (labs/*.md) name their numbers the same way, as a small map:
 * <ul>
 *   <li>{@code {cli: "calc --p 0.9,0.1", find: 'H\(p\) .* = ([0-9.]+) bits'}}: run a lossfloor command in-process and take
 *       the first group of the first match (or of match {@code nth: N}) in what it prints; {@code ${NAME}} in the command
 *       is the run directory NAME of the answer file;</li>
 *   <li>{@code {run: NAME, metric: val_bpc, at: last}}: a key of the run's metrics.jsonl ({@code sub: DIR} for a run of
 *       an experiment); {@code at} is {@code last} (default), {@code first} (the step-0 evaluation where the run has one),
 *       {@code min}, {@code max}, {@code epoch N} (the full pass at the end of epoch N) or {@code argmin KEY} (the
 *       metric on the line where KEY is smallest); min, max and argmin look at full passes of the held-out split
 *       only; a metric {@code a/b} is a ratio;</li>
 *   <li>{@code {run: NAME, config: model.parameters}}: a number of the run's config.json;</li>
 *   <li>{@code {file: NAME/console.out, find: REGEX}}: a number in a file of the run directory (with {@code run}) or
 *       of the recorded outputs (labs/recorded, for the sheets);</li>
 *   <li>{@code recorded: lab3/context-2} instead of {@code run: NAME}: the same, read from labs/recorded.</li>
 * </ul>
 * Numbers may be printed with thousands separators (1,003,854). {@code scale: X} multiplies the number (e.g. 1.4426950408889634 =
 * 1/ln 2 turns nats into bits).
 */
final class LabNumbers {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> KEYS = Set.of("cli", "find", "nth", "run", "recorded", "sub", "metric", "at", "config", "file", "scale");

    /**
     * What the names in a spec refer to.
     *
     * @param runs     the answer file's run directories by name (empty for the sheets)
     * @param recorded the directory of recorded outputs (labs/recorded), or null
     * @param outputs  the output of every command run so far, by its arguments: several numbers often come from one
     *                 command (baselines, score), which then runs once
     */
    record Context(Map<String, Path> runs, Path recorded, Map<List<String>, LossfloorCli.Captured> outputs) {
        Context(Map<String, Path> runs, Path recorded) {
            this(runs, recorded, new java.util.HashMap<>());
        }
    }

    /** The output of one lossfloor command run in-process. */

    private LabNumbers() {}

    /** The run names a spec reads (its {@code run} and every ${NAME} of its command). */
    static List<String> runsNeeded(Map<String, Object> spec) {
        List<String> names = new ArrayList<>();
        if (spec.get("run") != null) names.add(String.valueOf(spec.get("run")));
        if (spec.get("cli") != null) {
            Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(String.join(" ", arguments(spec.get("cli"))));
            while (m.find()) if (!names.contains(m.group(1))) names.add(m.group(1));
        }
        return names;
    }

    /** Checks that a spec is well formed (keys, one source of the number, a valid pattern); where names it. */
    static void validate(Map<String, Object> spec, String where) {
        for (String k : spec.keySet())
            if (!KEYS.contains(k)) throw new IllegalArgumentException(where + ": unknown key '" + k + "' in a number's source; valid: " + KEYS);
        int kinds = (spec.get("cli") != null ? 1 : 0) + (spec.get("metric") != null ? 1 : 0) + (spec.get("config") != null ? 1 : 0)
                + (spec.get("file") != null ? 1 : 0);
        if (kinds != 1) throw new IllegalArgumentException(where + ": give exactly one of cli, metric, config, file");
        if ((spec.get("cli") != null || spec.get("file") != null) && spec.get("find") == null)
            throw new IllegalArgumentException(where + ": cli and file need find: a pattern with one group around the number");
        if ((spec.get("metric") != null || spec.get("config") != null) && spec.get("run") == null && spec.get("recorded") == null)
            throw new IllegalArgumentException(where + ": metric and config need run: NAME or recorded: DIR");
        if (spec.get("find") != null) {
            try {
                if (Pattern.compile(String.valueOf(spec.get("find"))).matcher("").groupCount() < 1)
                    throw new IllegalArgumentException(where + ": find needs one group (...) around the number");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(where + ": find is not a valid pattern: " + e.getDescription());
            }
        }
    }

    /** The number a spec names; an IllegalArgumentException (one line, naming where) when it cannot be found. */
    static double resolve(Map<String, Object> spec, Context context, String where) {
        validate(spec, where);
        double scale = spec.get("scale") instanceof Number n ? n.doubleValue() : 1;
        return scale * unscaled(spec, context, where);
    }

    private static double unscaled(Map<String, Object> spec, Context context, String where) {
        if (spec.get("cli") != null) {
            List<String> args = new ArrayList<>();
            for (String a : arguments(spec.get("cli"))) args.add(substitute(a, context, where));
            LossfloorCli.Captured r = context.outputs().get(args);
            if (r == null) {
                r = runCli(args.toArray(String[]::new));
                if (r.exitCode() == 0) context.outputs().put(List.copyOf(args), r);
            }
            if (r.exitCode() != 0)
                throw new IllegalArgumentException(where + ": ./lossfloor " + String.join(" ", args) + " failed (exit code "
                        + r.exitCode() + "): " + r.err().strip().replace('\n', ' '));
            return find(r.out(), spec, where + " (./lossfloor " + String.join(" ", args) + ")");
        }
        Path base = base(spec, context, where);
        if (spec.get("file") != null) {
            Path file = base.resolve(String.valueOf(spec.get("file")));
            return find(read(file), spec, where + " (" + file + ")");
        }
        if (spec.get("config") != null) return config(base.resolve(RunDirectory.CONFIG), String.valueOf(spec.get("config")), where);
        return metric(base.resolve(RunDirectory.METRICS), String.valueOf(spec.get("metric")),
                spec.get("at") == null ? "last" : String.valueOf(spec.get("at")), where);
    }

    private static Path base(Map<String, Object> spec, Context context, String where) {
        Path base;
        if (spec.get("run") != null) {
            String name = String.valueOf(spec.get("run"));
            base = context.runs().get(name);
            if (base == null) throw new IllegalArgumentException(where + ": needs the run directory '" + name + "'");
        } else if (spec.get("recorded") != null) {
            if (context.recorded() == null) throw new IllegalArgumentException(where + ": no recorded outputs here");
            base = context.recorded().resolve(String.valueOf(spec.get("recorded")));
        } else {
            if (context.recorded() == null) throw new IllegalArgumentException(where + ": no recorded outputs here");
            base = context.recorded();
        }
        return spec.get("sub") == null ? base : base.resolve(String.valueOf(spec.get("sub")));
    }

    private static String substitute(String arg, Context context, String where) {
        Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(arg);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Path dir = context.runs().get(m.group(1));
            if (dir == null) throw new IllegalArgumentException(where + ": needs the run directory '" + m.group(1) + "'");
            m.appendReplacement(sb, Matcher.quoteReplacement(dir.toString()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A command as a list of arguments: a YAML list as it is, a string split at spaces. */
    static List<String> arguments(Object cli) {
        if (cli instanceof List<?> list) return list.stream().map(String::valueOf).toList();
        return List.of(String.valueOf(cli).trim().split("\\s+"));
    }

    private static double find(String text, Map<String, Object> spec, String where) {
        Matcher m = Pattern.compile(String.valueOf(spec.get("find")), Pattern.MULTILINE).matcher(text);
        int nth = spec.get("nth") instanceof Number n ? n.intValue() : 1;
        for (int i = 1; m.find(); i++) if (i == nth) return number(m.group(1), where);
        throw new IllegalArgumentException(where + ": no " + (nth == 1 ? "" : "match " + nth + " of ") + "'" + spec.get("find")
                + "' in the output");
    }

    static double number(String s, String where) {
        try {
            return Double.parseDouble(s.replace(",", ""));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(where + ": '" + s + "' is not a number");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static double config(Path file, String dotted, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        for (String part : dotted.split("\\.")) node = node.path(part);
        if (!node.isNumber()) throw new IllegalArgumentException(where + ": " + file + " has no number at " + dotted);
        return node.asDouble();
    }

    private static double metric(Path file, String metric, String at, String where) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(where + ": " + file + " not found");
        List<JsonNode> rows = MetricsLines.read(file, "the run has not evaluated yet");
        String[] a = at.trim().split("\\s+");
        JsonNode row = switch (a[0]) {
            case "last" -> rows.get(rows.size() - 1);
            case "first" -> rows.get(0);
            case "min", "max" -> {
                JsonNode best = null;
                for (JsonNode r : fullPasses(rows)) {
                    double v = value(r, metric, file, where);
                    if (best == null || (a[0].equals("min") ? v < value(best, metric, file, where) : v > value(best, metric, file, where))) best = r;
                }
                yield best;
            }
            case "argmin" -> {
                if (a.length != 2) throw new IllegalArgumentException(where + ": write at: argmin KEY");
                JsonNode best = null;
                for (JsonNode r : fullPasses(rows)) if (best == null || value(r, a[1], file, where) < value(best, a[1], file, where)) best = r;
                yield best;
            }
            case "epoch" -> {
                if (a.length != 2) throw new IllegalArgumentException(where + ": write at: epoch N");
                JsonNode found = null;
                for (JsonNode r : rows) if (r.path("epoch").asText().equals(a[1]) && r.path("epoch_end").asBoolean(true)) found = r;
                if (found == null) throw new IllegalArgumentException(where + ": " + file + " has no evaluation of epoch " + a[1]);
                yield found;
            }
            default -> throw new IllegalArgumentException(where + ": at must be last, first, min, max, epoch N or argmin KEY, not '" + at + "'");
        };
        return value(row, metric, file, where);
    }

    /**
     * The evaluations of the whole held-out split (rows written before split_fraction existed are): min, max and
     * argmin compare only these, since a subset's value is another text's.
     */
    private static List<JsonNode> fullPasses(List<JsonNode> rows) {
        return rows.stream().filter(MetricsLines::fullPass).toList();
    }

    private static double value(JsonNode row, String metric, Path file, String where) {
        if (metric.contains("/")) {
            String[] parts = metric.split("/", 2);
            return value(row, parts[0].trim(), file, where) / value(row, parts[1].trim(), file, where);
        }
        JsonNode v = row.get(metric);
        if (v == null || !v.isNumber())
            throw new IllegalArgumentException(where + ": " + file + " has no number '" + metric + "' (line of step " + row.path("step") + ")");
        return v.asDouble();
    }

    /** Runs a lossfloor command in this JVM and captures what it prints; an I/O failure becomes a usage exit. */
    static LossfloorCli.Captured runCli(String... args) {
        try {
            return LossfloorCli.runCaptured(args);
        } catch (UncheckedIOException e) {
            return new LossfloorCli.Captured(LossfloorCli.EXIT_USAGE, "", e.getMessage());
        }
    }
}
