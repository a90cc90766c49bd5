package dev.lossfloor.experiments;

import dev.lossfloor.experiments.report.LearningCurvePlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** (Re)draws a run's learning curves from its metrics.jsonl: ./lossfloor plot --run DIR. */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw a run's learning curves: loss in bits/char against the training step with the entropy floor",
                "or the classic baselines, and held-out perplexity per token. Writes learning_curves.png (both panels),",
                "learning_curves.svg and learning_curves_ppl.svg into the run directory."})
final class PlotCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "run directory written by ./lossfloor train")
    Path run;

    @Option(names = "--linear-steps", description = "a linear step axis instead of the square-root one (which gives the "
            + "fall from step 0 room beside the plateau)")
    boolean linearSteps;

    @Override
    public Integer call() {
        LearningCurvePlot.Written written = LearningCurvePlot.write(run,
                linearSteps ? LearningCurvePlot.StepScale.LINEAR : LearningCurvePlot.StepScale.SQRT);
        for (Path p : written.all()) System.out.println("wrote " + p);
        return 0;
    }
}
