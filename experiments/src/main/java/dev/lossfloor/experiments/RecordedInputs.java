package dev.lossfloor.experiments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SHA-256 of every input a run recorded, checked against the inputs as they are now: {@code --resume} continues
 * and {@code reproduce} repeats a run only on the text it was trained on, since other text gives other numbers under
 * the same settings. The check runs before anything is written, so a refused run keeps its recorded hashes.
 */
final class RecordedInputs {
    static final String MANIFEST = "manifest.json";

    private RecordedInputs() {}

    /**
     * Refuses inputs that differ from the ones the run in {@code runDir} recorded: one line naming the input, where its
     * hash is recorded, both hashes and what to do ({@code startNew} names the way out, e.g. "start a new run").
     */
    static void check(Path runDir, PreparedData now, String startNew) {
        Recorded recorded = recorded(runDir);
        if (recorded == null) return;
        List<Map.Entry<String, String>> was = new ArrayList<>(recorded.sha256().entrySet());
        List<Map.Entry<String, String>> is = new ArrayList<>(now.dataSha256().entrySet());
        for (int i = 0; i < was.size(); i++) {
            Map.Entry<String, String> w = was.get(i);
            // the same arguments give the same inputs in the same order; a path read from another directory has another name
            Map.Entry<String, String> n = now.dataSha256().containsKey(w.getKey())
                    ? Map.entry(w.getKey(), now.dataSha256().get(w.getKey())) : i < is.size() ? is.get(i) : null;
            if (n == null)
                throw new IllegalArgumentException(w.getKey() + " is no longer an input of the run (recorded in " + recorded.file()
                        + " with SHA-256 " + w.getValue() + "); " + startNew);
            if (n.getValue().equals(w.getValue())) continue;
            boolean generated = w.getKey().startsWith("generated ");
            String name = n.getKey().equals(w.getKey()) ? n.getKey() : n.getKey() + " (recorded as " + w.getKey() + ")";
            throw new IllegalArgumentException((generated ? "the " : "") + name + " has changed since the run: SHA-256 was "
                    + w.getValue() + " (recorded in " + recorded.file() + "), is now " + n.getValue() + "; " + (generated
                    ? "a different lossfloor generated it (the run's was " + recorded.version() + "): use that version or " + startNew
                    : "restore the file or " + startNew));
        }
    }

    private record Recorded(Path file, Map<String, String> sha256, String version) {}

    /** manifest.json's data_sha256, or for a run without one the hashes in config.json's "data"; null where neither has any. */
    @SuppressWarnings("unchecked")
    private static Recorded recorded(Path runDir) {
        Path manifest = runDir.resolve(MANIFEST);
        if (Files.isRegularFile(manifest)) {
            Map<String, Object> m = RunDirectory.readJsonMap(manifest);
            if (m.get("data_sha256") instanceof Map<?, ?> sha && !sha.isEmpty())
                return new Recorded(manifest, strings((Map<String, Object>) sha), String.valueOf(m.get("lossfloor_version")));
        }
        Path config = runDir.resolve(RunDirectory.CONFIG);
        Map<String, Object> c = RunDirectory.readJsonMap(config);
        if (!(c.get("data") instanceof Map<?, ?> data)) return null;
        Map<String, String> sha = new LinkedHashMap<>();
        if (data.get("files_sha256") instanceof Map<?, ?> files) sha.putAll(strings((Map<String, Object>) files));
        if (data.get("corpus_sha256") != null) sha.put(String.valueOf(data.get("corpus")), String.valueOf(data.get("corpus_sha256")));
        if (data.get("val_sha256") != null) sha.put(String.valueOf(data.get("val")), String.valueOf(data.get("val_sha256")));
        return sha.isEmpty() ? null : new Recorded(config, sha, String.valueOf(c.get("lossfloor_version")));
    }

    private static Map<String, String> strings(Map<String, Object> map) {
        Map<String, String> s = new LinkedHashMap<>();
        map.forEach((k, v) -> s.put(k, String.valueOf(v)));
        return s;
    }
}
