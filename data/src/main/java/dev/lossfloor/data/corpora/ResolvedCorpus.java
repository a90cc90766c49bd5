package dev.lossfloor.data.corpora;

import dev.lossfloor.data.DataException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A corpus whose files are present and match their SHA-256.
 *
 * @param files every file of the corpus, by {@link CorpusFile#path()}, in the registry's order
 */
public record ResolvedCorpus(NamedCorpus corpus, Map<String, Path> files) {

    public ResolvedCorpus {
        Objects.requireNonNull(corpus, "corpus");
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** The local path of one of the corpus's files. */
    public Path path(String file) {
        Path p = files.get(file);
        if (p == null) {
            throw new DataException(corpus.name() + " has no file " + file + "; its files are " + files.keySet());
        }
        return p;
    }

    /** The path of a single-file corpus. */
    public Path singleFile() {
        if (files.size() != 1) {
            throw new IllegalStateException(corpus.name() + " has " + files.size() + " files, not one");
        }
        return files.values().iterator().next();
    }

    /** Reads the files and cuts them by the corpus's {@link SplitRule}. */
    public CorpusSplit split() {
        return corpus.split().apply(this);
    }
}
