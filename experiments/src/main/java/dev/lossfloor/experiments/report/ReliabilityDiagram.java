package dev.lossfloor.experiments.report;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reliability diagram of a model's top-1 prediction (PNG): above, per equal-width confidence bin, the fraction of
 * top-1 predictions that were right (bars) and the bin's mean confidence against that accuracy (points), with the
 * diagonal of perfect calibration; below, the share of tokens in each bin with its count. A calibrated model's
 * points lie on the diagonal; points below it are over-confident bins. The ECE is in the title.
 */
public final class ReliabilityDiagram {
    static final int WIDTH = 760;
    static final int TOP_HEIGHT = 540;
    static final int BOTTOM_HEIGHT = 230;
    public static final int HEIGHT = TOP_HEIGHT + BOTTOM_HEIGHT;

    private static final Color BAR = new Color(0x1F, 0x5F, 0xB4, 90);
    private static final Color BAR_EDGE = new Color(0x1F, 0x5F, 0xB4);
    private static final Color POINT = new Color(0xD6, 0x27, 0x28);
    private static final Color COUNT = new Color(0x7F, 0x7F, 0x7F, 120);
    private static final BasicStroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[]{8f, 5f}, 0f);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ReliabilityDiagram() {}

    /** Writes the diagram to {@code png} (through a temporary file renamed into place). */
    public static void write(Path png, Calibration c, String subject) {
        byte[] bytes = png(c, subject);
        LearningCurvePlot.writeAtomically(png, out -> out.write(bytes));
    }

    /** The diagram as PNG bytes; {@code subject} names what was scored, e.g. the file names. */
    public static byte[] png(Calibration c, String subject) {
        XYChart top = reliabilityChart(c, subject);
        XYChart bottom = countChart(c);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            top.paint(g, WIDTH, TOP_HEIGHT);
            g.translate(0, TOP_HEIGHT);
            bottom.paint(g, WIDTH, BOTTOM_HEIGHT);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this Java runtime");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the reliability diagram: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    static XYChart reliabilityChart(Calibration c, String subject) {
        String title = String.format(Locale.ROOT, "Reliability of the top-1 prediction%s: ECE = %.4f",
                subject == null || subject.isEmpty() ? "" : " (" + subject + ")", c.expectedCalibrationError());
        XYChart chart = LearningCurvePlot.newChart(WIDTH, TOP_HEIGHT, title, "confidence (probability of the top-1 token)",
                "accuracy (top-1 token was right)");
        int bins = c.bins();
        double w = 1.0 / bins;

        XYSeries bars = chart.addSeries("bars", barsX(bins), barsY(bins, b -> c.count(b) == 0 ? 0 : c.accuracy(b)));
        bars.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
        bars.setLabel("accuracy per bin (bar)");
        bars.setFillColor(BAR);
        bars.setLineColor(BAR_EDGE);
        bars.setLineWidth(1f);
        bars.setMarker(SeriesMarkers.NONE);

        XYSeries diagonal = chart.addSeries("diagonal", new double[]{0, 1}, new double[]{0, 1});
        diagonal.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        diagonal.setLabel("perfect calibration (accuracy = confidence)");
        diagonal.setLineColor(Color.BLACK);
        diagonal.setLineStyle(DASHED);
        diagonal.setMarker(SeriesMarkers.NONE);

        List<Double> px = new ArrayList<>(), py = new ArrayList<>();
        for (int b = 0; b < bins; b++)
            if (c.count(b) > 0) {
                px.add(c.meanConfidence(b));
                py.add(c.accuracy(b));
            }
        if (!px.isEmpty()) {
            XYSeries points = chart.addSeries("points", px.stream().mapToDouble(Double::doubleValue).toArray(),
                    py.stream().mapToDouble(Double::doubleValue).toArray());
            points.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            points.setLabel(String.format(Locale.ROOT, "mean confidence vs accuracy per bin (%d bins of %.3f)", bins, w));
            points.setMarker(SeriesMarkers.CIRCLE);
            points.setMarkerColor(POINT);
        }
        var s = chart.getStyler();
        s.setLegendPosition(LegendPosition.InsideNW);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 230));
        s.setMarkerSize(9);
        s.setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        s.setXAxisDecimalPattern("0.0");
        s.setYAxisDecimalPattern("0.00");
        s.setChartPadding(14);
        return chart;
    }

    static XYChart countChart(Calibration c) {
        long n = c.tokens();
        XYChart chart = LearningCurvePlot.newChart(WIDTH, BOTTOM_HEIGHT,
                String.format(Locale.ROOT, "tokens per confidence bin (%,d tokens; top-1 accuracy %.4f, mean confidence %.4f)",
                        n, c.accuracy(), c.meanConfidence()),
                "confidence (probability of the top-1 token)", "share of tokens");
        int bins = c.bins();
        double maxShare = 0;
        for (int b = 0; b < bins; b++) maxShare = Math.max(maxShare, n == 0 ? 0 : (double) c.count(b) / n);
        double top = Math.max(0.05, maxShare * 1.25);
        XYSeries bars = chart.addSeries("count", barsX(bins), barsY(bins, b -> n == 0 ? 0 : (double) c.count(b) / n));
        bars.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
        bars.setFillColor(COUNT);
        bars.setLineColor(Color.GRAY);
        bars.setLineWidth(1f);
        bars.setMarker(SeriesMarkers.NONE);
        bars.setShowInLegend(false);
        for (int b = 0; b < bins; b++) {
            if (c.count(b) == 0) continue;
            double share = (double) c.count(b) / n;
            chart.addAnnotation(new AnnotationText(compact(c.count(b)), (b + 0.5) / bins, share + 0.09 * top, false));
        }
        var s = chart.getStyler();
        s.setLegendPosition(LegendPosition.InsideNE); // an outside legend, even hidden, shifts the x axis against the plot
        s.setLegendVisible(false);
        s.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAnnotationTextFontColor(Color.DARK_GRAY);
        s.setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(top);
        s.setXAxisDecimalPattern("0.0");
        s.setYAxisDecimalPattern("0.00");
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setChartPadding(14);
        return chart;
    }

    /** A count in at most 5 characters: 987, 12.3k, 456k, 1.2M. */
    static String compact(long n) {
        if (n < 1000) return Long.toString(n);
        if (n < 100_000) return String.format(Locale.ROOT, "%.1fk", n / 1e3).replace(".0k", "k");
        if (n < 1_000_000) return String.format(Locale.ROOT, "%dk", Math.round(n / 1e3));
        return String.format(Locale.ROOT, "%.1fM", n / 1e6).replace(".0M", "M");
    }

    private interface Height {
        double of(int bin);
    }

    /** The outline of adjacent bars of width 1/bins standing on y = 0: x coordinates. */
    private static double[] barsX(int bins) {
        double[] x = new double[4 * bins];
        for (int b = 0; b < bins; b++) {
            double lo = (double) b / bins, hi = (double) (b + 1) / bins;
            x[4 * b] = lo;
            x[4 * b + 1] = lo;
            x[4 * b + 2] = hi;
            x[4 * b + 3] = hi;
        }
        return x;
    }

    private static double[] barsY(int bins, Height h) {
        double[] y = new double[4 * bins];
        for (int b = 0; b < bins; b++) {
            double v = h.of(b);
            y[4 * b + 1] = v;
            y[4 * b + 2] = v;
        }
        return y;
    }
}
