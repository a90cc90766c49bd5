package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
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
            JsonNode config = read(run.resolve(RunDirectory.CONFIG));
            JsonNode manifest = read(run.resolve("manifest.json"));
            JsonNode last = lastMetrics(run.resolve(RunDirectory.METRICS));
            String status = manifest == null ? "?" : manifest.path("status").asText("?");
            JsonNode data = config == null ? null : config.path("data");
            String what = data == null ? "?" : data.has("source") ? data.get("source").asText()
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

    private static JsonNode read(Path file) {
        try {
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode lastMetrics(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return null;
        List<String> lines = Files.readAllLines(file);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).isBlank()) continue;
            try {
                return JSON.readTree(lines.get(i));
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }
}
