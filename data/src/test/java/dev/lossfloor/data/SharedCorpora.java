package dev.lossfloor.data;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where tests find the third-party corpora, which are never committed: $LOSSFLOOR_DATA (CI sets it to
 * ../shared/corpora), else ../shared/corpora beside the repository. A fresh clone without them skips the tests that
 * need them, saying why; CI always has them.
 */
public final class SharedCorpora {
    private SharedCorpora() {}

    /** The shared corpora directory (it holds tinyshakespeare.txt), or null. */
    public static Path dir() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("LOSSFLOOR_DATA");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
            candidates.add(Path.of("..").resolve(env)); // relative to the repository root, seen from a module
        }
        candidates.add(Path.of("..", "..", "shared", "corpora")); // from a module directory
        candidates.add(Path.of("..", "shared", "corpora")); // from the repository root
        for (Path p : candidates)
            if (Files.isRegularFile(p.resolve("tinyshakespeare.txt"))) return p.toAbsolutePath().normalize();
        return null;
    }

    /** A shared corpus file, or null when it is not there. */
    public static Path file(String name) {
        Path dir = dir();
        return dir != null && Files.isRegularFile(dir.resolve(name)) ? dir.resolve(name) : null;
    }

    /** A shared corpus file; skips the calling test, with the reason, when it is not there. */
    public static Path require(String name) {
        Path file = file(name);
        Assumptions.assumeTrue(file != null, name + " not found: set LOSSFLOOR_DATA to the shared corpora directory"
                + " (../shared/corpora); CI always does");
        return file;
    }
}
