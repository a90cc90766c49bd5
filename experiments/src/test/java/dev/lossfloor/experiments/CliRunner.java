package dev.lossfloor.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the CLI in-process and captures what a user would see. */
final class CliRunner {
    record Result(int exitCode, String out, String err) {
        /** The non-empty lines of stderr. */
        String[] errLines() {
            return err.lines().filter(l -> !l.isBlank()).toArray(String[]::new);
        }
    }

    static Result run(String... args) {
        LossfloorCli.Captured c = LossfloorCli.runCaptured(args);
        return new Result(c.exitCode(), c.out(), c.err());
    }

    /** A failed command: a non-zero exit, exactly one line on stderr containing every fragment, no stack trace. */
    static void assertOneLineFailure(Result r, String... fragments) {
        assertTrue(r.exitCode() != 0, "exit code should be non-zero");
        String[] lines = r.errLines();
        assertEquals(1, lines.length, "expected exactly one error line, got:\n" + r.err());
        for (String f : fragments) assertTrue(lines[0].contains(f), "'" + lines[0] + "' should mention '" + f + "'");
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    /** As {@link #assertOneLineFailure}, with the exit code of a bad input or setting. */
    static void assertOneLineError(Result r, String... fragments) {
        assertEquals(LossfloorCli.EXIT_USAGE, r.exitCode(), r.out() + r.err());
        assertOneLineFailure(r, fragments);
    }

    private CliRunner() {}
}
