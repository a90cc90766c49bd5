package dev.lossfloor.experiments;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Train every combination of --grid values on top of a config file into one directory, with",
                "summary.md, summary.csv and overlay.png (e.g. --grid seed=1,2,3 --grid lr=1e-3,3e-3)."})
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML map of train options (as train --config)")
    Path config;
    @Option(names = "--grid", required = true, paramLabel = "KEY=V1,V2", description = "a train option and its values; repeat for a grid")
    List<String> grid;
    @Option(names = "--out", paramLabel = "DIR", description = "sweep directory (default: runs/<timestamp>-sweep-<config name>)")
    Path out;
    @Option(names = "--quick", description = "at most 20 steps per run on a 4,000-character sample (seconds; for tests)")
    boolean quick;

    /** What --quick sets over the config for a sweep (a named experiment has its own quick settings). */
    static final Map<String, Object> QUICK = Map.of("max-steps", 20, "synthetic-chars", 4000, "epochs", 1);

    @Override
    public Integer call() {
        String where = "config " + config;
        Map<String, Object> base = TrainConfigFile.readMap(config);
        TrainConfigFile.checkKeys(base, where);
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String g : grid) {
            int eq = g.indexOf('=');
            if (eq <= 0 || eq == g.length() - 1)
                throw new IllegalArgumentException("--grid " + g + " must be KEY=V1,V2,... (e.g. --grid seed=1,2,3)");
            String key = g.substring(0, eq).replaceFirst("^--", "");
            TrainConfigFile.checkKeys(Map.of(key, ""), "--grid " + g);
            if (axes.containsKey(key)) throw new IllegalArgumentException("--grid " + key + " is given twice; list all its values once");
            List<String> values = new ArrayList<>();
            for (String v : g.substring(eq + 1).split(",")) if (!v.isBlank()) values.add(v.strip());
            axes.put(key, values);
        }
        List<Map<String, Object>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> p : points)
                for (String v : axis.getValue()) {
                    Map<String, Object> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v);
                    next.add(q);
                }
            points = next;
        }
        List<Experiment.Variant> variants = new ArrayList<>();
        for (Map<String, Object> p : points) {
            List<String> parts = new ArrayList<>();
            p.forEach((k, v) -> parts.add(k + "=" + v));
            String name = String.join("_", parts).replaceAll("[^A-Za-z0-9._=-]", "-");
            variants.add(new Experiment.Variant(name, p, Map.of(), null, null));
        }
        String stem = config.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Map<String, Object> quickSettings = new LinkedHashMap<>(QUICK);
        if (base.containsKey("corpus")) quickSettings.remove("synthetic-chars");
        Experiment sweep = new Experiment("sweep-" + stem, "Sweep over " + String.join(" x ", axes.keySet()) + " on top of "
                + config + " (" + variants.size() + " runs).", base, quickSettings, variants);
        Path dir = ExperimentRunner.directory(out, sweep.name());
        return new ExperimentRunner().run(sweep, quick, dir);
    }
}
