package dev.lossfloor.experiments.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * report.md and report.html of an experiment directory shaped like the ones run and sweep write (two real run
 * directories, summary.csv, experiment.json, overlay.png and params.png): self-contained, the figures decode, the
 * tables and every run's manifest summary are there, links point at files beside the report, strings are escaped.
 */
class ExperimentReportTest {
    @TempDir
    Path dir;

    private static final Pattern DATA_PNG = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"[^>]*>");
    private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");

    @Test
    void anExperimentReportHoldsTheTableThePlotsTheConfigurationAndEveryRun() throws IOException {
        Path exp = experiment(dir.resolve("exp"), true);
        RunReport.Written w = ExperimentReport.write(exp);
        assertEquals(exp.resolve("report.md"), w.markdown());
        String html = Files.readString(w.html(), StandardCharsets.UTF_8);
        String md = Files.readString(w.markdown(), StandardCharsets.UTF_8);

        // self-contained: both figures embedded and decodable, nothing fetched
        Matcher img = DATA_PNG.matcher(html);
        List<BufferedImage> images = new ArrayList<>();
        while (img.find()) images.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(img.group(1)))));
        assertEquals(2, images.size(), "overlay.png and params.png");
        for (BufferedImage im : images) {
            assertNotNull(im);
            assertEquals(ExperimentPlots.WIDTH, im.getWidth());
            assertEquals(ExperimentPlots.HEIGHT, im.getHeight());
        }
        String lower = html.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("http://") || lower.contains("https://"), "an absolute URL");
        assertFalse(lower.contains("<link") || lower.contains("<script") || lower.contains("@import") || lower.contains("url("));
        assertEquals(2, count(lower, " src="), "only the two figures have a src");
        for (String t : new String[]{"html", "head", "body", "main", "table", "thead", "tbody", "tr", "td", "th", "h1", "h2", "h3", "p", "a"})
            assertEquals(count(lower, "<" + t + ">") + count(lower, "<" + t + " "), count(lower, "</" + t + ">"), "<" + t + "> unbalanced");

        // the words, the summary table, the configuration
        assertTrue(html.contains("<h1>lossfloor experiment: tiny-widths (--quick)</h1>"), html);
        assertTrue(html.contains("2 training runs, all completed. The lowest final held-out loss is 1.2871 bits/char (embd=128), "
                + "the highest 1.4095; the entropy floor of the source is 1.2840 bits/char, 0.0031 below the best run."), html);
        assertTrue(html.contains("Widths &lt;b&gt;32&lt;/b&gt; &amp; 128"), "the description is escaped");
        assertTrue(md.contains("| name | varied | parameters | val\\_nll | val\\_bpc | floor\\_bpc | steps |"), md);
        assertTrue(md.contains("| `embd=32` | embd=32 | 53056 | 0.9770 | 1.4095 | 1.2840 | 705 |"), md);
        assertTrue(html.contains("<td class=\"num\">1.2871</td>"), "numeric columns right-aligned");
        assertTrue(md.contains("![Held-out bits per character against the training step for every run](overlay.png)"), md);
        assertTrue(md.contains("](params.png)"), md);
        assertTrue(md.contains("| `layers` | 4 |"), "base settings");
        assertTrue(md.contains("--quick overrides:") && md.contains("| `max-steps` | 20 |"), md);
        assertTrue(md.contains("| `embd=32` | embd=32 | note with \\| and \\& |"), md);

        // every run: its manifest summary and links to its own files, all of which exist
        for (String run : new String[]{"embd=32", "embd=128"}) {
            assertTrue(html.contains("<h3>" + run + "</h3>"), run);
            assertTrue(md.contains("[report.html](" + run + "/report.html)"), md);
        }
        assertTrue(md.contains("| `status` | completed |") && md.contains("| `wall time` | 2 min 35 s |"), md);
        assertTrue(md.contains("| `git commit` | 0123456789abcdef0123456789abcdef01234567 |"), md);
        assertTrue(md.contains("| `model` | 4 layers, 4 heads, 128 wide, context 64, 802,048 parameters |"), md);
        assertTrue(md.contains("| `final evaluation` | step 705, epoch 3 (3 evaluations): val\\_bpc 1.2871, val\\_nll 0.8921 nats/token |"), md);
        Matcher href = HREF.matcher(html);
        int links = 0;
        while (href.find()) {
            String target = href.group(1);
            assertFalse(target.contains(":") || target.startsWith("/"), "relative: " + target);
            assertTrue(Files.isRegularFile(exp.resolve(target)), target + " exists");
            links++;
        }
        assertEquals(2 * 6, links, "report.html, report.md, learning_curves.png, config.json, manifest.json, metrics.jsonl per run");
    }

    @Test
    void anOlderDirectoryWithoutADefinitionStillGetsAReport() throws IOException {
        Path exp = experiment(dir.resolve("old"), false);
        Files.delete(exp.resolve(ExperimentPlots.PARAMS));
        Files.delete(exp.resolve("embd=128").resolve("manifest.json"));
        String md = Files.readString(ExperimentReport.write(exp).markdown(), StandardCharsets.UTF_8);
        assertTrue(md.startsWith("# lossfloor experiment: old\n"), md);
        assertTrue(md.contains("No experiment.json in this directory"), md);
        assertTrue(md.contains("1 completed (embd=128: no manifest)"), md);
        assertFalse(md.contains("params.png"), md);
        assertTrue(ExperimentReport.isExperiment(exp));
        assertFalse(ExperimentReport.isExperiment(exp.resolve("embd=32")), "a run directory is not an experiment");
    }

    @Test
    void aDirectoryWithoutASummaryIsOneClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentReport.write(dir));
        assertTrue(e.getMessage().contains("summary.csv not found"), e.getMessage());
    }

    @Test
    void csvFieldsMayHoldCommasQuotesAndNewlines() throws IOException {
        Path f = dir.resolve("s.csv");
        Files.writeString(f, "a,b,c\r\n1,\"x, \"\"y\"\"\",\"two\nlines\"\n");
        assertEquals(List.of(List.of("a", "b", "c"), List.of("1", "x, \"y\"", "two\nlines")), ExperimentReport.readCsv(f));
    }

    /** An experiment directory like run/sweep write, with two runs of the built-in source. */
    private static Path experiment(Path exp, boolean definition) throws IOException {
        Files.createDirectories(exp);
        RunReportTest.markovRun(exp.resolve("embd=32"));
        RunReportTest.markovRun(exp.resolve("embd=128"));
        Files.writeString(exp.resolve("embd=32").resolve("config.json"), Files.readString(exp.resolve("embd=32").resolve("config.json"))
                .replace("\"embd\": 128", "\"embd\": 32").replace("802048", "53056"));
        for (String run : new String[]{"embd=32", "embd=128"}) {
            RunReport.write(exp.resolve(run));
            Path manifest = exp.resolve(run).resolve("manifest.json");
            Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"ended\": \"[^\"]*\"", "\"ended\": \"2026-11-21T18:23:55Z\"")
                    .replaceFirst("\"started\": \"[^\"]*\"", "\"started\": \"2026-11-21T18:21:20Z\""));
        }
        Files.writeString(exp.resolve("summary.csv"), """
                name,varied,parameters,val_nll,val_bpc,floor_bpc,steps
                embd=32,embd=32,53056,0.9770,1.4095,1.2840,705
                embd=128,embd=128,802048,0.8921,1.2871,1.2840,705
                """);
        if (definition)
            Files.writeString(exp.resolve("experiment.json"), """
                    {"name": "tiny-widths", "description": "Widths <b>32</b> & 128", "quick_run": true,
                     "base": {"layers": 4, "heads": 4}, "quick": {"max-steps": 20},
                     "variants": [{"name": "embd=32", "set": {"embd": 32}, "quick": {}, "plateau": null, "note": "note with | and &"},
                                  {"name": "embd=128", "set": {"embd": 128}, "quick": {}, "plateau": null, "note": null}]}
                    """);
        List<ExperimentPlots.Run> runs = List.of(
                new ExperimentPlots.Run("embd=32", 53056, 1.4095, List.of(new double[]{235, 1.6}, new double[]{705, 1.4095}), null, null),
                new ExperimentPlots.Run("embd=128", 802048, 1.2871, List.of(new double[]{235, 1.3}, new double[]{705, 1.2871}), null, null));
        ExperimentPlots.overlay(exp.resolve(ExperimentPlots.OVERLAY), "tiny-widths", runs, 1.2840);
        ExperimentPlots.params(exp.resolve(ExperimentPlots.PARAMS), "tiny-widths", runs, 1.2840);
        return exp;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) n++;
        return n;
    }
}
