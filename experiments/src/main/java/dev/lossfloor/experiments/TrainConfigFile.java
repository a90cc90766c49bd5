package dev.lossfloor.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Training settings written as YAML: a map whose keys are the long option names of {@code train} without the dashes
 * ({@code layers: 2}, {@code no-tie: true}). The map becomes command-line arguments, so every value goes through the
 * same parsing and validation as a flag would.
 */
final class TrainConfigFile {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Options that make no sense inside a config file. */
    private static final Set<String> NOT_IN_FILES = Set.of("config", "resume", "help", "version", "stop-after");

    private TrainConfigFile() {}

    /** The options a config file may set, by name without dashes (every long option of train). */
    static Map<String, OptionSpec> trainOptions() {
        Map<String, OptionSpec> options = new TreeMap<>();
        for (OptionSpec o : new CommandLine(new TrainCommand()).getCommandSpec().options()) {
            String name = o.longestName();
            if (!name.startsWith("--")) continue;
            String key = name.substring(2);
            if (!NOT_IN_FILES.contains(key)) options.put(key, o);
        }
        return options;
    }

    /** Reads a YAML map from a file; an empty file (or one of comments only) is refused: it would silently mean the defaults. */
    static Map<String, Object> readMap(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("config " + file + " not found");
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Object value = text.isBlank() || onlyComments(text) ? null : YAML.readValue(text, Object.class);
            if (value == null || value instanceof Map<?, ?> m && m.isEmpty()) throw new IllegalArgumentException(empty("config " + file));
            if (!(value instanceof Map<?, ?> map))
                throw new IllegalArgumentException("config " + file + " must be a YAML map of train options (key: value), not a "
                        + (value instanceof List ? "list" : "single value"));
            return stringKeys(map, "config " + file);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("config " + file + " is not valid YAML: " + e.getOriginalMessage().replace('\n', ' ')
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage());
        }
    }

    /** A YAML document that must be a map, with string keys; one-line errors name {@code where}. */
    static Map<String, Object> yamlMap(String yaml, String where) {
        if (yaml.isBlank() || onlyComments(yaml))
            throw new IllegalArgumentException(where + " is empty (only blank lines or comments); it must be a YAML map");
        Object root;
        try {
            root = YAML.readValue(yaml, Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(where + " is not valid YAML: " + e.getOriginalMessage().replace('\n', ' '));
        }
        if (!(root instanceof Map<?, ?> rootMap)) throw new IllegalArgumentException(where + " must be a YAML map");
        return stringKeys(rootMap, where);
    }

    private static boolean onlyComments(String yaml) {
        return yaml.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#") || l.equals("---") || l.equals("..."));
    }

    private static String empty(String where) {
        return where + " is empty (no settings, only blank lines or comments); write train options as key: value lines"
                + " (e.g. layers: 2)";
    }

    static Map<String, Object> stringKeys(Map<?, ?> map, String where) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) m.put(String.valueOf(e.getKey()), e.getValue());
        return m;
    }

    /** Rejects a key that is not an option of train: one line naming the key, where it is, and a close valid key. */
    static void checkKeys(Map<String, ?> settings, String where) {
        Map<String, OptionSpec> options = trainOptions();
        for (String key : settings.keySet()) {
            String bare = key.startsWith("--") ? key.substring(2) : key;
            if (options.containsKey(bare)) continue;
            String close = closest(bare, options.keySet());
            throw new IllegalArgumentException(where + ": unknown key '" + key + "'" + (close != null
                    ? "; did you mean '" + close + "'?" : "; valid keys: " + String.join(", ", options.keySet())));
        }
    }

    /** The valid key nearest to a misspelt one (edit distance at most 2, or one a prefix of the other), or null. */
    static String closest(String key, Iterable<String> valid) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String v : valid) {
            int d = editDistance(key.toLowerCase(), v);
            if (d < bestDistance) {
                bestDistance = d;
                best = v;
            }
        }
        if (best != null && bestDistance <= Math.max(2, key.length() / 3)) return best;
        for (String v : valid) if (key.length() >= 3 && (v.startsWith(key) || key.startsWith(v))) return v;
        return null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The settings as train arguments ({@code --key value}, or {@code --flag} for a true boolean), in map order. */
    static List<String> toArguments(Map<String, ?> settings, String where) {
        checkKeys(settings, where);
        Map<String, OptionSpec> options = trainOptions();
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, ?> e : settings.entrySet()) {
            String key = e.getKey().startsWith("--") ? e.getKey().substring(2) : e.getKey();
            Object value = e.getValue();
            OptionSpec option = options.get(key);
            if (value == null)
                throw new IllegalArgumentException(where + ": '" + key + "' has no value; give one or leave the key out");
            if (value instanceof Map || value instanceof List)
                throw new IllegalArgumentException(where + ": '" + key + "' must be a single value, not a "
                        + (value instanceof Map ? "map" : "list"));
            if (option.arity().max() == 0) {
                Boolean on = value instanceof Boolean b ? b : "true".equalsIgnoreCase(String.valueOf(value)) ? Boolean.TRUE
                        : "false".equalsIgnoreCase(String.valueOf(value)) ? Boolean.FALSE : null;
                if (on == null)
                    throw new IllegalArgumentException(where + ": '" + key + "' is a switch; give true or false, not '" + value + "'");
                if (on) args.add("--" + key);
            } else {
                args.add("--" + key);
                args.add(render(value));
            }
        }
        return args;
    }

    /** A YAML scalar as a command-line value: numbers without exponent noise (3.0E-3 is written 0.003). */
    static String render(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf((long) d);
            return new BigDecimal(String.valueOf(d)).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    /** The train options named in an argument list (without dashes), aliases resolved. */
    static Set<String> optionsGiven(List<String> args) {
        CommandLine.Model.CommandSpec spec = new CommandLine(new TrainCommand()).getCommandSpec();
        Set<String> given = new LinkedHashSet<>();
        for (String a : args) {
            if (!a.startsWith("-")) continue;
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            OptionSpec o = spec.findOption(name);
            if (o != null) given.add(o.longestName().replaceFirst("^--?", ""));
        }
        return given;
    }

    /**
     * The file's settings as arguments placed before the command-line ones, for the options the command line does not
     * give (picocli rejects an option given twice), so that flags override the file.
     */
    static List<String> merge(Map<String, ?> fileSettings, String where, List<String> commandLine) {
        Set<String> given = optionsGiven(commandLine);
        Map<String, Object> kept = new LinkedHashMap<>();
        checkKeys(fileSettings, where);
        for (Map.Entry<String, ?> e : fileSettings.entrySet()) {
            String key = e.getKey().startsWith("--") ? e.getKey().substring(2) : e.getKey();
            if (!given.contains(key)) kept.put(key, e.getValue());
        }
        List<String> merged = new ArrayList<>(toArguments(kept, where));
        merged.addAll(commandLine);
        return merged;
    }
}
