package dev.lossfloor.experiments;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lossfloor.experiments.report.MetricsLines;
import dev.lossfloor.trainer.Checkpoint;
import dev.lossfloor.trainer.EpochMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** A run's directory: config.json (every resolved setting), metrics.jsonl (one line per evaluation), the checkpoint. */
final class RunDirectory {
    static final String CONFIG = "config.json";
    static final String METRICS = "metrics.jsonl";
    // snake_case like metrics.jsonl, for records such as the baselines report
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
    private static final ObjectMapper JSON_LINE = new ObjectMapper();

    /** The end of the one-line error when a second writer asks for a run directory that a live process writes. */
    static final String OUT_BUSY = "wait for it or choose another --out";
    /** The same for --resume of a run that is still training. */
    static final String RESUME_BUSY = "the run is still training: wait for it to end (or stop it with Ctrl-C) before --resume";

    private final Path dir;
    private final RunLock lock;

    private RunDirectory(Path dir, RunLock lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /**
     * A new run directory, the given one or runs/&lt;timestamp&gt;-&lt;name&gt;, locked by this process (see {@link RunLock}):
     * the lock is taken before the check for an existing run, so two writers that start together cannot both pass it.
     */
    static RunDirectory create(Path requested, String name) {
        Path dir = requested;
        if (dir == null) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            dir = Path.of("runs", stamp + "-" + name);
            for (int i = 2; Files.exists(dir); i++) dir = Path.of("runs", stamp + "-" + name + "-" + i);
        }
        try {
            if (Files.isRegularFile(dir))
                throw new IllegalArgumentException("--out " + dir + " is a file; give a directory");
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
        RunLock lock = RunLock.acquire(dir, OUT_BUSY);
        if (Files.exists(dir.resolve(METRICS)) || Files.exists(dir.resolve(Checkpoint.FILE_NAME))) {
            lock.close();
            throw new IllegalArgumentException("--out " + dir + " already holds a run; choose a new directory");
        }
        return new RunDirectory(dir, lock);
    }

    /**
     * An existing run directory taken over by a resumed run: locked by this process (a live writer is refused), and rid
     * of the temporary files a killed writer left behind.
     */
    static RunDirectory resume(Path dir) {
        open(dir);
        RunLock lock = RunLock.acquire(dir, RESUME_BUSY);
        try {
            RunLock.removeStaleTemporaryFiles(dir);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        return new RunDirectory(dir, lock);
    }

    /** Releases the run's lock (where this process holds one); the OS releases it anyway when the process ends. */
    void release() {
        if (lock != null) lock.close();
    }

    static RunDirectory open(Path dir) {
        if (!Files.isDirectory(dir))
            throw new IllegalArgumentException("--run " + dir + " is not a directory; give a directory written by ./lossfloor train");
        if (!Files.isRegularFile(dir.resolve(CONFIG)))
            throw new IllegalArgumentException(dir.resolve(CONFIG) + " not found; give a directory written by ./lossfloor train");
        return new RunDirectory(dir, null);
    }

    Path path() { return dir; }

    Path checkpoint() { return dir.resolve(Checkpoint.FILE_NAME); }

    Path bestCheckpoint() { return dir.resolve(Checkpoint.BEST_FILE_NAME); }

    /** The checkpoint a command reads: the last one, or with --best the best one, which must exist. */
    Path checkpoint(boolean best) {
        if (!best) return checkpoint();
        if (!Files.isRegularFile(bestCheckpoint()))
            throw new IllegalArgumentException(bestCheckpoint() + " not found: the run has finished no full held-out evaluation"
                    + " yet, or an older lossfloor wrote it; leave out --best to use " + Checkpoint.FILE_NAME);
        return bestCheckpoint();
    }

    /**
     * The lowest val_nll of the full-pass evaluations in metrics.jsonl (rows without split_fraction are full passes),
     * or +infinity where there is none: what checkpoint-best.bin holds, and what a resumed run must beat.
     */
    double bestFullPassValNll() {
        Path file = dir.resolve(METRICS);
        double best = Double.POSITIVE_INFINITY;
        try {
            if (!Files.exists(file) || Files.readString(file, StandardCharsets.UTF_8).isBlank()) return best;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (com.fasterxml.jackson.databind.JsonNode row : MetricsLines.read(file, "nothing to resume from"))
            if (MetricsLines.fullPass(row) && row.path("val_nll").isNumber()) best = Math.min(best, row.path("val_nll").asDouble());
        return best;
    }

    void writeConfig(Map<String, Object> config) {
        writeAtomically(dir.resolve(CONFIG), json(config));
    }

    Map<String, Object> readConfig() {
        try {
            return JSON.readValue(dir.resolve(CONFIG).toFile(), new TypeReference<>() {});
        } catch (IOException e) {
            throw new IllegalArgumentException(dir.resolve(CONFIG) + " is not valid JSON (" + e.getMessage().split("\n")[0] + ")");
        }
    }

    void appendMetrics(EpochMetrics metrics) {
        appendMetrics(metrics, Map.of());
    }

    /** Appends one metrics line: the contract's keys in their order, then {@code extra} keys (never renaming one). */
    void appendMetrics(EpochMetrics metrics, Map<String, Object> extra) {
        try {
            Map<String, Object> m = new java.util.LinkedHashMap<>(metrics.toJsonMap());
            extra.forEach(m::putIfAbsent);
            String line = JSON_LINE.writeValueAsString(m) + "\n";
            Files.writeString(dir.resolve(METRICS), line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.resolve(METRICS) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Pins a run's evaluation cadence in its recorded arguments: a run whose config.json has no training.eval_every
     * was written by a lossfloor that evaluated at epoch ends only, so resuming or reproducing it must too.
     */
    static void keepEvaluationCadence(Map<String, Object> config, java.util.List<String> arguments) {
        boolean recorded = config.get("training") instanceof Map<?, ?> training && training.containsKey("eval_every");
        boolean given = arguments.stream().anyMatch(a -> a.equals("--eval-every") || a.startsWith("--eval-every="));
        if (!recorded && !given) {
            arguments.add("--eval-every");
            arguments.add("0");
        }
    }

    /** Writes any JSON-friendly value (maps, records) to a file, atomically. */
    static void writeJson(Path file, Object value) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + parent + ": " + e.getMessage(), e);
        }
        writeAtomically(file.toAbsolutePath(), json(value));
    }

    /** Writes a map as indented JSON (its keys as they are), atomically. */
    static void writeJsonMap(Path file, Map<String, Object> map) {
        try {
            writeAtomically(file.toAbsolutePath(), JSON_LINE.writerWithDefaultPrettyPrinter().writeValueAsString(map) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a JSON object; a missing or malformed file is a one-line error. */
    static Map<String, Object> readJsonMap(Path file) {
        try {
            return JSON_LINE.readValue(file.toFile(), new TypeReference<>() {});
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a readable JSON object (" + e.getMessage().split("\n")[0] + ")");
        }
    }

    /**
     * Drops metrics lines written after a checkpoint's step: a resumed run writes them again, identically. An
     * unparseable last line is a line torn by a crash mid-append and is dropped too (the resumed run rewrites it); an
     * unparseable line before it is damage this cannot repair, reported with its line number.
     */
    void truncateMetricsAfter(long step) {
        Path file = dir.resolve(METRICS);
        if (!Files.exists(file)) return;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text; restore it or start the run again");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank()) last--;
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i <= last; i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            com.fasterxml.jackson.databind.JsonNode row;
            try {
                row = JSON_LINE.readTree(line);
            } catch (IOException e) {
                row = null;
            }
            if (row == null || !row.path("step").canConvertToLong()) {
                if (i == last) break; // torn by a crash mid-append
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is not a metrics record (" + abbreviate(line)
                        + "); delete that line or start the run again");
            }
            if (row.path("step").asLong() <= step) kept.append(line).append('\n');
        }
        writeAtomically(file, kept.toString());
    }

    private static String abbreviate(String line) {
        return line.length() <= 40 ? line : line.substring(0, 40) + "...";
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeAtomically(Path file, String content) {
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
            Checkpoint.makeReadable(tmp);
            try {
                Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.SYNC);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("run directory " + file.getParent() + " disappeared", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
