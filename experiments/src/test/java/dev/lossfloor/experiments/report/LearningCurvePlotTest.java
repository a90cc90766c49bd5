package dev.lossfloor.experiments.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learning-curve figure of a run directory: written, decodable, not blank, labelled. */
class LearningCurvePlotTest {
    @TempDir
    Path dir;

    /** The built-in Markov run of the README: 3 epochs, char tokenizer, the floor known. */
    static final List<String> MARKOV_METRICS = List.of(
            metrics(1, 235, 1.0753505, 0.9041319, 2.4697869, 1.3043866, 19999, 19999, 1.2839611, 1.2851290),
            metrics(2, 470, 0.9085876, 0.8933806, 2.4433757, 1.2888757, 19999, 19999, 1.2839611, 1.2851290),
            metrics(3, 705, 0.9026325, 0.8921498, 2.4403704, 1.2871001, 19999, 19999, 1.2839611, 1.2851290));

    static final String MARKOV_CONFIG = """
            {"data": {"kind": "markov", "source": "markov:order=2,alphabet=abcd,concentration=0.5,seed=1", "chars": 200000},
             "tokenizer": "char", "floor_bpc": 1.2839611, "true_bpc": 1.2851290}
            """;

    static String metrics(int epoch, long step, double trainNll, double valNll, double valPpl, double valBpc,
                          long valTokens, long valChars, Double floor, Double trueBpc) {
        return String.format(java.util.Locale.ROOT, "{\"epoch\":%d,\"step\":%d,\"tokens_seen\":%d,\"lr\":0.001,\"train_nll\":%s,"
                        + "\"val_nll\":%s,\"val_ppl\":%s,\"val_bits_per_token\":%s,\"val_bpc\":%s,\"val_bpb\":%s,\"val_tokens\":%d,"
                        + "\"val_chars\":%d,\"val_bytes\":%d,\"floor_bpc\":%s,\"true_bpc\":%s,\"gap_bpc\":%s,\"elapsed_s\":%d}",
                epoch, step, step * 768, trainNll, valNll, valPpl, valBpc, valBpc, valBpc, valTokens, valChars, valChars,
                floor, trueBpc, trueBpc == null ? null : valBpc - trueBpc, epoch * 50);
    }

    static Path run(Path dir, String config, List<String> metricLines, String baselines) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config);
        Files.writeString(dir.resolve("metrics.jsonl"), String.join("\n", metricLines) + "\n");
        if (baselines != null) Files.writeString(dir.resolve("baselines.json"), baselines);
        return dir;
    }

    /** A PNG of the promised size with many colours (curves, shading, anti-aliased text), not a blank canvas. */
    static void assertRealImage(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LearningCurvePlot.WIDTH, image.getWidth());
        assertEquals(LearningCurvePlot.HEIGHT, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2)
            for (int x = 0; x < image.getWidth(); x += 2) colours.add(image.getRGB(x, y));
        assertTrue(colours.size() > 50, "only " + colours.size() + " distinct colours: is the figure blank?");
    }

    static String svgOf(Path svg) throws Exception {
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        // well-formed XML (without fetching the DTD)
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.newDocumentBuilder().parse(svg.toFile());
        return text;
    }

    @Test
    void markovRunShowsTheFloorAndTheGap() throws Exception {
        Path run = run(dir.resolve("markov"), MARKOV_CONFIG, MARKOV_METRICS, null);
        LearningCurvePlot.Written w = LearningCurvePlot.write(run);
        assertEquals(run.resolve("learning_curves.png"), w.png());
        assertRealImage(w.png());
        String svg = svgOf(w.svg());
        assertTrue(svg.contains("floor H = 1.2840 bits/char"), "floor label in the SVG");
        assertTrue(svg.contains("KL gap"), "gap label in the SVG");
        assertTrue(svg.contains("markov source: held-out loss vs the entropy floor"));
        assertTrue(svg.contains("train (mean since the previous evaluation)"), "char tokenizer: train is exact bits/char");
        assertTrue(svg.contains("training step (square-root scale)"), "the axis says its scale");
        String ppl = svgOf(w.perplexitySvg());
        assertTrue(ppl.contains("perplexity per token"));
        // 2^1.2840 = 2.435: the floor as a perplexity per character (= per token here)
        assertTrue(ppl.contains("floor 2^H = 2.435"), ppl.substring(0, 600));
        try (var files = Files.list(run)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void realTextRunShowsTheBaselines() throws Exception {
        String baselines = """
                {"train_chars": 1003854, "unigram": {"bits_per_char": 4.774, "nats_per_char": 3.309},
                 "ngrams": [{"smoothing": "kn", "order": 6, "nats_per_char": 1.5581, "bits_per_char": 2.2479, "bits_per_byte": 2.2479},
                            {"smoothing": "mkn", "order": 6, "nats_per_char": 1.5300, "bits_per_char": 2.2073, "bits_per_byte": 2.2073},
                            {"smoothing": "mkn", "order": 7, "nats_per_char": 1.5165, "bits_per_char": 2.1879, "bits_per_byte": 2.1879}],
                 "compressors": [{"compressor": "deflate", "alone_bits_per_char": 3.1894, "conditional_bits_per_char": 3.0964},
                                 {"compressor": "bzip2", "alone_bits_per_char": 2.6368, "conditional_bits_per_char": 2.3985},
                                 {"compressor": "xz", "alone_bits_per_char": 2.9421, "conditional_bits_per_char": 2.5166}]}
                """;
        Path run = run(dir.resolve("shakespeare"), """
                        {"data": {"kind": "named", "name": "tinyshakespeare"}, "tokenizer": "byte"}""",
                List.of(metrics(1, 1308, 2.2323, 1.9974, 7.370, 2.8817, 111600, 111539, null, null),
                        metrics(2, 2000, 1.8601, 1.8979, 6.672, 2.7381, 111600, 111539, null, null)), baselines);
        LearningCurvePlot.Written w = LearningCurvePlot.write(run);
        assertRealImage(w.png());
        String svg = svgOf(w.svg());
        assertTrue(svg.contains("tinyshakespeare: held-out loss vs classic baselines"));
        assertTrue(svg.contains("mKN-7 n-gram 2.188"), "the best modified-KN order");
        assertTrue(svg.contains("bzip2 given train 2.399"), "the best compressor given the training text");
        assertTrue(svg.contains("unigram entropy 4.774"));
        assertTrue(svg.contains("train (approx. bits/char"), "byte tokenizer: train bits/char is an approximation");
        assertFalse(svg.contains("floor H"));
    }

    @Test
    void aRunWithoutFloorOrBaselinesAndASingleEvaluation() throws Exception {
        Path run = run(dir.resolve("notes"), """
                        {"data": {"kind": "corpus", "corpus": "/data/notes.md"}, "tokenizer": "char"}""",
                List.of(metrics(1, 50, 3.1, 2.9112, 18.38, 4.2, 5000, 5000, null, null)), null);
        LearningCurvePlot.Written w = LearningCurvePlot.write(run);
        assertRealImage(w.png());
        assertTrue(svgOf(w.svg()).contains("notes: training and held-out loss"));
        // a single evaluation of a synthetic run: the gap is a narrow band around the point
        Path single = run(dir.resolve("single"), MARKOV_CONFIG, MARKOV_METRICS.subList(0, 1), null);
        assertRealImage(LearningCurvePlot.write(single).png());
    }

    @Test
    void redrawingReplacesTheFigures() throws Exception {
        Path run = run(dir.resolve("markov"), MARKOV_CONFIG, MARKOV_METRICS.subList(0, 2), null);
        LearningCurvePlot.write(run);
        Files.writeString(run.resolve("metrics.jsonl"), String.join("\n", MARKOV_METRICS) + "\n");
        LearningCurvePlot.Written w = LearningCurvePlot.write(run);
        assertTrue(svgOf(w.svg()).contains("last 0.0020"), "the third epoch's gap");
    }

    @Test
    void badMetricsAreOneLineErrorsNamingTheFile() throws IOException {
        Path run = run(dir.resolve("bad"), MARKOV_CONFIG, List.of("{\"epoch\": 1, \"step\": 10}"), null);
        var e = assertThrows(IllegalArgumentException.class, () -> LearningCurvePlot.write(run));
        assertTrue(e.getMessage().contains("metrics.jsonl line 1") && e.getMessage().contains("val_bpc"), e.getMessage());
        Files.writeString(run.resolve("metrics.jsonl"), "not json\n");
        e = assertThrows(IllegalArgumentException.class, () -> LearningCurvePlot.write(run));
        assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        Files.writeString(run.resolve("metrics.jsonl"), "\n");
        e = assertThrows(IllegalArgumentException.class, () -> LearningCurvePlot.write(run));
        assertTrue(e.getMessage().contains("no evaluation yet"), e.getMessage());
    }

    // ------------------------------------------------------------------ many evaluations: subsets, step 0, H_c

    /** One evaluation row with every key ./lossfloor train writes, in its order; trainBpc null on the step-0 row. */
    static String row(int epoch, long step, Double trainBpc, double valBpc, long valChars, Double floor, Double trueBpc,
                      double split, double epochProgress, boolean epochEnd) {
        double ln2 = Math.log(2);
        return String.format(java.util.Locale.ROOT, "{\"epoch\":%d,\"step\":%d,\"tokens_seen\":%d,\"lr\":0.001,\"train_nll\":%s,"
                        + "\"val_nll\":%.6f,\"val_ppl\":%.6f,\"val_bits_per_token\":%.6f,\"val_bpc\":%.6f,\"val_bpb\":%.6f,"
                        + "\"val_tokens\":%d,\"val_chars\":%d,\"val_bytes\":%d,\"floor_bpc\":%s,\"true_bpc\":%s,\"gap_bpc\":%s,"
                        + "\"elapsed_s\":%.1f,\"split_fraction\":%s,\"epoch_progress\":%.4f,\"epoch_end\":%s}",
                epoch, step, step * 768, trainBpc == null ? "null" : String.format(java.util.Locale.ROOT, "%.6f", trainBpc * ln2),
                valBpc * ln2, Math.pow(2, valBpc), valBpc, valBpc, valBpc, valChars, valChars, valChars,
                floor, trueBpc, trueBpc == null ? null : String.format(java.util.Locale.ROOT, "%.6f", valBpc - trueBpc),
                step * 0.05, split, epochProgress, epochEnd);
    }

    /**
     * A run's metrics.jsonl: an evaluation every {@code every} steps from step 0 on a subset of the split, and a full
     * pass at each epoch end. Held-out loss falls as start + (plateau - start)(1 - e^(-step/tau)) plus noise, and
     * overfits by {@code overfit} bits/char per epoch after the first; train is the curve at the middle of the steps
     * since the previous row, lower by {@code trainBelow} times the completed epochs.
     */
    static List<String> synthetic(long stepsPerEpoch, int epochs, long every, double start, double plateau, double tau,
                                  double overfit, double trainBelow, Double floor, Double trueBpc, double split, long seed) {
        var random = new java.util.Random(seed);
        var steps = new java.util.TreeMap<Long, Boolean>();
        for (long s = 0; s <= stepsPerEpoch * epochs; s += every) steps.put(s, false);
        for (int e = 1; e <= epochs; e++) steps.put(e * stepsPerEpoch, true);
        java.util.function.DoubleUnaryOperator curve = s -> plateau + (start - plateau) * Math.exp(-s / tau)
                + overfit * Math.max(0, s / stepsPerEpoch - 1);
        List<String> rows = new java.util.ArrayList<>();
        long previous = 0, fullChars = 19999;
        for (var entry : steps.entrySet()) {
            long step = entry.getKey();
            boolean end = entry.getValue();
            double fraction = end ? 1.0 : split;
            // a subset scores other characters: the true model's loss on them differs a little from the full pass's
            Double truth = trueBpc == null ? null : end ? trueBpc : trueBpc + 0.004 * random.nextGaussian();
            double noise = (end ? 0.002 : 0.005) * random.nextGaussian();
            double val = curve.applyAsDouble(step) + noise + (truth == null ? 0 : truth - trueBpc);
            Double train = step == 0 ? null
                    : curve.applyAsDouble((previous + step) / 2.0) - trainBelow * ((double) step / stepsPerEpoch) + 0.01 * random.nextGaussian();
            rows.add(row((int) (step / stepsPerEpoch), step, train, val, end ? fullChars : Math.round(fullChars * split), floor, truth,
                    fraction, (double) step / stepsPerEpoch, end));
            previous = step;
        }
        return rows;
    }

    /** (a) The default run: char tokens, an order-2 source over 4 symbols, a context longer than the order. */
    static Path defaultRun(Path dir) throws IOException {
        return run(dir, """
                {"data": {"kind": "markov", "source": "markov:order=2,alphabet=abcd,concentration=0.5,seed=1", "chars": 200000},
                 "tokenizer": "char", "model": {"layers": 2, "heads": 4, "embd": 64, "context": 64},
                 "floor_bpc": 1.2839611, "true_bpc": 1.2851290, "context_floors_bpc": [1.9760, 1.7205, 1.2839611]}
                """, synthetic(235, 3, 18, 2.0, 1.2871, 30, 0.0, 0.0, 1.2839611, 1.2851290, 0.41, 1), null);
    }

    /** (b) Lab 3: a model that sees 2 symbols on an order-3 source; it plateaus at H_2, far above H. */
    static Path shortContextRun(Path dir) throws IOException {
        return run(dir, """
                {"data": {"kind": "markov", "source": "markov:order=3,alphabet=abcd,concentration=0.3,seed=7", "chars": 200000},
                 "tokenizer": "char", "model": {"layers": 2, "heads": 4, "embd": 64, "context": 2},
                 "floor_bpc": 1.25, "true_bpc": 1.2512, "context_floors_bpc": [2.0, 1.9, 1.75, 1.25]}
                """, synthetic(300, 2, 15, 2.0, 1.7612, 40, 0.0, 0.0, 1.25, 1.2512, 0.41, 2), null);
    }

    static final String SHAKESPEARE_BASELINES = """
            {"train_chars": 1003854, "unigram": {"bits_per_char": 4.774, "nats_per_char": 3.309},
             "ngrams": [{"smoothing": "mkn", "order": 7, "nats_per_char": 1.5165, "bits_per_char": 2.1879, "bits_per_byte": 2.1879}],
             "compressors": [{"compressor": "bzip2", "alone_bits_per_char": 2.6368, "conditional_bits_per_char": 2.3985}]}
            """;

    /** (c) Real text, 3000 steps: held-out flattens and turns up while train keeps falling below it. */
    static Path overfittingRun(Path dir) throws IOException {
        return run(dir, """
                {"data": {"kind": "named", "name": "tinyshakespeare"}, "tokenizer": "char", "model": {"context": 128}}""",
                synthetic(1000, 3, 75, 6.02, 1.90, 120, 0.04, 0.09, null, null, 0.25, 3), SHAKESPEARE_BASELINES);
    }

    /** Where a look at the figures is wanted (-Dplot.check.dir=/tmp/plot-check), a copy of the PNG goes there. */
    static void keep(LearningCurvePlot.Written w, String name) throws IOException {
        String dir = System.getProperty("plot.check.dir");
        if (dir == null) return;
        Files.createDirectories(Path.of(dir));
        Files.copy(w.png(), Path.of(dir, name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static org.knowm.xchart.XYChart lossChart(Path run) {
        return LearningCurvePlot.lossChart(LearningCurvePlot.read(run), LearningCurvePlot.StepScale.SQRT,
                LearningCurvePlot.LOSS_WIDTH, LearningCurvePlot.HEIGHT);
    }

    /** Both axes span step 0 and every point of every series. */
    static void assertAxesHoldEverything(org.knowm.xchart.XYChart chart) {
        var s = chart.getStyler();
        assertTrue(s.getXAxisMin() < 0, "room left of step 0");
        for (var series : chart.getSeriesMap().values()) {
            for (double x : series.getXData())
                assertTrue(x >= s.getXAxisMin() && x <= s.getXAxisMax(), series.getName() + " x " + x);
            for (double y : series.getYData())
                assertTrue(y >= s.getYAxisMin() && y <= s.getYAxisMax(), series.getName() + " y " + y);
        }
    }

    @Test
    void defaultRunFromStepZeroWithSubsetsAndFullPasses() throws Exception {
        Path run = defaultRun(dir.resolve("default"));
        var data = LearningCurvePlot.read(run);
        assertEquals(0, data.evals().get(0).step());
        assertEquals(null, data.evals().get(0).trainNll(), "no training loss before the first step");
        assertEquals(null, data.contextFloor(), "a context of 64 sees the whole order-2 history");
        var chart = lossChart(run);
        var series = chart.getSeriesMap();
        assertEquals(Set.of("gap", "floor", "train", "val", "val full"), series.keySet());
        assertEquals(data.evals().size(), series.get("val").getXData().length, "held-out through every evaluation");
        assertEquals(data.evals().size() - 1, series.get("train").getXData().length, "no train point at step 0");
        assertEquals(3, series.get("val full").getXData().length, "a marker on each epoch end's full pass");
        assertEquals(Math.sqrt(705), series.get("val full").getXData()[2], 1e-9);
        assertEquals("held-out (val_bpc), between full passes on 41% of the split", series.get("val").getLabel());
        assertEquals("train (mean since the previous evaluation)", series.get("train").getLabel());
        assertTrue(series.get("gap").getLabel().startsWith("KL gap (val - true model), last 0.00"), series.get("gap").getLabel());
        assertAxesHoldEverything(chart);
        assertTrue(chart.getStyler().getYAxisMax() > 2.0, "the untrained model's loss is on the chart");
        // the gap follows each row's true model loss: its lower edge is true_bpc row by row, so it matches gap_bpc
        double[] gapY = series.get("gap").getYData();
        int n = data.evals().size();
        for (int i = 0; i < n; i++) {
            var e = data.evals().get(i);
            assertEquals(e.valBpc(), gapY[i], 1e-12);
            assertEquals(e.trueBpc(), gapY[2 * n - 1 - i], 1e-12);
        }
        assertEquals("0", LearningCurvePlot.stepLabel(0));
        assertEquals("625", LearningCurvePlot.stepLabel(625));
        assertEquals("6.25", LearningCurvePlot.stepLabel(6.25), "a tick between steps says so");
        assertEquals("1,225", LearningCurvePlot.stepLabel(1225));

        LearningCurvePlot.Written w = LearningCurvePlot.write(run);
        assertRealImage(w.png());
        assertTrue(svgOf(w.svg()).contains("held-out on the full split"));
        keep(w, "a-default");
        keep(LearningCurvePlot.write(run, LearningCurvePlot.StepScale.LINEAR), "a-default-linear");
    }

    @Test
    void aContextShorterThanTheOrderSplitsTheGap() throws Exception {
        Path run = shortContextRun(dir.resolve("lab3"));
        var data = LearningCurvePlot.read(run);
        assertEquals(new LearningCurvePlot.ContextFloor(2, 1.75), data.contextFloor());
        var chart = lossChart(run);
        var series = chart.getSeriesMap();
        assertEquals(Set.of("gap", "unseen", "context floor", "floor", "train", "val", "val full"), series.keySet());
        assertEquals("H_2 = 1.7500 bits/char: the floor with 2 symbols of context", series.get("context floor").getLabel());
        assertEquals("H_2 - H = 0.5000: what the context cannot see", series.get("unseen").getLabel());
        assertTrue(series.get("gap").getLabel().startsWith("model's gap to H_2, last 0.01"), series.get("gap").getLabel());
        // the two regions stack to the whole gap: val down to true + (H_2 - H), then down to true
        int n = data.evals().size();
        double[] gap = series.get("gap").getYData(), unseen = series.get("unseen").getYData();
        for (int i = 0; i < n; i++) {
            var e = data.evals().get(i);
            assertEquals(gap[2 * n - 1 - i], unseen[i], 1e-12);
            assertEquals(e.trueBpc() + 0.5, unseen[i], 1e-9);
            assertEquals(e.trueBpc(), unseen[2 * n - 1 - i], 1e-12);
        }
        assertAxesHoldEverything(chart);
        String ppl = svgOf(LearningCurvePlot.write(run).perplexitySvg());
        assertTrue(ppl.contains("2^H_2 = 3.364"), "H_2 as a perplexity");

        // the same run with a context of 3 (or a subword tokenizer) has one gap, to H
        for (String config : List.of(Files.readString(run.resolve("config.json")).replace("\"context\": 2", "\"context\": 3"),
                Files.readString(run.resolve("config.json")).replace("\"char\"", "\"bpe:512\""))) {
            Files.writeString(run.resolve("config.json"), config);
            var keys = lossChart(run).getSeriesMap().keySet();
            assertTrue(keys.contains("gap") && !keys.contains("unseen") && !keys.contains("context floor"), keys.toString());
        }
        Files.writeString(run.resolve("config.json"), Files.readString(run.resolve("config.json"))
                .replace("\"context\": 3", "\"context\": 2").replace("\"bpe:512\"", "\"char\""));
        LearningCurvePlot.Written w = LearningCurvePlot.write(run);
        assertRealImage(w.png());
        keep(w, "b-context-2-order-3");
    }

    @Test
    void realTextTrainFallsBelowHeldOut() throws Exception {
        Path run = overfittingRun(dir.resolve("overfit"));
        var data = LearningCurvePlot.read(run);
        var chart = lossChart(run);
        var series = chart.getSeriesMap();
        assertEquals(Set.of("unigram", "compressor", "ngram", "train", "val", "val full"), series.keySet());
        double[] train = series.get("train").getYData(), val = series.get("val").getYData();
        assertTrue(train[train.length - 1] < val[val.length - 1] - 0.1, "train below held-out at the end");
        assertEquals(Math.sqrt(3000), series.get("val").getXData()[data.evals().size() - 1], 1e-9);
        assertAxesHoldEverything(chart);
        LearningCurvePlot.Written w = LearningCurvePlot.write(run);
        assertRealImage(w.png());
        keep(w, "c-real-text-overfitting");
    }

    @Test
    void olderRunsReadAsFullPassesAtEpochEnds() throws Exception {
        var data = LearningCurvePlot.read(run(dir.resolve("old"), MARKOV_CONFIG, MARKOV_METRICS, null));
        assertTrue(data.evals().stream().allMatch(e -> e.fullPass() && e.epochEnd() && e.trainNll() != null));
        assertFalse(lossChart(dir.resolve("old")).getSeriesMap().containsKey("val full"), "no second held-out series");
        Path bad = run(dir.resolve("bad-split"), MARKOV_CONFIG, List.of(MARKOV_METRICS.get(0).replace("}", ",\"split_fraction\":0}")), null);
        var e = assertThrows(IllegalArgumentException.class, () -> LearningCurvePlot.write(bad));
        assertTrue(e.getMessage().contains("split_fraction 0.0; it must be in (0, 1]"), e.getMessage());
    }

    @Test
    void legendAvoidsTheCurves() {
        // a curve through the top-right corner pushes the legend elsewhere; the box is in fractions of the plot
        List<double[][]> drawn = List.<double[][]>of(new double[][]{{0, 100}, {0, 10}});
        assertTrue(LearningCurvePlot.covers(drawn, 0, 100, 0, 10, 0.7, 1.0, 0.7, 1.0));
        assertFalse(LearningCurvePlot.covers(drawn, 0, 100, 0, 10, 0.0, 0.3, 0.7, 1.0));
        // an axis starting left of 0 shifts every fraction
        assertTrue(LearningCurvePlot.covers(drawn, -100, 100, 0, 10, 0.5, 0.6, 0.0, 0.2));
        assertEquals("0.00", LearningCurvePlot.decimalPattern(0.3));
        assertEquals("0.0", LearningCurvePlot.decimalPattern(3));
    }
}
