package dev.lossfloor.data.corpora;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A corpus the CLI knows by name: where it comes from, its files with their checksums, its licence and how it is
 * split. Entries are plain data, so tests can build their own pointing at a local server.
 *
 * @param name        e.g. "enwik8": lower-case letters, digits and '-'
 * @param description one line
 * @param licence     one line
 */
public record NamedCorpus(String name, String description, String licence, CorpusSource source,
        List<CorpusFile> files, SplitRule split) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public NamedCorpus {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("corpus name must be lower-case letters, digits and '-', got " + name);
        }
        requireOneLine(description, name + " description");
        requireOneLine(licence, name + " licence");
        Objects.requireNonNull(source, name + " source");
        Objects.requireNonNull(split, name + " split");
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException(name + " has no files");
        }
        Set<String> paths = new HashSet<>();
        for (CorpusFile f : files) {
            if (!paths.add(f.path())) {
                throw new IllegalArgumentException(name + " lists " + f.path() + " twice");
            }
        }
        if (source instanceof CorpusSource.Plain && files.size() != 1) {
            throw new IllegalArgumentException(name + ": a plain download provides exactly one file, not " + files.size());
        }
        if (source instanceof CorpusSource.Zip zip && paths.contains(zip.archiveName())) {
            throw new IllegalArgumentException(name + ": archive name " + zip.archiveName() + " clashes with a file");
        }
        if (split instanceof SplitRule.SeparateFiles s) {
            for (String p : new String[] {s.train(), s.val(), s.test()}) {
                if (p != null && !paths.contains(p)) {
                    throw new IllegalArgumentException(name + ": split names " + p + ", which is not one of its files");
                }
            }
        } else if (files.size() != 1) {
            throw new IllegalArgumentException(name + ": split rule " + split.describe() + " needs a single file");
        }
    }

    /** The file with this path. */
    public CorpusFile file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " has no file " + path));
    }

    /** Whether missing files can be downloaded (false for corpora that exist only locally). */
    public boolean downloadable() {
        return !(source instanceof CorpusSource.LocalOnly);
    }

    private static void requireOneLine(String s, String what) {
        if (s == null || s.isBlank() || s.contains("\n") || s.contains("\r")) {
            throw new IllegalArgumentException(what + " must be one non-empty line, got " + s);
        }
    }
}
