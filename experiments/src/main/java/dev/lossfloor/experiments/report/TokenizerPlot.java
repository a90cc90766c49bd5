package dev.lossfloor.experiments.report;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler.LegendPosition;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The tokenizers experiment's figure: held-out perplexity per token (left, log scale) next to held-out bits per byte
 * (right) for each tokenizer, in the house style of the learning curves. The left panel spreads over orders of
 * magnitude, the right one hardly moves: per-token numbers measure the tokenizer, bits per byte the model of the text.
 * A tokenizer with &lt;unk&gt; (not comparable) is drawn grey and starred.
 */
public final class TokenizerPlot {
    static final int WIDTH = 1100;
    static final int HEIGHT = 500;

    private static final Color PPL = new Color(0x1F, 0x5F, 0xB4);
    private static final Color BPB = new Color(0x2C, 0xA0, 0x2C);
    private static final Color NOT_COMPARABLE = new Color(0xA0, 0xA0, 0xA0);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private TokenizerPlot() {}

    /** One tokenizer's bars. */
    public record Bar(String tokenizer, double perplexity, double bitsPerByte, boolean comparable) {
        String label() { return comparable ? tokenizer : tokenizer + " *"; }
    }

    /** Writes the two-panel PNG atomically. */
    public static void write(Path png, String title, List<Bar> bars) {
        String xTitle = bars.stream().allMatch(Bar::comparable) ? "tokenizer" : "tokenizer (* with <unk>: not comparable)";
        CategoryChart ppl = chart(WIDTH / 2, HEIGHT, "perplexity per token (log scale)", xTitle, "held-out perplexity per token");
        CategoryChart bpb = chart(WIDTH - WIDTH / 2, HEIGHT, "bits per byte of the same text", xTitle, "held-out bits per byte");
        double lo = Double.POSITIVE_INFINITY, hi = 0, bpbMax = 0;
        List<String> labels = bars.stream().map(Bar::label).toList();
        addSeries(ppl, "perplexity", labels, bars, true, PPL);
        addSeries(bpb, "bits/byte", labels, bars, false, BPB);
        for (Bar b : bars) {
            lo = Math.min(lo, b.perplexity());
            hi = Math.max(hi, b.perplexity());
            bpbMax = Math.max(bpbMax, b.bitsPerByte());
        }
        var ps = ppl.getStyler();
        ps.setYAxisLogarithmic(true);
        ps.setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.max(1, lo / 2)))));
        ps.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi * 1.8))));
        // bar labels use the axis pattern: whole numbers once a bar reaches 1,000 keep them inside the bar
        ps.setYAxisDecimalPattern(hi >= 1000 ? "#,##0" : "#,##0.#");
        var bs = bpb.getStyler();
        bs.setYAxisMin(0.0);
        bs.setYAxisMax(Math.ceil(bpbMax * 1.15 * 2) / 2);
        bs.setYAxisDecimalPattern("0.00");

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT + 34, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT + 34);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            int w = g.getFontMetrics().stringWidth(title);
            g.drawString(title, (WIDTH - w) / 2, 24);
            g.translate(0, 34);
            ppl.paint(g, WIDTH / 2, HEIGHT);
            g.translate(WIDTH / 2, 0);
            bpb.paint(g, WIDTH - WIDTH / 2, HEIGHT);
        } finally {
            g.dispose();
        }
        LearningCurvePlot.writeAtomically(png, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this Java runtime");
        });
    }

    private static void addSeries(CategoryChart chart, String name, List<String> labels, List<Bar> bars, boolean perplexity,
                                  Color color) {
        // one series per tokenizer (overlapped, so each bar is centred on its label) to grey out the incomparable ones
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            Double[] values = new Double[bars.size()];
            for (int j = 0; j < values.length; j++) values[j] = j == i ? (perplexity ? b.perplexity() : b.bitsPerByte()) : null;
            CategorySeries s = chart.addSeries(name + " " + b.label(), labels, java.util.Arrays.asList(values));
            s.setFillColor(b.comparable() ? color : NOT_COMPARABLE);
        }
    }

    private static CategoryChart chart(int width, int height, String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        var s = chart.getStyler();
        LearningCurvePlot.houseStyle(s);
        s.setLegendVisible(false);
        s.setLegendPosition(LegendPosition.OutsideE);
        s.setChartPadding(14);
        s.setToolTipsEnabled(false);
        s.setOverlapped(true);
        s.setAvailableSpaceFill(0.7);
        s.setLabelsVisible(true);
        s.setLabelsFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        s.setLabelsFontColorAutomaticEnabled(false);
        s.setLabelsFontColor(Color.WHITE);
        s.setLabelsPosition(0.93);
        return chart;
    }
}
