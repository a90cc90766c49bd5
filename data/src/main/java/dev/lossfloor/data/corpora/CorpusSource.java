package dev.lossfloor.data.corpora;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/** Where a corpus's files come from when they are not in the data directory yet. */
public sealed interface CorpusSource {

    /** The corpus's single file is downloaded as it is from {@code url}, and checked against its SHA-256. */
    record Plain(URI url) implements CorpusSource {
        public Plain {
            requireHttp(url);
        }
    }

    /**
     * A zip archive downloaded from {@code url} and kept in the data directory as {@code archiveName}; each
     * corpus file is the archive entry of the same name.
     *
     * @param sha256 the archive's SHA-256, or null when it is not known: then the archive is checked only through
     *               the SHA-256 of the files extracted from it (and its size, when known)
     * @param bytes  the archive's size, or {@link CorpusFile#UNKNOWN_SIZE}
     */
    record Zip(URI url, String archiveName, String sha256, long bytes) implements CorpusSource {
        public Zip {
            requireHttp(url);
            Checksums.requireRelativePath(archiveName, "archive of " + url);
            if (sha256 != null) {
                Checksums.requireSha256(sha256, "archive " + url);
            }
            if (bytes < 0 && bytes != CorpusFile.UNKNOWN_SIZE) {
                throw new IllegalArgumentException("archive " + url + ": size must be >= 0 or UNKNOWN_SIZE, got " + bytes);
            }
        }
    }

    /** No URL serves the files; they must already be in the data directory. {@code why} says how to get them. */
    record LocalOnly(String why) implements CorpusSource {
        public LocalOnly {
            Objects.requireNonNull(why, "why");
        }
    }

    private static void requireHttp(URI url) {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("corpus URL must be an absolute http(s) URL, got " + url);
        }
    }
}
