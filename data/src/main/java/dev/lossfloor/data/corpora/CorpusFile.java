package dev.lossfloor.data.corpora;

/**
 * One file of a corpus.
 *
 * @param path   where the file lives, relative to the data directory, with forward slashes (e.g.
 *               "wikitext-2-raw/wiki.valid.raw"). For a corpus that comes as a zip archive this is also the name of
 *               the archive entry, so extracting the entry into the data directory puts it where it is looked for.
 * @param sha256 the file's SHA-256, 64 lower-case hex digits; a file is never used unless it matches
 * @param bytes  the file's size, or {@link #UNKNOWN_SIZE}
 */
public record CorpusFile(String path, String sha256, long bytes) {

    public static final long UNKNOWN_SIZE = -1;

    public CorpusFile {
        Checksums.requireRelativePath(path, "corpus file");
        Checksums.requireSha256(sha256, "corpus file " + path);
        if (bytes < 0 && bytes != UNKNOWN_SIZE) {
            throw new IllegalArgumentException("corpus file " + path + ": size must be >= 0 or UNKNOWN_SIZE, got " + bytes);
        }
    }
}
