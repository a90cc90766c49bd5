package dev.lossfloor.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossfloor.data.InformationMetrics;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The learning curves of a run directory, drawn from its metrics.jsonl, config.json and (real text) baselines.json:
 * <ul>
 *   <li>left panel: training and held-out loss in bits per character against the training step, with the entropy
 *       floor and the gap to it shaded (synthetic sources) or the classic baselines (real text) as reference lines.
 *       Where the model sees fewer symbols than the source's order, the floor with the model's context, H_c, splits
 *       the gap: the model's own share above H_c, and H_c - H, which no model with that context can close;</li>
 *   <li>right panel: held-out perplexity per token against the training step.</li>
 * </ul>
 * The step axis has a square-root scale unless asked otherwise: a run evaluates from step 0 and falls most of the way
 * to the floor in its first fifth, which a linear axis squeezes into a corner beside a long plateau. Evaluations on a
 * subset of the held-out split are joined by the held-out line; those on the full split also get a marker, as they
 * are the ones to compare across runs.
 * <p>
 * Writes learning_curves.png (both panels), learning_curves.svg (the loss panel) and learning_curves_ppl.svg (the
 * perplexity panel), each through a temporary file renamed into place. Needs no display (AWT runs headless).
 */
public final class LearningCurvePlot {
    public static final String PNG = "learning_curves.png";
    public static final String SVG = "learning_curves.svg";
    public static final String PPL_SVG = "learning_curves_ppl.svg";

    static final int WIDTH = 1100;
    static final int HEIGHT = 500;
    /** Width of the loss panel; the perplexity panel takes the rest. */
    static final int LOSS_WIDTH = 740;

    private static final String METRICS = "metrics.jsonl";
    private static final String CONFIG = "config.json";
    private static final String BASELINES = "baselines.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Color VAL = new Color(0x1F, 0x5F, 0xB4);
    private static final Color TRAIN = new Color(0xE0, 0x7B, 0x16);
    private static final Color FLOOR = Color.BLACK;
    private static final Color GAP = new Color(0xD6, 0x27, 0x28, 80);
    private static final Color UNSEEN = new Color(0x8F, 0xA8, 0xC8, 90);
    private static final Color CONTEXT_FLOOR = new Color(0x3B, 0x5B, 0x7F);
    private static final Color NGRAM = new Color(0x2C, 0xA0, 0x2C);
    private static final Color COMPRESSOR = new Color(0x94, 0x67, 0xBD);
    private static final Color UNIGRAM = new Color(0x7F, 0x7F, 0x7F);
    private static final BasicStroke DASHED = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[]{8f, 5f}, 0f);
    private static final BasicStroke DASH_DOT = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[]{9f, 4f, 2f, 4f}, 0f);
    private static final BasicStroke DOTTED = new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
            new float[]{1.5f, 4f}, 0f);
    /** More evaluations than this and the curves are drawn without markers (but for the full passes). */
    private static final int MAX_MARKED_POINTS = 25;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private LearningCurvePlot() {}

    /** The files one call writes. */
    public record Written(Path png, Path svg, Path perplexitySvg) {
        public List<Path> all() { return List.of(png, svg, perplexitySvg); }
    }

    /** How the step axis places a step. */
    public enum StepScale {
        /** At the square root of the step: the early fall and the plateau both get room, and step 0 is on the axis. */
        SQRT,
        /** At the step itself. */
        LINEAR;

        public double position(double step) { return this == SQRT ? Math.signum(step) * Math.sqrt(Math.abs(step)) : step; }

        public double step(double position) { return this == SQRT ? Math.signum(position) * position * position : position; }

        public String title() { return this == SQRT ? "training step (square-root scale)" : "training step"; }
    }

    /** The x range of both panels, in axis positions; a little room left of step 0 keeps its marker whole. */
    record StepAxis(StepScale scale, double lo, double hi) {
        static StepAxis of(StepScale scale, List<Evaluation> evals) {
            double last = evals.stream().mapToDouble(Evaluation::step).max().orElse(1);
            double hi = scale == StepScale.SQRT ? scale.position(Math.max(1, last)) * 1.02 : Math.max(1, last * 1.04);
            return new StepAxis(scale, -0.015 * hi, hi);
        }

        double[] positions(double[] steps) {
            double[] p = new double[steps.length];
            for (int i = 0; i < steps.length; i++) p[i] = scale.position(steps[i]);
            return p;
        }
    }

    /**
     * One line of metrics.jsonl, the fields the figure needs. Older runs have no split_fraction or epoch_end (they
     * evaluated the full split at each epoch end) and a train_nll on every row.
     */
    record Evaluation(long step, Double trainNll, double valBpc, double valPpl, long valTokens, long valChars,
                      Double floorBpc, Double trueBpc, double splitFraction, boolean epochEnd) {
        /** Held-out tokens per character: converts a per-token loss into a per-character one. */
        double tokensPerChar() { return (double) valTokens / valChars; }

        /** train_nll (nats per token) in bits per character; exact when tokens are characters; null before training. */
        Double trainBpc() { return trainNll == null ? null : InformationMetrics.natsToBits(trainNll) * tokensPerChar(); }

        /** Whether this evaluation scored the whole held-out split, not a subset of its windows. */
        boolean fullPass() { return splitFraction >= 1; }
    }

    /** The reference lines that baselines.json supplies (NaN where absent). */
    record Baselines(double unigramBpc, String bestNgram, double bestNgramBpc, String bestCompressor, double bestCompressorBpc) {}

    /** H_c: the best loss with the model's c symbols of context, known when c is below the source's order. */
    record ContextFloor(int context, double bpc) {}

    /** Everything the figure shows. */
    record RunData(String name, boolean charTokens, List<Evaluation> evals, Baselines baselines, ContextFloor contextFloor) {
        Double floorBpc() { return evals.get(evals.size() - 1).floorBpc(); }

        Double trueBpc() { return evals.get(evals.size() - 1).trueBpc(); }

        boolean subsets() { return evals.stream().anyMatch(e -> !e.fullPass()); }

        /** The row the legend quotes: the last full pass, which later runs and older ones both have. */
        Evaluation lastFullPass() {
            for (int i = evals.size() - 1; i >= 0; i--) if (evals.get(i).fullPass()) return evals.get(i);
            return evals.get(evals.size() - 1);
        }
    }

    /** Reads the run directory and (re)writes its figures, the step axis on a square-root scale. */
    public static Written write(Path runDir) {
        return write(runDir, StepScale.SQRT);
    }

    /** Reads the run directory and (re)writes its figures. */
    public static Written write(Path runDir, StepScale scale) {
        RunData data = read(runDir);
        XYChart loss = lossChart(data, scale, LOSS_WIDTH, HEIGHT);
        XYChart ppl = perplexityChart(data, scale, WIDTH - LOSS_WIDTH, HEIGHT);

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            loss.paint(g, LOSS_WIDTH, HEIGHT);
            g.translate(LOSS_WIDTH, 0);
            ppl.paint(g, WIDTH - LOSS_WIDTH, HEIGHT);
        } finally {
            g.dispose();
        }
        Path png = runDir.resolve(PNG), svg = runDir.resolve(SVG), pplSvg = runDir.resolve(PPL_SVG);
        writeAtomically(png, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this Java runtime");
        });
        writeAtomically(svg, out -> writeSvg(loss, out));
        writeAtomically(pplSvg, out -> writeSvg(ppl, out));
        return new Written(png, svg, pplSvg);
    }

    // ---------------------------------------------------------------------------------------------- reading

    static RunData read(Path runDir) {
        if (!Files.isDirectory(runDir))
            throw new IllegalArgumentException("--run " + runDir + " is not a directory; give a directory written by ./lossfloor train");
        Path metrics = runDir.resolve(METRICS);
        if (!Files.isRegularFile(metrics))
            throw new IllegalArgumentException(metrics + " not found; a run writes it at its first evaluation, "
                    + "so give a directory written by ./lossfloor train that has evaluated once");
        List<Evaluation> evals = readMetrics(metrics);
        Path configFile = runDir.resolve(CONFIG);
        JsonNode config = readJson(configFile, false);
        String tokenizer = config == null ? null : config.path("tokenizer").asText(null);
        Path baselinesFile = runDir.resolve(BASELINES);
        Baselines baselines = Files.isRegularFile(baselinesFile) ? baselines(readJson(baselinesFile, true), baselinesFile) : null;
        return new RunData(dataName(config, runDir), "char".equals(tokenizer), evals, baselines,
                contextFloor(config, tokenizer, configFile));
    }

    private static List<Evaluation> readMetrics(Path file) {
        List<Evaluation> evals = new ArrayList<>();
        List<JsonNode> rows = MetricsLines.read(file, "plot again after the run's first evaluation");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String where = file + " evaluation " + (i + 1);
            long valTokens = (long) number(row, "val_tokens", where), valChars = (long) number(row, "val_chars", where);
            if (valTokens <= 0 || valChars <= 0)
                throw new IllegalArgumentException(where + " has val_tokens " + valTokens + " and val_chars " + valChars
                        + "; both must be positive");
            // null before the first training step: there is no training loss to average yet
            Double trainNll = row.path("train_nll").isNull() ? null : number(row, "train_nll", where);
            double split = row.has("split_fraction") ? number(row, "split_fraction", where) : 1.0;
            if (!(split > 0 && split <= 1))
                throw new IllegalArgumentException(where + " has split_fraction " + split + "; it must be in (0, 1]");
            evals.add(new Evaluation((long) number(row, "step", where), trainNll,
                    number(row, "val_bpc", where), number(row, "val_ppl", where), valTokens, valChars,
                    optional(row, "floor_bpc"), optional(row, "true_bpc"), split, row.path("epoch_end").asBoolean(true)));
        }
        return evals;
    }

    /**
     * H_c from config.json's "context_floors_bpc" (H_0 ... H_k) and "model"."context" (c), where the model sees fewer
     * symbols than the source's order k. Only for character and byte tokens: a token of a subword tokenizer spans
     * several symbols, so its context is no count of symbols.
     */
    static ContextFloor contextFloor(JsonNode config, String tokenizer, Path file) {
        if (config == null || !("char".equals(tokenizer) || "byte".equals(tokenizer))) return null;
        JsonNode floors = config.path("context_floors_bpc"), context = config.path("model").path("context");
        if (!floors.isArray() || floors.size() < 2 || !context.isIntegralNumber()) return null;
        int c = context.asInt();
        if (c < 0 || c >= floors.size() - 1) return null;
        if (!floors.get(c).isNumber() || !Double.isFinite(floors.get(c).asDouble()))
            throw new IllegalArgumentException(file + ": \"context_floors_bpc\"[" + c + "] is not a number; it must list "
                    + "H_0 ... H_k in bits/char as ./lossfloor train writes it");
        return new ContextFloor(c, floors.get(c).asDouble());
    }

    private static double number(JsonNode row, String key, String where) {
        JsonNode v = row.get(key);
        if (v == null || !v.isNumber())
            throw new IllegalArgumentException(where + " lacks the number \"" + key + "\"; it must hold the keys ./lossfloor train "
                    + "writes (see docs/run-directory.md)");
        double d = v.asDouble();
        if (!Double.isFinite(d)) throw new IllegalArgumentException(where + ": \"" + key + "\" is not finite");
        return d;
    }

    private static Double optional(JsonNode row, String key) {
        JsonNode v = row.get(key);
        return v != null && v.isNumber() && Double.isFinite(v.asDouble()) ? v.asDouble() : null;
    }

    private static JsonNode readJson(Path file, boolean required) {
        if (!Files.isRegularFile(file)) {
            if (required) throw new IllegalArgumentException(file + " not found");
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON (" + e.getMessage().split("\n")[0]
                    + "); delete it or restore the file the run wrote");
        }
    }

    private static Baselines baselines(JsonNode b, Path file) {
        double unigram = b.path("unigram").path("bits_per_char").asDouble(Double.NaN);
        String ngram = null;
        double ngramBpc = Double.NaN;
        for (JsonNode g : b.path("ngrams")) {
            double bpc = g.path("bits_per_char").asDouble(Double.NaN);
            if ("mkn".equals(g.path("smoothing").asText()) && !(bpc >= ngramBpc)) {
                ngram = "mKN-" + g.path("order").asInt() + " n-gram";
                ngramBpc = bpc;
            }
        }
        String compressor = null;
        double compressorBpc = Double.NaN;
        for (JsonNode c : b.path("compressors")) {
            double bpc = c.path("conditional_bits_per_char").asDouble(Double.NaN);
            if (Double.isFinite(bpc) && !(bpc >= compressorBpc)) {
                compressor = c.path("compressor").asText("compressor") + " given train";
                compressorBpc = bpc;
            }
        }
        if (Double.isNaN(unigram) && ngram == null && compressor == null)
            throw new IllegalArgumentException(file + " holds none of \"unigram\", \"ngrams\", \"compressors\"; "
                    + "rewrite it with ./lossfloor baselines --corpus FILE --out " + file);
        return new Baselines(unigram, ngram, ngramBpc, compressor, compressorBpc);
    }

    /** The data's name for the title: the corpus name, the corpus file's stem, or "markov source". */
    public static String dataName(JsonNode config, Path runDir) {
        JsonNode data = config == null ? null : config.path("data");
        if (data != null && data.isObject()) {
            if (data.hasNonNull("name")) return data.get("name").asText();
            String kind = data.path("kind").asText("");
            if (data.hasNonNull("corpus")) {
                String file = Path.of(data.get("corpus").asText()).getFileName().toString();
                int dot = file.lastIndexOf('.');
                return dot > 0 ? file.substring(0, dot) : file;
            }
            String source = data.path("source").asText("");
            if (!source.isEmpty()) return (source.contains(":") ? source.substring(0, source.indexOf(':')) : source) + " source";
            if (!kind.isEmpty()) return kind;
        }
        Path name = runDir.toAbsolutePath().normalize().getFileName();
        return name == null ? "run" : name.toString();
    }

    // ---------------------------------------------------------------------------------------------- charts

    static XYChart lossChart(RunData d, StepScale scale, int width, int height) {
        List<Evaluation> evals = d.evals();
        Double floor = d.floorBpc(), trueBpc = d.trueBpc();
        Baselines b = d.baselines();
        ContextFloor hc = floor != null && trueBpc != null ? d.contextFloor() : null;
        String title = d.name() + (floor != null ? ": held-out loss vs the entropy floor"
                : b != null ? ": held-out loss vs classic baselines" : ": training and held-out loss");
        XYChart chart = newChart(width, height, title, scale.title(), "bits per character");
        StepAxis axis = StepAxis.of(scale, evals);
        double[] x = axis.positions(evals.stream().mapToDouble(Evaluation::step).toArray());
        double[] val = evals.stream().mapToDouble(Evaluation::valBpc).toArray();
        boolean marked = evals.size() <= MAX_MARKED_POINTS && !d.subsets();
        List<double[][]> drawn = new ArrayList<>();

        if (floor != null && trueBpc != null) {
            // each row's true model loss on the characters that row scored: subsets score other characters than
            // full passes, so the shading follows gap_bpc row by row
            double[] truth = evals.stream().mapToDouble(e -> e.trueBpc() != null ? e.trueBpc() : trueBpc).toArray();
            Evaluation last = d.lastFullPass();
            double lastTruth = last.trueBpc() != null ? last.trueBpc() : trueBpc;
            if (hc != null) {
                // true + (H_c - H) estimates the context's floor on the same characters
                double unseen = hc.bpc() - floor;
                double[] contextTruth = Arrays.stream(truth).map(t -> t + unseen).toArray();
                drawn.add(area(chart, "gap", String.format(Locale.ROOT, "model's gap to H_%d, last %.4f", hc.context(),
                        last.valBpc() - lastTruth - unseen), gapPolygon(x, val, contextTruth, axis), GAP));
                drawn.add(area(chart, "unseen", String.format(Locale.ROOT, "H_%d - H = %.4f: what the context cannot see",
                        hc.context(), unseen), gapPolygon(x, contextTruth, truth, axis), UNSEEN));
            } else {
                drawn.add(area(chart, "gap", String.format(Locale.ROOT, "KL gap (val - true model), last %.4f",
                        last.valBpc() - lastTruth), gapPolygon(x, val, truth, axis), GAP));
            }
        }
        if (b != null) {
            if (Double.isFinite(b.unigramBpc()))
                drawn.add(hline(chart, "unigram", String.format(Locale.ROOT, "unigram entropy %.3f", b.unigramBpc()),
                        b.unigramBpc(), axis, UNIGRAM, DOTTED));
            if (b.bestCompressor() != null)
                drawn.add(hline(chart, "compressor", String.format(Locale.ROOT, "%s %.3f", b.bestCompressor(), b.bestCompressorBpc()),
                        b.bestCompressorBpc(), axis, COMPRESSOR, DASHED));
            if (b.bestNgram() != null)
                drawn.add(hline(chart, "ngram", String.format(Locale.ROOT, "%s %.3f", b.bestNgram(), b.bestNgramBpc()),
                        b.bestNgramBpc(), axis, NGRAM, DASH_DOT));
        }
        if (hc != null)
            drawn.add(hline(chart, "context floor", String.format(Locale.ROOT, "H_%d = %.4f bits/char: the floor with %d symbol%s of context",
                    hc.context(), hc.bpc(), hc.context(), hc.context() == 1 ? "" : "s"), hc.bpc(), axis, CONTEXT_FLOOR, DASH_DOT));
        if (floor != null)
            drawn.add(hline(chart, "floor", String.format(Locale.ROOT, "floor H = %.4f bits/char", floor), floor, axis, FLOOR, DASHED));

        List<Evaluation> trained = evals.stream().filter(e -> e.trainNll() != null).toList();
        if (!trained.isEmpty()) {
            String trainLabel = d.charTokens() ? "train (mean since the previous evaluation)"
                    : "train (approx. bits/char, mean since the previous evaluation)";
            drawn.add(curve(chart, "train", trainLabel, axis.positions(trained.stream().mapToDouble(Evaluation::step).toArray()),
                    trained.stream().mapToDouble(Evaluation::trainBpc).toArray(), TRAIN, 1.8f,
                    marked ? SeriesMarkers.DIAMOND : SeriesMarkers.NONE));
        }
        heldOut(chart, d, "val_bpc", x, val, marked, false, drawn);
        layout(chart, width, height, axis, drawn);
        return chart;
    }

    static XYChart perplexityChart(RunData d, StepScale scale, int width, int height) {
        List<Evaluation> evals = d.evals();
        XYChart chart = newChart(width, height, "held-out perplexity", scale.title(), "perplexity per token");
        StepAxis axis = StepAxis.of(scale, evals);
        double[] x = axis.positions(evals.stream().mapToDouble(Evaluation::step).toArray());
        double[] ppl = evals.stream().mapToDouble(Evaluation::valPpl).toArray();
        List<double[][]> drawn = new ArrayList<>();
        Double floor = d.floorBpc();
        if (floor != null) {
            // a floor per token: bits/char times characters per token, as a perplexity
            double tokensPerChar = d.lastFullPass().tokensPerChar();
            ContextFloor hc = d.trueBpc() != null ? d.contextFloor() : null;
            if (hc != null) {
                double hcPpl = InformationMetrics.perplexityFromBits(hc.bpc() / tokensPerChar);
                drawn.add(hline(chart, "context floor", String.format(Locale.ROOT, "2^H_%d = %.3f", hc.context(), hcPpl),
                        hcPpl, axis, CONTEXT_FLOOR, DASH_DOT));
            }
            double floorPpl = InformationMetrics.perplexityFromBits(floor / tokensPerChar);
            drawn.add(hline(chart, "floor", String.format(Locale.ROOT, "floor 2^H = %.3f", floorPpl), floorPpl, axis, FLOOR, DASHED));
        }
        heldOut(chart, d, "val_ppl", x, ppl, evals.size() <= MAX_MARKED_POINTS && !d.subsets(), true, drawn);
        layout(chart, width, height, axis, drawn);
        return chart;
    }

    /**
     * The held-out curve through every evaluation. Where some evaluations scored a subset of the split, the full
     * passes get filled markers of their own: theirs are the numbers to compare with other runs and the floor. The
     * narrow perplexity panel leaves the subsets to the loss panel's legend.
     */
    private static void heldOut(XYChart chart, RunData d, String key, double[] x, double[] y, boolean marked, boolean narrow,
                                List<double[][]> drawn) {
        List<Evaluation> evals = d.evals();
        String label = "held-out (" + key + ")";
        if (d.subsets() && !narrow) {
            double[] fractions = evals.stream().filter(e -> !e.fullPass()).mapToDouble(Evaluation::splitFraction).distinct().toArray();
            label += fractions.length == 1
                    ? String.format(Locale.ROOT, ", between full passes on %.0f%% of the split", 100 * fractions[0])
                    : ", between full passes on subsets of the split";
        }
        drawn.add(curve(chart, "val", label, x, y, VAL, 2.6f, marked ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE));
        if (!d.subsets()) return;
        List<Integer> full = new ArrayList<>();
        for (int i = 0; i < evals.size(); i++) if (evals.get(i).fullPass()) full.add(i);
        if (full.isEmpty()) return;
        double[] fx = full.stream().mapToDouble(i -> x[i]).toArray(), fy = full.stream().mapToDouble(i -> y[i]).toArray();
        XYSeries s = chart.addSeries("val full", fx, fy);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        s.setLabel(narrow ? "full split" : "held-out on the full split");
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(VAL);
        drawn.add(new double[][]{fx, fy});
    }

    // ---------------------------------------------------------------------------------------------- layout

    /** Estimated plot area of a chart: its size less the title, the axis titles and tick labels, and the padding. */
    private static final int PLOT_LEFT = 82, PLOT_RIGHT = 14, PLOT_TOP = 40, PLOT_BOTTOM = 58;
    /** Gap between an inside legend and the plot border, and slack for markers and line widths, in pixels. */
    private static final int LEGEND_INSET = 10, SLACK = 7;

    /**
     * Sets the axis ranges (every curve and line fully visible, with a margin) and puts the legend inside the plot in a
     * corner where it covers no curve or shading; a horizontal reference line may pass behind it, as the line shows on
     * either side and the legend names its value. Where every corner is taken, the y axis grows to make room above.
     */
    static void layout(XYChart chart, int width, int height, StepAxis axis, List<double[][]> drawn) {
        List<double[][]> curves = drawn.stream().filter(line -> !isReference(line, axis)).toList();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[][] line : drawn) for (double y : line[1]) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
        double pad = Math.max(0.06 * (hi - lo), 0.005 * Math.max(1, Math.abs(hi)));
        // losses and perplexities are never negative: the margin below a steep fall stops at 0
        double yMin = lo >= 0 ? Math.max(0, lo - pad) : lo - pad, yMax = hi + pad;

        double plotW = width - PLOT_LEFT - PLOT_RIGHT, plotH = height - PLOT_TOP - PLOT_BOTTOM;
        double[] legend = legendSize(chart);
        double fw = (legend[0] + LEGEND_INSET + SLACK) / plotW, fh = (legend[1] + LEGEND_INSET + SLACK) / plotH;
        LegendPosition position = null;
        for (LegendPosition candidate : new LegendPosition[]{LegendPosition.InsideNE, LegendPosition.InsideSW,
                LegendPosition.InsideNW, LegendPosition.InsideSE}) {
            boolean east = candidate == LegendPosition.InsideNE || candidate == LegendPosition.InsideSE;
            boolean north = candidate == LegendPosition.InsideNE || candidate == LegendPosition.InsideNW;
            double x0 = east ? 1 - fw : 0, x1 = east ? 1 : fw, y0 = north ? 1 - fh : 0, y1 = north ? 1 : fh;
            if (!covers(curves, axis.lo(), axis.hi(), yMin, yMax, x0, x1, y0, y1)) {
                position = candidate;
                break;
            }
        }
        if (position == null) {
            // room above everything: the legend's band at the top starts above the highest point
            position = LegendPosition.InsideNE;
            double top = hi + 0.5 * pad;
            yMax = Math.max(yMax, (top - fh * yMin) / (1 - fh));
        }
        var s = chart.getStyler();
        s.setLegendPosition(position);
        s.setXAxisMin(axis.lo()).setXAxisMax(axis.hi());
        s.setYAxisMin(yMin).setYAxisMax(yMax);
        s.setYAxisDecimalPattern(decimalPattern(yMax - yMin));
        if (axis.scale() == StepScale.SQRT) {
            // wide tick spacing: positions 5 apart label the squares 0, 25, 100, 225, ... rather than 0, 4, 16, 36, ...
            s.setXAxisTickMarkSpacingHint(100);
            s.setxAxisTickLabelsFormattingFunction(p -> stepLabel(axis.scale().step(p)));
        }
    }

    /**
     * A tick's step, with decimals where the tick's position squared is not whole. Never blank: XChart measures every
     * label and draws none when one is empty; ticks left of step 0 fall outside the plot and are not drawn.
     */
    public static String stepLabel(double step) {
        return new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(step);
    }

    /** Whether a drawn line is a horizontal reference line across the whole axis, as {@link #hline} draws one. */
    private static boolean isReference(double[][] line, StepAxis axis) {
        return line[0].length == 2 && line[0][0] == axis.lo() && line[0][1] == axis.hi() && line[1][0] == line[1][1];
    }

    /** Width and height of the legend box in pixels, measured with the legend font (an upper estimate). */
    private static double[] legendSize(XYChart chart) {
        Font font = chart.getStyler().getLegendFont();
        FontRenderContext frc = new FontRenderContext(null, true, true);
        double textW = 0, textH = 0;
        int entries = 0;
        for (XYSeries series : chart.getSeriesMap().values()) {
            if (!series.isShowInLegend()) continue;
            Rectangle2D r = font.getStringBounds(series.getLabel(), frc);
            textW = Math.max(textW, r.getWidth());
            textH = Math.max(textH, r.getHeight());
            entries++;
        }
        int padding = chart.getStyler().getLegendPadding();
        double w = padding * 3 + chart.getStyler().getLegendSeriesLineLength() + textW;
        double h = padding + entries * (Math.max(textH, 16) + padding);
        return new double[]{w, h};
    }

    /** Whether any drawn line (sampled along its segments) enters the box given in fractions of the plot area. */
    static boolean covers(List<double[][]> drawn, double xMin, double xMax, double yMin, double yMax,
                          double x0, double x1, double y0, double y1) {
        for (double[][] line : drawn) {
            double[] xs = line[0], ys = line[1];
            for (int i = 0; i < xs.length; i++) {
                int j = Math.min(i + 1, xs.length - 1);
                for (int k = 0; k <= 100; k++) {
                    double t = k / 100.0;
                    double fx = (xs[i] + t * (xs[j] - xs[i]) - xMin) / (xMax - xMin);
                    double fy = (ys[i] + t * (ys[j] - ys[i]) - yMin) / (yMax - yMin);
                    if (fx >= x0 && fx <= x1 && fy >= y0 && fy <= y1) return true;
                }
            }
        }
        return false;
    }

    /** Colours and fonts shared by every lossfloor chart, line or bar. */
    static void houseStyle(org.knowm.xchart.style.AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(new Color(0xE4, 0xE4, 0xE4));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }

    /** The house style of every lossfloor chart: white, light grid, legend outside on the right. */
    static XYChart newChart(int width, int height, String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        var s = chart.getStyler();
        houseStyle(s);
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendPosition(LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setLegendSeriesLineLength(28);
        s.setXAxisDecimalPattern("#,##0");
        s.setChartPadding(12);
        s.setToolTipsEnabled(false);
        return chart;
    }

    private static double[][] curve(XYChart chart, String name, String label, double[] x, double[] y, Color color, float width, Marker marker) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setLabel(label);
        s.setLineColor(color);
        s.setLineWidth(width);
        s.setMarker(marker);
        s.setMarkerColor(color);
        return new double[][]{x, y};
    }

    private static double[][] hline(XYChart chart, String name, String label, double y, StepAxis axis, Color color, BasicStroke stroke) {
        double[][] line = {{axis.lo(), axis.hi()}, {y, y}};
        XYSeries s = chart.addSeries(name, line[0], line[1]);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setLabel(label);
        s.setLineColor(color);
        s.setLineStyle(stroke);
        s.setMarker(SeriesMarkers.NONE);
        return line;
    }

    private static double[][] area(XYChart chart, String name, String label, double[][] polygon, Color color) {
        XYSeries s = chart.addSeries(name, polygon[0], polygon[1]);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
        s.setLabel(label);
        s.setFillColor(color);
        s.setLineColor(color);
        s.setLineWidth(0f);
        s.setMarker(SeriesMarkers.NONE);
        return polygon;
    }

    /** The region between two curves over the same positions; a narrow band around a single evaluation. */
    static double[][] gapPolygon(double[] x, double[] upper, double[] lower, StepAxis axis) {
        if (x.length == 1) {
            double w = 0.012 * (axis.hi() - axis.lo());
            return new double[][]{{x[0] - w, x[0] + w, x[0] + w, x[0] - w}, {upper[0], upper[0], lower[0], lower[0]}};
        }
        int n = x.length;
        double[] px = new double[2 * n], py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = x[i];
            py[i] = upper[i];
            px[2 * n - 1 - i] = x[i];
            py[2 * n - 1 - i] = lower[i];
        }
        return new double[][]{px, py};
    }

    /** Enough decimals for ticks about a tenth of the range apart. */
    static String decimalPattern(double range) {
        int decimals = (int) Math.max(0, Math.min(6, Math.ceil(-Math.log10(range / 10))));
        return decimals == 0 ? "#,##0" : "0." + "0".repeat(decimals);
    }

    // ---------------------------------------------------------------------------------------------- writing

    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes a text file the same way. */
    static void writeAtomically(Path file, String content) {
        writeAtomically(file, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes through a temporary sibling (created with the usual permissions, not 0600) renamed into place. */
    static void writeAtomically(Path file, Writer writer) {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().getId() + ".tmp");
        try {
            try {
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
                    writer.write(out);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * XChart draws text as outlines, so the SVG has no searchable text; a title and a description (the chart title
     * and every legend entry) make it accessible and searchable.
     */
    private static void writeSvg(XYChart chart, OutputStream out) throws IOException {
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        String text = svg.toString(StandardCharsets.UTF_8);
        StringBuilder desc = new StringBuilder("x: ").append(chart.getXAxisTitle()).append("; y: ").append(chart.getYAxisTitle());
        for (XYSeries series : chart.getSeriesMap().values())
            if (series.isShowInLegend()) desc.append("; ").append(series.getLabel());
        int open = text.indexOf("<svg");
        int insert = open < 0 ? -1 : text.indexOf('>', open) + 1;
        if (insert > 0)
            text = text.substring(0, insert) + "\n  <title>" + xml(chart.getTitle()) + "</title>\n  <desc>" + xml(desc.toString())
                    + "</desc>" + text.substring(insert);
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
