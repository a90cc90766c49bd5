package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** Lists run directories with their status and final held-out numbers. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List run directories with their status and final val bits/char.")
final class RunsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "0..1", paramLabel = "DIR", defaultValue = "runs", description = "where runs are kept (default: ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dir))
            throw new IllegalArgumentException(dir + " is not a directory; runs are written to ./runs by default (train --out DIR)");
        List<Path> runs;
        try (Stream<Path> s = Files.list(dir)) {
            runs = s.filter(p -> Files.isRegularFile(p.resolve(RunDirectory.CONFIG))).sorted().toList();
        }
        System.out.printf("%-44s %-12s %6s %7s %9s %9s  %s%n", "run", "status", "epoch", "step", "val_bpc", "gap_bpc", "data");
        for (Path run : runs) {
            String[] problem = {null};
            JsonNode config = read(run.resolve(RunDirectory.CONFIG), problem);
            JsonNode manifest = read(run.resolve("manifest.json"), problem);
            JsonNode last = lastMetrics(run.resolve(RunDirectory.METRICS), problem);
            String status = problem[0] != null ? "unreadable" : manifest == null ? "?" : manifest.path("status").asText("?");
            // "running" in the manifest is only true while the writer holds the run's lock (a kill -9 leaves "running")
            if (status.equals("running") && RunLock.state(run) == RunLock.State.DEAD) status = "dead";
            JsonNode data = config == null ? null : config.path("data");
            String what = problem[0] != null ? problem[0] : data == null ? "?" : data.has("source") ? data.get("source").asText()
                    : data.has("name") ? data.get("name").asText() : data.path("corpus").asText("?");
            System.out.printf("%-44s %-12s %6s %7s %9s %9s  %s%n", run.getFileName(), status,
                    last == null ? "-" : last.path("epoch").asText(), last == null ? "-" : last.path("step").asText(),
                    last == null ? "-" : String.format("%.4f", last.path("val_bpc").asDouble()),
                    last == null || last.path("gap_bpc").isNull() ? "-" : String.format("%.4f", last.path("gap_bpc").asDouble()),
                    what);
        }
        if (runs.isEmpty()) System.out.println("(no runs in " + dir + ")");
        return 0;
    }

    /** A JSON file, or null where it is missing; one that cannot be read or parsed is recorded in {@code problem}. */
    private static JsonNode read(Path file, String[] problem) {
        if (!Files.isRegularFile(file)) return null;
        try {
            return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            note(problem, file, e);
            return null;
        }
    }

    /**
     * The last line of metrics.jsonl, or null where there is none; a torn last line (a crash mid-append) is skipped,
     * as --resume drops it. A file that is not UTF-8 or cannot be read is recorded in {@code problem}.
     */
    private static JsonNode lastMetrics(Path file, String[] problem) {
        if (!Files.isRegularFile(file)) return null;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            note(problem, file, e);
            return null;
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).isBlank()) continue;
            try {
                JsonNode row = JSON.readTree(lines.get(i));
                if (row != null && row.isObject()) return row;
            } catch (IOException e) {
                // a torn line: the one before it is the last whole record
            }
        }
        return null;
    }

    private static void note(String[] problem, Path file, IOException e) {
        if (problem[0] != null) return;
        String why = e instanceof CharacterCodingException ? "is not UTF-8"
                : e instanceof com.fasterxml.jackson.core.JsonProcessingException ? "is not valid JSON"
                : "cannot be read (" + e.getMessage() + ")";
        problem[0] = file.getFileName() + " " + why;
    }
}
