package dev.lossfloor.experiments.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of an experiment: every run's held-out curve on one plot, and final loss against model size. */
public final class ExperimentPlots {
    public static final String OVERLAY = "overlay.png";
    public static final String PARAMS = "params.png";
    /** Size of both figures in pixels. */
    public static final int WIDTH = 1000, HEIGHT = 520;

    private static final Color[] COLORS = {new Color(0x1F, 0x77, 0xB4), new Color(0xFF, 0x7F, 0x0E), new Color(0x2C, 0xA0, 0x2C),
            new Color(0xD6, 0x27, 0x28), new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B), new Color(0xE3, 0x77, 0xC2),
            new Color(0x7F, 0x7F, 0x7F), new Color(0xBC, 0xBD, 0x22), new Color(0x17, 0xBE, 0xCF)};
    private static final BasicStroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[]{8f, 5f}, 0f);
    private static final BasicStroke DOTTED = new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
            new float[]{2f, 4f}, 0f);

    private static final Color[] PLATEAU_GRAYS = {Color.BLACK, new Color(0x60, 0x60, 0x60), new Color(0x9A, 0x9A, 0x9A)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ExperimentPlots() {}

    /** One run: its name, size, final held-out bits/char, (step, val_bpc) points, and the plateau it should reach. */
    public record Run(String name, long parameters, double finalBpc, List<double[]> curve, String expected, Double expectedBpc) {}

    /** Held-out bits/char against the step for every run, with the entropy floor and the expected plateaus dashed. */
    public static void overlay(Path png, String experiment, List<Run> runs, Double floor) {
        // the step axis of every run's own figure: square-root, so the fall from step 0 and the plateaus both show
        LearningCurvePlot.StepScale scale = LearningCurvePlot.StepScale.SQRT;
        XYChart chart = chart(experiment + ": held-out loss of every run", scale.title(), "held-out bits per character");
        double xMax = 1, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            double[] x = r.curve().stream().mapToDouble(p -> scale.position(p[0])).toArray();
            double[] y = r.curve().stream().mapToDouble(p -> p[1]).toArray();
            XYSeries s = chart.addSeries(r.name(), x, y);
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            s.setLabel(String.format(Locale.ROOT, "%s (final %.4f)", r.name(), r.finalBpc()));
            s.setLineColor(COLORS[i % COLORS.length]);
            s.setMarkerColor(COLORS[i % COLORS.length]);
            s.setLineWidth(2f);
            s.setMarker(x.length <= 25 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            for (double v : x) xMax = Math.max(xMax, v);
            for (double v : y) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        }
        xMax *= 1.02;
        Map<String, Double> plateaus = new LinkedHashMap<>();
        for (Run r : runs) if (r.expected() != null) plateaus.putIfAbsent(r.expected(), r.expectedBpc());
        int k = 0;
        for (Map.Entry<String, Double> p : plateaus.entrySet()) {
            XYSeries line = hline(chart, p.getKey(), String.format(Locale.ROOT, "%s = %.4f bits/char (plateau)", p.getKey(), p.getValue()),
                    p.getValue(), 0, xMax, k % 2 == 0 ? DOTTED : DASHED);
            line.setLineColor(PLATEAU_GRAYS[k++ % PLATEAU_GRAYS.length]);
            lo = Math.min(lo, p.getValue());
            hi = Math.max(hi, p.getValue());
        }
        if (floor != null && plateaus.values().stream().noneMatch(v -> Math.abs(v - floor) < 1e-9)) {
            hline(chart, "floor", String.format(Locale.ROOT, "entropy floor %.4f bits/char", floor), floor, 0, xMax, DASHED);
            lo = Math.min(lo, floor);
            hi = Math.max(hi, floor);
        }
        double pad = Math.max(0.05 * (hi - lo), 0.01);
        chart.getStyler().setXAxisMin(-0.015 * xMax).setXAxisMax(xMax).setYAxisMin(lo - pad).setYAxisMax(hi + pad);
        chart.getStyler().setYAxisDecimalPattern(LearningCurvePlot.decimalPattern(hi - lo + 2 * pad));
        chart.getStyler().setXAxisTickMarkSpacingHint(100);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(p -> LearningCurvePlot.stepLabel(scale.step(p)));
        save(chart, png);
    }

    /** Final held-out bits/char against the parameter count (log scale), one point per run. */
    public static void params(Path png, String experiment, List<Run> runs, Double floor) {
        XYChart chart = chart(experiment + ": final held-out loss vs model size", "parameters (log scale)", "held-out bits per character");
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, pMin = Double.POSITIVE_INFINITY, pMax = 0;
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            XYSeries s = chart.addSeries(r.name(), new double[]{r.parameters()}, new double[]{r.finalBpc()});
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            s.setLabel(String.format(Locale.ROOT, "%s: %,d params, %.4f", r.name(), r.parameters(), r.finalBpc()));
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(COLORS[i % COLORS.length]);
            lo = Math.min(lo, r.finalBpc());
            hi = Math.max(hi, r.finalBpc());
            pMin = Math.min(pMin, r.parameters());
            pMax = Math.max(pMax, r.parameters());
        }
        double xMin = pMin / 1.5, xMax = pMax * 1.5;
        if (runs.size() > 1) {
            List<Run> sorted = runs.stream().sorted((a, b) -> Long.compare(a.parameters(), b.parameters())).toList();
            XYSeries line = chart.addSeries("trend", sorted.stream().mapToDouble(Run::parameters).toArray(),
                    sorted.stream().mapToDouble(Run::finalBpc).toArray());
            line.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            line.setLineColor(Color.GRAY);
            line.setLineWidth(1f);
            line.setMarker(SeriesMarkers.NONE);
            line.setShowInLegend(false);
        }
        if (floor != null) {
            hline(chart, "floor", String.format(Locale.ROOT, "entropy floor %.4f bits/char", floor), floor, xMin, xMax, DASHED);
            lo = Math.min(lo, floor);
            hi = Math.max(hi, floor);
        }
        double pad = Math.max(0.08 * (hi - lo), 0.01);
        var s = chart.getStyler();
        s.setXAxisLogarithmic(true);
        s.setXAxisMin(xMin).setXAxisMax(xMax).setYAxisMin(lo - pad).setYAxisMax(hi + pad);
        s.setMarkerSize(11);
        s.setYAxisDecimalPattern(LearningCurvePlot.decimalPattern(hi - lo + 2 * pad));
        save(chart, png);
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = LearningCurvePlot.newChart(WIDTH, HEIGHT, title, xTitle, yTitle);
        chart.getStyler().setChartPadding(14);
        return chart;
    }

    private static XYSeries hline(XYChart chart, String name, String label, double y, double x0, double x1, BasicStroke stroke) {
        XYSeries s = chart.addSeries(name, new double[]{x0, x1}, new double[]{y, y});
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setLabel(label);
        s.setLineColor(Color.BLACK);
        s.setLineStyle(stroke);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    private static void save(XYChart chart, Path png) {
        Path tmp = png.resolveSibling("." + png.getFileName() + ".tmp.png");
        try {
            BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing left to clean
            }
        }
    }
}
