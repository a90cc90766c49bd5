package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lossfloor.experiments.report.MetricsLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Reruns a run from the command line recorded in its config.json into a new directory and compares metrics.jsonl
 * field by field (elapsed_s aside): same settings, seed, backend and thread count must give the same bits.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Rerun a run from its recorded settings into a new directory and say whether the metrics match.")
final class ReproduceCommand implements Callable<Integer> {
    /** Exit code when the rerun's metrics differ. */
    static final int EXIT_MISMATCH = 1;

    @Parameters(paramLabel = "DIR", description = "run directory written by ./lossfloor train")
    Path runDir;
    @Option(names = "--out", paramLabel = "DIR", description = "where the rerun goes (default: DIR-reproduced)")
    Path out;

    @Override
    public Integer call() throws IOException {
        RunDirectory original = RunDirectory.open(runDir);
        Map<String, Object> config = original.readConfig();
        if (!(config.get("arguments") instanceof List<?> recorded) || recorded.isEmpty())
            throw new IllegalArgumentException(runDir.resolve(RunDirectory.CONFIG) + " records no arguments (an older lossfloor wrote it); it cannot be reproduced");
        Path target = out != null ? out : runDir.resolveSibling(runDir.getFileName() + "-reproduced");
        // as train --out does, an existing directory is refused: an earlier reproduction stays as it was
        if (Files.exists(target))
            throw new IllegalArgumentException(target + " already exists" + (out == null ? " (an earlier reproduce of " + runDir + ")" : "")
                    + "; pass --out NEW_DIR or delete it");
        List<String> args = new ArrayList<>();
        for (Object a : recorded) args.add(String.valueOf(a));
        if (args.get(0).equals("train")) args.remove(0);
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--out") && i + 1 < args.size()) {
                args.remove(i + 1);
                args.remove(i);
                i--;
            } else if (args.get(i).startsWith("--out=")) {
                args.remove(i--);
            }
        }
        RunDirectory.keepEvaluationCadence(config, args);
        args.add("--out");
        args.add(target.toString());
        System.out.println("reproducing " + runDir + " into " + target + ": train " + String.join(" ", args));
        TrainCommand rerun = new TrainCommand();
        try {
            new CommandLine(rerun).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(runDir.resolve(RunDirectory.CONFIG) + " records arguments this lossfloor rejects: "
                    + e.getMessage() + "; reproduce it with the version that wrote it");
        }
        rerun.reproducing = runDir;
        int code = rerun.call();
        if (code != 0) return code;

        List<JsonNode> a = MetricsLines.read(runDir.resolve(RunDirectory.METRICS), "nothing to compare");
        List<JsonNode> b = MetricsLines.read(target.resolve(RunDirectory.METRICS), "nothing to compare");
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i >= a.size() || i >= b.size()) {
                System.out.printf("DIFFERENT: the original has %d evaluations, the rerun %d%n", a.size(), b.size());
                return EXIT_MISMATCH;
            }
            String diff = firstDifference((ObjectNode) a.get(i), (ObjectNode) b.get(i));
            if (diff != null) {
                System.out.printf("DIFFERENT at evaluation %d (line %d of metrics.jsonl): %s%n", i + 1, i + 1, diff);
                return EXIT_MISMATCH;
            }
        }
        System.out.printf("IDENTICAL: all %d evaluations match to the last bit (elapsed_s aside)%n", a.size());
        return 0;
    }

    private static String firstDifference(ObjectNode x, ObjectNode y) {
        x.remove("elapsed_s");
        y.remove("elapsed_s");
        for (Iterator<String> it = x.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            JsonNode u = x.get(key), v = y.get(key);
            if (!u.equals(v)) return key + " was " + u + ", now " + v;
        }
        return x.size() == y.size() ? null : "the rerun has other keys: " + y.fieldNames();
    }
}
