package dev.lossfloor.experiments;


import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named experiment: a base train config and a list of variants, each one training run. Shipped as YAML under
 * resources/experiments/NAME.yaml (readable in the repository as experiments/configs/NAME.yaml):
 * <pre>
 * name: context-vs-order
 * description: one paragraph for summary.md
 * base:    {source: "markov:order=3", layers: 2}   # train options without dashes
 * quick:   {max-steps: 20, synthetic-chars: 4000}   # applied over base with --quick
 * variants:
 *   - name: context-2
 *     set: {context: 2}                             # over base (and quick)
 *     quick: {epochs: 1}                            # optional, over set with --quick
 *     plateau: 2                                    # optional: the run should approach H_2 of the source
 *     note: free text for summary.md
 * </pre>
 */
record Experiment(String name, String description, Map<String, Object> base, Map<String, Object> quick, List<Variant> variants) {

    /** The experiments shipped with lossfloor, in the order `run --help` lists them. */
    static final List<String> BUILT_IN = List.of("entropy-floor", "context-vs-order", "data-size", "model-size", "tokenizers",
            "shakespeare-30min");
    private static final Set<String> TOP_KEYS = Set.of("name", "description", "base", "quick", "variants");
    private static final Set<String> VARIANT_KEYS = Set.of("name", "set", "quick", "plateau", "note");

    record Variant(String name, Map<String, Object> set, Map<String, Object> quick, Integer plateau, String note) {
        /** The settings this variant changes, as "key=value key=value" (the summary's "varied" column). */
        String varied() {
            List<String> parts = new ArrayList<>();
            set.forEach((k, v) -> parts.add(k + "=" + TrainConfigFile.render(v)));
            return parts.isEmpty() ? "-" : String.join(" ", parts);
        }
    }

    /** The resolved settings of one variant: base, then quick (with --quick), then the variant's own. */
    Map<String, Object> settings(Variant v, boolean quickRun) {
        Map<String, Object> s = new LinkedHashMap<>(base);
        if (quickRun) s.putAll(quick);
        s.putAll(v.set());
        if (quickRun) s.putAll(v.quick());
        return s;
    }

    /** Keys that choose the data; --corpus replaces them all. */
    private static final List<String> DATA_KEYS = List.of("corpus", "source", "synthetic-chars", "val");

    /** The same experiment on another corpus (a file or a named corpus): every data setting is replaced by it. */
    Experiment withCorpus(String corpus) {
        Map<String, Object> b = new LinkedHashMap<>(base);
        Map<String, Object> q = new LinkedHashMap<>(quick);
        DATA_KEYS.forEach(b::remove);
        DATA_KEYS.forEach(q::remove);
        b.put("corpus", corpus);
        List<Variant> vs = new ArrayList<>();
        for (Variant v : variants) {
            Map<String, Object> set = new LinkedHashMap<>(v.set());
            Map<String, Object> vq = new LinkedHashMap<>(v.quick());
            DATA_KEYS.forEach(set::remove);
            DATA_KEYS.forEach(vq::remove);
            vs.add(new Variant(v.name(), set, vq, v.plateau(), v.note()));
        }
        return new Experiment(name, description, b, q, vs);
    }

    /** Whether this experiment compares tokenizers: every variant sets --tokenizer (its summary is the tokenizer table). */
    boolean comparesTokenizers() {
        return variants.stream().allMatch(v -> v.set().containsKey("tokenizer"));
    }

    /**
     * One variant per tokenizer spec, in the order given (--tokenizers byte,bpe:512,gpt2), replacing the experiment's own;
     * the char tokenizer maps held-out characters unseen in training to &lt;unk&gt; (and is then marked not comparable).
     */
    Experiment withTokenizers(List<String> specs) {
        if (!comparesTokenizers())
            throw new IllegalArgumentException("--tokenizers applies to an experiment whose runs differ in the tokenizer (tokenizers),"
                    + " not " + name);
        List<Variant> vs = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String raw : specs) {
            String spec = dev.lossfloor.tokenizer.Tokenizers.parse(raw).toString();
            if (!seen.add(spec)) throw new IllegalArgumentException("--tokenizers names " + spec + " twice");
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("tokenizer", spec);
            if (spec.equals("char")) set.put("unk", true);
            vs.add(new Variant(spec.replace(':', '-'), set, new LinkedHashMap<>(), null, null));
        }
        if (vs.isEmpty()) throw new IllegalArgumentException("--tokenizers is empty; give e.g. byte,char,bpe:512,bpe:2048,gpt2");
        return new Experiment(name, description, base, quick, vs);
    }

    /** A built-in experiment by name, or a definition file (NAME ending in .yaml/.yml that exists). */
    static Experiment load(String nameOrFile) {
        Path file = Path.of(nameOrFile);
        if ((nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml")) && Files.isRegularFile(file)) {
            try {
                return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        if (!BUILT_IN.contains(nameOrFile))
            throw new IllegalArgumentException("unknown experiment '" + nameOrFile + "'; the experiments are: "
                    + String.join(", ", BUILT_IN) + " (or give a definition file NAME.yaml)");
        String resource = "/experiments/" + nameOrFile + ".yaml";
        try (InputStream in = Experiment.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("resource " + resource + " missing from the jar");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "experiment " + nameOrFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Experiment parse(String yaml, String where) {
        Map<String, Object> top = TrainConfigFile.yamlMap(yaml, where);
        for (String k : top.keySet())
            if (!TOP_KEYS.contains(k))
                throw new IllegalArgumentException(where + ": unknown key '" + k + "'; valid keys: " + String.join(", ", TOP_KEYS));
        String name = top.get("name") == null ? where : String.valueOf(top.get("name"));
        Map<String, Object> base = settingsMap(top.get("base"), where + " base");
        Map<String, Object> quick = settingsMap(top.get("quick"), where + " quick");
        if (!(top.get("variants") instanceof List<?> list) || list.isEmpty())
            throw new IllegalArgumentException(where + " needs a non-empty list 'variants'");
        List<Variant> variants = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> vm)) throw new IllegalArgumentException(where + ": every variant must be a map");
            Map<String, Object> v = TrainConfigFile.stringKeys(vm, where);
            String vName = String.valueOf(v.getOrDefault("name", "run-" + (variants.size() + 1)));
            for (String k : v.keySet())
                if (!VARIANT_KEYS.contains(k))
                    throw new IllegalArgumentException(where + " variant " + vName + ": unknown key '" + k + "'; valid keys: "
                            + String.join(", ", VARIANT_KEYS));
            if (!vName.matches("[A-Za-z0-9._=-]+"))
                throw new IllegalArgumentException(where + ": variant name '" + vName + "' must be letters, digits, . _ = -");
            Integer plateau = v.get("plateau") instanceof Number n ? n.intValue() : null;
            variants.add(new Variant(vName, settingsMap(v.get("set"), where + " variant " + vName),
                    settingsMap(v.get("quick"), where + " variant " + vName + " quick"), plateau,
                    v.get("note") == null ? null : String.valueOf(v.get("note"))));
        }
        return new Experiment(name, top.get("description") == null ? "" : String.valueOf(top.get("description")).strip(),
                base, quick, variants);
    }

    private static Map<String, Object> settingsMap(Object value, String where) {
        if (value == null) return new LinkedHashMap<>();
        if (!(value instanceof Map<?, ?> m)) throw new IllegalArgumentException(where + " must be a map of train options");
        Map<String, Object> s = TrainConfigFile.stringKeys(m, where);
        TrainConfigFile.checkKeys(s, where);
        return s;
    }
}
