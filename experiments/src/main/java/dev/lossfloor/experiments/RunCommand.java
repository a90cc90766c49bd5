package dev.lossfloor.experiments;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a named experiment (one or more training runs) into one directory, with summary.md,",
                "summary.csv and overlay.png. Experiments: entropy-floor, context-vs-order, data-size, model-size,",
                "tokenizers (definitions in experiments/configs/), or a definition file NAME.yaml."})
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "experiment name or definition file")
    String name;
    @Option(names = "--out", paramLabel = "DIR", description = "experiment directory (default: runs/<timestamp>-<NAME>)")
    Path out;
    @Option(names = "--quick", description = "shrink every run to a few steps on a small sample (seconds; for tests)")
    boolean quick;

    @Override
    public Integer call() {
        Experiment experiment = Experiment.load(name);
        Path dir = ExperimentRunner.directory(out, experiment.name());
        return new ExperimentRunner().run(experiment, quick, dir);
    }
}
