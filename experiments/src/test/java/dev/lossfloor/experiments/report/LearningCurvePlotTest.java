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
        assertTrue(svg.contains("train (mean over the epoch)"), "char tokenizer: train is exact bits/char");
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

    @Test
    void legendAvoidsTheCurves() {
        // a curve through the top-right corner pushes the legend elsewhere; the box is in fractions of the plot
        List<double[][]> drawn = List.<double[][]>of(new double[][]{{0, 100}, {0, 10}});
        assertTrue(LearningCurvePlot.covers(drawn, 100, 0, 10, 0.7, 1.0, 0.7, 1.0));
        assertFalse(LearningCurvePlot.covers(drawn, 100, 0, 10, 0.0, 0.3, 0.7, 1.0));
        assertEquals("0.00", LearningCurvePlot.decimalPattern(0.3));
        assertEquals("0.0", LearningCurvePlot.decimalPattern(3));
    }
}
