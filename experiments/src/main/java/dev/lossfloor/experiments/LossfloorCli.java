package dev.lossfloor.experiments;

import dev.lossfloor.data.DataException;
import dev.lossfloor.trainer.Checkpoint;
import dev.lossfloor.trainer.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The lossfloor command line. Every user error is one line on stderr and a non-zero exit code, never a stack trace. */
@Command(name = "lossfloor", mixinStandardHelpOptions = true, versionProvider = LossfloorCli.Version.class,
        subcommands = {TrainCommand.class, EvalCommand.class, CalcCommand.class, BaselinesCommand.class, CorporaCommand.class,
                RunsCommand.class, ReproduceCommand.class, PlotCommand.class, ReportCommand.class, WatchCommand.class, SampleCommand.class,
                ScoreCommand.class, RunCommand.class, SweepCommand.class, LabCommand.class, CommandLine.HelpCommand.class},
        description = "Train small language models with DL4J and watch the held-out loss meet the entropy of the data.")
public final class LossfloorCli implements java.util.concurrent.Callable<Integer> {
    /** Exit code of a bad input or setting. */
    public static final int EXIT_USAGE = 2;
    /** Exit code of a run that diverged (NaN or infinite loss). */
    public static final int EXIT_DIVERGED = 3;
    /** Exit code of an internal error: a bug in lossfloor, not in what the user gave. */
    public static final int EXIT_INTERNAL = 1;

    /** Shows the stack trace of an internal error; users see one line, the person fixing the bug needs the trace. */
    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "print the stack trace of an internal error (exit code 1)")
    boolean debug;

    public static void main(String[] args) {
        // the plots draw with AWT; there is never a display to draw on
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    public static int run(String... args) {
        LossfloorCli root = new LossfloorCli();
        CommandLine cli = new CommandLine(root);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getCommandSpec().qualifiedName(), cmd.getErr(), root.debug));
        cli.setParameterExceptionHandler((e, argv) -> {
            e.getCommandLine().getErr().println("lossfloor: " + e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        });
        try {
            return cli.execute(args);
        } catch (Error e) {
            // picocli hands errors (OutOfMemoryError, StackOverflowError) on; they get the same one line as any bug
            return report(e, "lossfloor", cli.getErr(), root.debug || List.of(args).contains("--debug"));
        }
    }

    /**
     * One line for a failure, and its exit code: the expected errors (bad input, divergence) say what to change;
     * anything else is a bug, whose stack trace --debug shows.
     */
    static int report(Throwable e, String command, java.io.PrintWriter err, boolean debug) {
        err.println(command + ": " + oneLine(e) + (expected(e) ? "" : " (run with --debug for the stack trace)"));
        if (debug && !expected(e)) e.printStackTrace(err);
        err.flush();
        if (e instanceof TrainingDivergedException) return EXIT_DIVERGED;
        return expected(e) ? EXIT_USAGE : EXIT_INTERNAL;
    }

    /** The errors a user can cause and fix; their messages are written for people. */
    static boolean expected(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof DataException
                || e instanceof Checkpoint.CheckpointException || e instanceof TrainingDivergedException
                || e instanceof UncheckedIOException;
    }

    /** What one in-process run of a command printed, and its exit code. */
    record Captured(int exitCode, String out, String err) {}

    /**
     * Runs a command in this JVM and captures its stdout and stderr (the labs' number checks and the tests run
     * many; a JVM start each would cost seconds). One at a time: System.out and System.err are global.
     */
    static synchronized Captured runCaptured(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = run(args);
            return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No subcommand: show what there is. */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || !expected(e)) message = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return message.replace('\n', ' ');
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"lossfloor " + Versions.lossfloor() + " (DL4J " + Versions.DL4J + ")"};
        }
    }
}
