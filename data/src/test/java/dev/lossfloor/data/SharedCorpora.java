package dev.lossfloor.data;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where tests find the third-party corpora, which are never committed: $LOSSFLOOR_DATA (CI sets it to
 * ../shared/corpora), else ../shared/corpora beside the repository. A fresh clone without them skips the tests that
 * need them, saying why (third-party text is never committed); where CI is set (.ci/run) their absence fails the
 * test instead, so CI can never skip them silently.
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

    /** A shared corpus file; skips the calling test, with the reason, when it is not there (fails it in CI). */
    public static Path require(String name) {
        Path file = file(name);
        skipWithout(file != null, name + " not found");
        return file;
    }

    /** Unless {@code present}: skips the calling test with the reason, or fails it where CI is set. */
    public static void skipWithout(boolean present, String why) {
        if (present) return;
        String reason = why + ": set LOSSFLOOR_DATA to the shared corpora directory (../shared/corpora)";
        if (System.getenv("CI") != null) Assertions.fail(reason + "; CI must run the corpus tests (.ci/run sets it)");
        Assumptions.abort(reason + "; CI always does");
    }
}
