package dev.lossfloor.experiments;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared corpora as the in-process commands reach them: through $LOSSFLOOR_DATA (CI sets it to
 * ../shared/corpora). Third-party text is never committed, so a fresh clone without them skips the tests that need
 * them, saying why; where CI is set (.ci/run) their absence fails those tests instead.
 */
final class SharedData {
    private SharedData() {}

    /** $LOSSFLOOR_DATA when it holds tinyshakespeare.txt, else null. */
    static Path dir() {
        String env = System.getenv("LOSSFLOOR_DATA");
        if (env == null || env.isBlank()) return null;
        Path dir = Path.of(env);
        return Files.isRegularFile(dir.resolve("tinyshakespeare.txt")) ? dir.toAbsolutePath().normalize() : null;
    }

    /** Unless {@code present}: skips the calling test with the reason, or fails it where CI is set. */
    static void skipWithout(boolean present, String why) {
        if (present) return;
        String reason = why + ": set LOSSFLOOR_DATA to the shared corpora directory (../shared/corpora)";
        if (System.getenv("CI") != null) Assertions.fail(reason + "; CI must run the corpus tests (.ci/run sets it)");
        Assumptions.abort(reason + "; CI always does");
    }
}
