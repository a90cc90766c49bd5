package dev.lossfloor.experiments;

import dev.lossfloor.data.DataException;
import dev.lossfloor.trainer.Checkpoint;
import dev.lossfloor.trainer.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.UncheckedIOException;

/** The lossfloor command line. Every user error is one line on stderr and a non-zero exit code, never a stack trace. */
@Command(name = "lossfloor", mixinStandardHelpOptions = true, versionProvider = LossfloorCli.Version.class,
        subcommands = {TrainCommand.class, EvalCommand.class, CalcCommand.class, BaselinesCommand.class, CorporaCommand.class,
                RunsCommand.class, ReproduceCommand.class, PlotCommand.class, ReportCommand.class, SampleCommand.class,
                ScoreCommand.class, RunCommand.class, SweepCommand.class, LabCommand.class, CommandLine.HelpCommand.class},
        description = "Train small language models with DL4J and watch the held-out loss meet the entropy of the data.")
public final class LossfloorCli implements java.util.concurrent.Callable<Integer> {
    /** Exit code of a bad input or setting. */
    public static final int EXIT_USAGE = 2;
    /** Exit code of a run that diverged (NaN or infinite loss). */
    public static final int EXIT_DIVERGED = 3;

    public static void main(String[] args) {
        // the plots draw with AWT; there is never a display to draw on
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new LossfloorCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(e));
            return e instanceof TrainingDivergedException ? EXIT_DIVERGED : EXIT_USAGE;
        });
        cli.setParameterExceptionHandler((e, argv) -> {
            e.getCommandLine().getErr().println("lossfloor: " + e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        });
        return cli.execute(args);
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
        boolean expected = e instanceof IllegalArgumentException || e instanceof DataException
                || e instanceof Checkpoint.CheckpointException || e instanceof TrainingDivergedException
                || e instanceof UncheckedIOException;
        if (message == null || !expected) message = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return message.replace('\n', ' ');
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"lossfloor " + Versions.lossfloor() + " (DL4J " + Versions.DL4J + ")"};
        }
    }
}
