package dev.lossfloor.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a run's metrics.jsonl: one JSON object per evaluation, with one-line errors naming the line. */
public final class MetricsLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsLines() {}

    /**
     * The evaluations in order; each must be a JSON object with numeric "step" and "val_bpc".
     *
     * @param whatFor completes "... holds no evaluation yet; " (e.g. "plot again after the run's first evaluation")
     */
    public static List<JsonNode> read(Path file, String whatFor) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<JsonNode> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String where = file + " line " + (i + 1);
            JsonNode row;
            try {
                row = JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException(where + " is not valid JSON; each line must be one JSON object as ./lossfloor train writes it");
            }
            if (row == null || !row.isObject())
                throw new IllegalArgumentException(where + " is not a JSON object; each line must be one evaluation as ./lossfloor train writes it");
            for (String key : new String[]{"step", "val_bpc"})
                if (!row.path(key).isNumber())
                    throw new IllegalArgumentException(where + " lacks the number \"" + key + "\"; it must hold the keys "
                            + "./lossfloor train writes (see docs/run-directory.md)");
            rows.add(row);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException(file + " holds no evaluation yet; " + whatFor);
        return rows;
    }

    /**
     * Whether a row scored the whole held-out split: only these compare with each other to the last digit. Rows
     * written before split_fraction existed are full passes (epoch ends only).
     */
    public static boolean fullPass(JsonNode row) {
        return row.path("split_fraction").asDouble(1.0) == 1.0;
    }
}
