package dev.lossfloor.experiments;

import dev.lossfloor.data.DataException;
import dev.lossfloor.data.MarkovSource;
import dev.lossfloor.data.Sources;
import dev.lossfloor.data.SyntheticSource;
import dev.lossfloor.data.Split;
import dev.lossfloor.data.Splits;
import dev.lossfloor.data.TextFiles;
import dev.lossfloor.data.corpora.CorpusRegistry;
import dev.lossfloor.data.corpora.CorpusSplit;
import dev.lossfloor.data.corpora.CorpusStore;
import dev.lossfloor.data.corpora.NamedCorpus;
import dev.lossfloor.data.corpora.ResolvedCorpus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training and held-out texts of a run, where they came from, and (for a synthetic source) the source itself,
 * whose exact entropy rate and true conditional probabilities give the floor.
 */
record PreparedData(String name, String train, String val, SyntheticSource source, Map<String, Object> spec) {

    /** SHA-256 of every data file the run read (for a synthetic source: of the generated train and val texts). */
    @SuppressWarnings("unchecked")
    Map<String, String> dataSha256() {
        Map<String, String> sha = new LinkedHashMap<>();
        switch (String.valueOf(spec.get("kind"))) {
            case "named" -> sha.putAll((Map<String, String>) spec.get("files_sha256"));
            case "corpus" -> sha.put(String.valueOf(spec.get("corpus")), String.valueOf(spec.get("corpus_sha256")));
            default -> {
                sha.put("generated train text", TextFiles.sha256(train));
                sha.put("generated val text", TextFiles.sha256(val));
            }
        }
        if (spec.get("val") != null) sha.put(String.valueOf(spec.get("val")), String.valueOf(spec.get("val_sha256")));
        return sha;
    }

    /** Default length of the built-in source's sample: with the default model it reaches the floor in minutes. */
    static final int DEFAULT_SYNTHETIC_CHARS = 200_000;
    /** The built-in sample uses its own seed so that the data stay fixed while --seed varies the training run. */
    static final long SYNTHETIC_SAMPLE_SEED = 2024;

    static PreparedData builtInSource(int chars, double valFraction) {
        return source(MarkovSource.builtIn(), chars, valFraction);
    }

    static PreparedData source(SyntheticSource source, int chars, double valFraction) {
        if (chars < 2) throw new IllegalArgumentException("--synthetic-chars must be at least 2, got " + chars);
        String text = source.sample(chars, SYNTHETIC_SAMPLE_SEED);
        Split split = Splits.tail(text, valFraction);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("kind", "source");
        spec.put("source", source.spec());
        spec.put("chars", chars);
        spec.put("sample_seed", SYNTHETIC_SAMPLE_SEED);
        spec.put("val_fraction", valFraction);
        String kind = source.spec().contains(":") ? source.spec().substring(0, source.spec().indexOf(':')) : source.spec();
        return new PreparedData(kind, split.train(), split.val(), source, spec);
    }

    /**
     * --corpus ARG: a UTF-8 file if one exists at ARG, otherwise a named corpus of the registry (downloaded into
     * $LOSSFLOOR_DATA and verified on first use, split by its own rule).
     */
    static PreparedData corpus(String corpusArg, Path val, double valFraction) {
        Path file = Path.of(corpusArg);
        if (Files.exists(file) || !CorpusRegistry.contains(corpusArg)) {
            if (!Files.exists(file))
                throw new DataException("--corpus " + corpusArg + ": no such file, and not a named corpus ("
                        + String.join(", ", CorpusRegistry.names()) + ")");
            return corpus(file, val, valFraction);
        }
        return named(CorpusRegistry.get(corpusArg), val);
    }

    static PreparedData named(NamedCorpus corpus, Path val) {
        CorpusStore store = CorpusStore.openDefault(new DownloadProgress());
        ResolvedCorpus resolved = store.resolve(corpus);
        CorpusSplit split = resolved.split();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("kind", "named");
        spec.put("name", corpus.name());
        spec.put("data_dir", store.dataDir().toAbsolutePath().toString());
        spec.put("split", corpus.split().describe());
        Map<String, String> files = new LinkedHashMap<>();
        for (var f : corpus.files()) files.put(f.path(), f.sha256());
        spec.put("files_sha256", files);
        if (val != null) {
            spec.put("val", val.toAbsolutePath().normalize().toString());
            spec.put("val_sha256", TextFiles.sha256(val));
            return new PreparedData(corpus.name(), split.train(), TextFiles.readUtf8(val), null, spec);
        }
        return new PreparedData(corpus.name(), split.train(), split.val(), null, spec);
    }

    static PreparedData corpus(Path corpus, Path val, double valFraction) {
        String text = TextFiles.readUtf8(corpus);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("kind", "corpus");
        spec.put("corpus", corpus.toAbsolutePath().normalize().toString());
        spec.put("corpus_sha256", TextFiles.sha256(corpus));
        String name = stem(corpus);
        if (val != null) {
            spec.put("val", val.toAbsolutePath().normalize().toString());
            spec.put("val_sha256", TextFiles.sha256(val));
            return new PreparedData(name, text, TextFiles.readUtf8(val), null, spec);
        }
        Split split;
        try {
            split = Splits.tail(text, valFraction);
        } catch (DataException e) {
            throw new DataException("--corpus " + corpus + ": " + e.getMessage(), e);
        }
        spec.put("val_fraction", valFraction);
        return new PreparedData(name, split.train(), split.val(), null, spec);
    }

    /** Rebuilds the data a run was trained on from the "data" object of its config.json. */
    static PreparedData fromSpec(Map<String, Object> spec) {
        String kind = String.valueOf(spec.get("kind"));
        double valFraction = spec.get("val_fraction") instanceof Number n ? n.doubleValue() : 0.1;
        switch (kind) {
            case "source", "markov" -> {
                SyntheticSource source = Sources.fromSpec(String.valueOf(spec.get("source")));
                return source(source, ((Number) spec.get("chars")).intValue(), valFraction);
            }
            case "named" -> {
                Path val = spec.get("val") == null ? null : Path.of(String.valueOf(spec.get("val")));
                return named(CorpusRegistry.get(String.valueOf(spec.get("name"))), val);
            }
            case "corpus" -> {
                Path corpus = Path.of(String.valueOf(spec.get("corpus")));
                Path val = spec.get("val") == null ? null : Path.of(String.valueOf(spec.get("val")));
                PreparedData d = corpus(corpus, val, valFraction);
                checkUnchanged(corpus, spec.get("corpus_sha256"), d.spec().get("corpus_sha256"));
                if (val != null) checkUnchanged(val, spec.get("val_sha256"), d.spec().get("val_sha256"));
                return d;
            }
            default -> throw new DataException("config.json has an unknown data kind '" + kind + "'");
        }
    }

    private static void checkUnchanged(Path file, Object recorded, Object now) {
        if (recorded != null && !recorded.equals(now))
            throw new DataException(file + " changed since the run was trained (SHA-256 " + now + ", recorded " + recorded
                    + "); restore the original file to reproduce its numbers");
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
