package dev.lossfloor.experiments;

import dev.lossfloor.experiments.report.ExperimentReport;
import dev.lossfloor.experiments.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Writes a run's report: ./lossfloor report --run DIR. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a run's report into its directory: report.md and a self-contained report.html (the figure",
                "embedded, no external resources) with a plain-language summary, the learning curves, the final and",
                "per-epoch metrics, the classic baselines (real text), the configuration and the manifest.",
                "Given an experiment directory (./lossfloor run or sweep), writes the experiment's report: its",
                "configuration, summary table, overlay plots and every run's manifest summary with links."})
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "run directory written by ./lossfloor train, or an experiment directory (run, sweep)")
    Path run;

    @Override
    public Integer call() {
        RunReport.Written written = ExperimentReport.isExperiment(run) ? ExperimentReport.write(run) : RunReport.write(run);
        for (Path p : written.all()) System.out.println("wrote " + p);
        return 0;
    }
}
