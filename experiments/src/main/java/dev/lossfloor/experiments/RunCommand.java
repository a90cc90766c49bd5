package dev.lossfloor.experiments;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a named experiment (one or more training runs) into one directory, with summary.md,",
                "summary.csv and overlay.png. Experiments: entropy-floor, context-vs-order, data-size, model-size,",
                "tokenizers, shakespeare-30min (definitions in experiments/configs/), or a definition file NAME.yaml.",
                "  ./lossfloor run tokenizers --corpus ../shared/corpora/tinyshakespeare.txt [--tokenizers byte,bpe:512,gpt2]"})
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "experiment name or definition file")
    String name;
    @Option(names = "--out", paramLabel = "DIR", description = "experiment directory (default: runs/<timestamp>-<NAME>)")
    Path out;
    @Option(names = "--quick", description = "shrink every run to a few steps on a small sample (seconds; for tests)")
    boolean quick;
    @Option(names = "--corpus", paramLabel = "PATH|NAME", description = {"run every training run on this UTF-8 file or named corpus",
            "instead of the experiment's data"})
    String corpus;
    @Option(names = "--tokenizers", paramLabel = "SPEC,SPEC", split = ",", description = {"tokenizers experiment: the tokenizers",
            "to compare (default: byte,char,bpe:512,bpe:2048,gpt2)"})
    java.util.List<String> tokenizers;

    @Override
    public Integer call() {
        Experiment experiment = Experiment.load(name);
        if (corpus != null) experiment = experiment.withCorpus(corpus);
        if (tokenizers != null) experiment = experiment.withTokenizers(tokenizers);
        Path dir = ExperimentRunner.directory(out, experiment.name());
        return new ExperimentRunner().run(experiment, quick, dir);
    }
}
