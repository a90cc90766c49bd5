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
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * report.md and report.html of run directories shaped like real ones (every file a run writes, generated values):
 * the built-in Markov source (floor known) and a real-text run with baselines.json. No browser needed.
 */
class RunReportTest {
    @TempDir
    Path dir;

    private static final Pattern IMG = Pattern.compile("<img\\b[^>]*>");
    private static final Pattern DATA_PNG = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    @Test
    void markovRunReportsTheGapToTheFloor() throws IOException {
        Path run = markovRun(dir.resolve("markov"));
        RunReport.Written w = RunReport.write(run);
        assertEquals(run.resolve("report.md"), w.markdown());
        String html = Files.readString(w.html(), StandardCharsets.UTF_8);
        String md = Files.readString(w.markdown(), StandardCharsets.UTF_8);

        assertSelfContained(html, run);
        String summary = "After 705 steps (3 epochs) the held-out loss is 1.2871 bits/char, 0.0020 above the true model "
                + "on the same text (1.2851 bits/char; floor H = 1.2840): the model is within 0.2% of the entropy of the source.";
        assertTrue(html.contains("<p>" + summary + "</p>"), html);
        assertTrue(md.contains(summary), md);
        assertTrue(html.contains("<h1>lossfloor report: markov source</h1>"), html);

        // the final metrics: every key of the last line, with its unit
        for (String key : new String[]{"epoch", "step", "tokens_seen", "lr", "train_nll", "val_nll", "val_ppl",
                "val_bits_per_token", "val_bpc", "val_bpb", "val_tokens", "val_chars", "val_bytes", "floor_bpc",
                "true_bpc", "gap_bpc", "elapsed_s"})
            assertTrue(md.contains("| `" + key + "` |"), key);
        assertTrue(md.contains("| `val_bpc` | 1.2871 | bits/char |"), md);
        assertTrue(md.contains("| `val_nll` | 0.8921 | nats/token |"), md);
        assertTrue(md.contains("| `val_ppl` | 2.440 | per token |"), md);
        assertTrue(md.contains("| `val_tokens` | 19,999 | tokens |"), md);
        // the table of every evaluation, gap column included, and the figure by relative path
        assertTrue(md.contains("| epoch | step | train\\_nll (nats/token) | val\\_nll (nats/token) | val\\_ppl | val\\_bpc "
                + "| val\\_bpb | gap\\_bpc | scored | elapsed (s) |"), md);
        assertTrue(md.contains("| 2 | 470 | 0.9086 | 0.8934 | 2.443 | 1.2889 | 1.2889 | 0.0038 | 100% | 109.0 |"), md);
        assertTrue(md.contains("](learning_curves.png)"), md);
        assertFalse(md.contains("Classic baselines"), "no baselines.json, no baselines table");
        // configuration and manifest
        assertTrue(md.contains("| `training.min_lr` | 0.0003 |"), md);
        assertTrue(md.contains("| `git_commit` | 0123456789abcdef0123456789abcdef01234567 |"), md);
        assertTrue(md.contains("| `data_sha256.generated train text` |"), md);
        assertTrue(md.contains("| `status` | completed |"), md);
        assertTrue(html.contains("<td><code>seeds.training</code></td><td>1337</td>"), html);
    }

    @Test
    void realTextRunComparesWithTheBaselinesAndEscapesEveryString() throws IOException {
        Path run = textRun(dir.resolve("text"));
        RunReport.Written w = RunReport.write(run);
        String html = Files.readString(w.html(), StandardCharsets.UTF_8);
        String md = Files.readString(w.markdown(), StandardCharsets.UTF_8);

        assertSelfContained(html, run);
        assertTrue(html.contains("the held-out loss is 2.0512 bits/char (perplexity 4.145 per token). The best n-gram "
                + "baseline, modified Kneser-Ney order 3, reaches 2.2012 bits/char and the best compressor, bzip2 given the "
                + "training text, 2.4000 bits/char (unigram entropy 4.5000): the model beats the best n-gram by 0.1500 "
                + "bits/char (6.8%), so the entropy of this text is at most 2.0512 bits/char."), html);
        assertTrue(html.contains("The run&#39;s status is &quot;interrupted&quot;"), html);

        // baselines: n-gram orders with both smoothings, compressors alone and given train, unigram
        assertTrue(md.contains("| n-gram order | Kneser-Ney (bits/char) | modified Kneser-Ney (bits/char) |"), md);
        assertTrue(md.contains("| 3 | 2.2500 | 2.2012 |"), md);
        assertTrue(md.contains("| compressor | alone (bits/char) | given train (bits/char) | settings |"), md);
        assertTrue(md.contains("| bzip2 | 2.6000 | 2.4000 |"), md);
        assertTrue(md.contains("| unigram entropy (training split) | 4.5000 |"), md);
        assertFalse(md.contains("gap\\_bpc |"), "no floor, no gap column:\n" + md);

        // strings from the files are escaped: the hostile corpus name is text, never markup
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), html);
        assertTrue(html.contains("<h1>lossfloor report: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</h1>"), html);
        assertFalse(md.contains("<script>"), md);
        assertTrue(md.contains("\\<script\\>"), md);
        // a | inside a table cell does not split the cell
        assertTrue(md.contains("a\\|b"), md);
        for (String line : md.split("\n"))
            if (line.startsWith("| `data.corpus`")) assertEquals(3, line.replace("\\|", "").chars().filter(c -> c == '|').count(), line);
    }

    @Test
    void drawsAMissingFigureAndRejectsADirectoryWithoutMetrics() throws IOException {
        Path run = markovRun(dir.resolve("nofig"));
        Files.delete(run.resolve(LearningCurvePlot.PNG));
        RunReport.write(run);
        assertTrue(Files.isRegularFile(run.resolve(LearningCurvePlot.PNG)));

        Path fresh = dir.resolve("fresh");
        Files.createDirectories(fresh);
        Files.writeString(fresh.resolve("config.json"), "{}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunReport.write(fresh));
        assertTrue(e.getMessage().contains(fresh.resolve("metrics.jsonl").toString()) && e.getMessage().contains("first evaluation"),
                e.getMessage());
        Files.writeString(fresh.resolve("config.json"), "{ not json");
        e = assertThrows(IllegalArgumentException.class, () -> RunReport.write(fresh));
        assertTrue(e.getMessage().startsWith(fresh.resolve("config.json") + " is not valid JSON"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RunReport.write(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }

    @Test
    void escapesForBothFormats() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", RunReport.Document.html("<a href=\"x\">&'"));
        assertEquals("a\\|b \\*c\\* \\_d\\_ \\<e\\> \\`f\\` \\[g\\]", RunReport.Document.md("a|b *c* _d_ <e> `f` [g]"));
        assertEquals("one two", RunReport.Document.md("one\ntwo"));
        assertEquals("`val_bpc`", RunReport.Document.mdCode("val_bpc"));
        assertEquals("a\\|b", RunReport.Document.mdCode("a|b"));
        assertEquals("0.0003", RunReport.shortDouble(3.0000000000000003E-4));
    }

    /** One embedded PNG that decodes to the figure; no external resource of any kind; tables balanced. */
    private static void assertSelfContained(String html, Path run) throws IOException {
        Matcher img = IMG.matcher(html);
        assertTrue(img.find(), "no <img>");
        String tag = img.group();
        assertFalse(img.find(), "more than one <img>");
        Matcher data = DATA_PNG.matcher(tag);
        assertTrue(data.find(), tag.substring(0, Math.min(200, tag.length())));
        byte[] png = Base64.getDecoder().decode(data.group(1));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image, "the data URI is not a PNG");
        assertEquals(LearningCurvePlot.WIDTH, image.getWidth());
        assertEquals(LearningCurvePlot.HEIGHT, image.getHeight());
        assertEquals(Files.size(run.resolve(LearningCurvePlot.PNG)), png.length);

        String lower = html.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("http://") || lower.contains("https://"), "an absolute URL");
        assertFalse(lower.contains("<link") || lower.contains("<script") || lower.contains("@import") || lower.contains("url("),
                "an external resource");
        assertEquals(1, count(lower, " src="), "only the embedded figure has a src");
        assertTrue(lower.startsWith("<!doctype html>") && lower.contains("<meta charset=\"utf-8\">"));
        for (String t : new String[]{"html", "head", "body", "main", "table", "thead", "tbody", "tr", "td", "th", "h1", "h2", "p", "code", "style"})
            assertEquals(count(lower, "<" + t + ">") + count(lower, "<" + t + " "), count(lower, "</" + t + ">"), "<" + t + "> unbalanced");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) n++;
        return n;
    }

    // ---------------------------------------------------------------------------------------------- fixtures

    private static final String KEYS_FORMAT = "{\"epoch\":%d,\"step\":%d,\"tokens_seen\":%d,\"lr\":%s,\"train_nll\":%s,"
            + "\"val_nll\":%s,\"val_ppl\":%s,\"val_bits_per_token\":%s,\"val_bpc\":%s,\"val_bpb\":%s,\"val_tokens\":%d,"
            + "\"val_chars\":%d,\"val_bytes\":%d,\"floor_bpc\":%s,\"true_bpc\":%s,\"gap_bpc\":%s,\"elapsed_s\":%s}\n";

    /** A metrics.jsonl line with every key ./lossfloor train writes, derived the way the trainer derives them. */
    private static String metricsLine(int epoch, long step, double trainNll, double valNll, long chars, Double floor,
                                      Double trueBpc, double elapsed) {
        double bpc = valNll / Math.log(2);
        return String.format(Locale.ROOT, KEYS_FORMAT, epoch, step, step * 768, 0.001, trainNll, valNll, Math.exp(valNll),
                bpc, bpc, bpc, chars, chars, chars, floor, trueBpc, trueBpc == null ? null : bpc - trueBpc, elapsed);
    }

    private static String manifest(String status) {
        return """
                {"lossfloor_version": "0.1.0-SNAPSHOT", "git_commit": "0123456789abcdef0123456789abcdef01234567",
                 "git_dirty": false, "arguments": ["train", "--epochs", "3"], "java": "17.0.15 (Debian)",
                 "dl4j": "1.0.0-M2.1", "nd4j_backend": "CpuBackend", "blas": "OPENBLAS", "os": "Linux 6.1 amd64",
                 "cpu": "AMD EPYC", "cores": 2, "threads": 1, "seeds": {"training": 1337, "synthetic_sample": 2024},
                 "data_sha256": {"generated train text": "8477e0641847a58de60562b38d2fe158d49c5c6baa064308e68c50efa30ea431"},
                 "started": "2026-11-21T18:21:20Z", "ended": "2026-11-21T18:23:55Z", "status": "%s", "message": null}
                """.formatted(status);
    }

    /** The built-in Markov run of the README (3 epochs, floor 1.2840, true model 1.2851). */
    static Path markovRun(Path run) throws IOException {
        Files.createDirectories(run);
        double ln2 = Math.log(2);
        Files.writeString(run.resolve("config.json"), """
                {"lossfloor_version": "0.1.0-SNAPSHOT", "arguments": ["train"], "created": "2026-11-21T18:21:20Z",
                 "data": {"kind": "source", "source": "markov:order=2,alphabet=abcd,concentration=0.5,seed=1",
                          "chars": 200000, "sample_seed": 2024, "val_fraction": 0.1},
                 "tokenizer": "char", "unk": false, "vocab_size": 4, "train_tokens": 180000, "val_tokens": 20000,
                 "model": {"layers": 4, "heads": 4, "embd": 128, "context": 64, "dropout": 0.0, "tie_weights": true, "parameters": 802048},
                 "training": {"batch": 12, "lr": 0.003, "min_lr": 3.0000000000000003E-4, "warmup": 100, "seed": 1337, "epochs": 3},
                 "backend": "CpuBackend", "threads": 1, "floor_bpc": 1.2839611, "true_bpc": 1.2851290}
                """);
        Files.writeString(run.resolve("metrics.jsonl"),
                metricsLine(1, 235, 1.0754, 1.3044 * ln2, 19999, 1.2839611, 1.2851290, 62)
                        + metricsLine(2, 470, 0.9086, 1.2889 * ln2, 19999, 1.2839611, 1.2851290, 109)
                        + metricsLine(3, 705, 0.9026, 1.2871 * ln2, 19999, 1.2839611, 1.2851290, 155));
        Files.writeString(run.resolve("manifest.json"), manifest("completed"));
        LearningCurvePlot.write(run);
        return run;
    }

    /** A real-text run with baselines.json, an interrupted status and hostile strings in its files. */
    static Path textRun(Path run) throws IOException {
        Files.createDirectories(run);
        double ln2 = Math.log(2);
        Files.writeString(run.resolve("config.json"), """
                {"data": {"kind": "corpus", "name": "<script>alert(\\"x\\")</script> & co", "corpus": "texts/a|b.txt",
                          "val_fraction": 0.1},
                 "tokenizer": "char", "vocab_size": 65, "model": {"layers": 1, "heads": 1, "embd": 8, "context": 16}}
                """);
        Files.writeString(run.resolve("metrics.jsonl"),
                metricsLine(1, 100, 3.1, 2.4 * ln2, 111539, null, null, 30)
                        + metricsLine(2, 200, 1.6, 2.0512 * ln2, 111539, null, null, 60));
        Files.writeString(run.resolve("manifest.json"), manifest("interrupted"));
        StringBuilder ngrams = new StringBuilder();
        double[] kn = {4.83, 3.58, 2.25}, mkn = {4.82, 3.57, 2.2012};
        for (int order = 1; order <= 3; order++) {
            for (String smoothing : new String[]{"kn", "mkn"}) {
                double bpc = (smoothing.equals("kn") ? kn : mkn)[order - 1];
                if (ngrams.length() > 0) ngrams.append(',');
                ngrams.append(String.format(Locale.ROOT, "{\"smoothing\":\"%s\",\"order\":%d,\"nats_per_char\":%s,"
                        + "\"bits_per_char\":%s,\"bits_per_byte\":%s,\"chars\":111540,\"bytes\":111540}", smoothing, order, bpc * ln2, bpc, bpc));
            }
        }
        Files.writeString(run.resolve("baselines.json"), """
                {"train_chars": 1003854, "held_out_chars": 111540, "held_out_bytes": 111540, "vocabulary_size": 65, "max_order": 3,
                 "unigram": {"bits_per_char": 4.5, "nats_per_char": 3.119, "chars": 1003854, "distinct": 65},
                 "ngrams": [%s],
                 "compressors": [
                   {"compressor": "deflate", "settings": "level 9", "alone_bits_per_char": 3.2, "conditional_bits_per_char": 3.1},
                   {"compressor": "bzip2", "settings": "block size 900k <-9>", "alone_bits_per_char": 2.6, "conditional_bits_per_char": 2.4},
                   {"compressor": "xz", "settings": "preset 9e", "alone_bits_per_char": 2.9, "conditional_bits_per_char": 2.5}]}
                """.formatted(ngrams));
        LearningCurvePlot.write(run);
        return run;
    }
}
