package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * score --html, --reliability and the confidence sentence, end to end: a tiny byte-level model (so that multi-byte
 * characters are split over tokens) scores a generated text full of HTML syntax, tabs, CR LF and 2-, 3- and 4-byte
 * characters; the page is checked in a real headless Chromium against the per-token CSV.
 */
class ScoreReportTest {
    @TempDir
    static Path dir;
    static Path run;
    static Path probeText;

    private static final String[] PIECES = {"the ", "cat ", "sat ", "café ", "naïve ", "漢字 ", "😀 ", "<b>", "</b> ", "&amp; ",
            "\"quoted\" ", "'single' ", "\t", "\r\n", "\n", "a < b > c ", "x=1; ", "über "};

    private static String generated(long seed, int pieces) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < pieces; i++) s.append(PIECES[r.nextInt(PIECES.length)]);
        return s.toString();
    }

    @BeforeAll
    static void trainTinyByteModel() throws IOException {
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, generated(1, 900), StandardCharsets.UTF_8);
        probeText = dir.resolve("probe.txt");
        Files.writeString(probeText, generated(2, 60), StandardCharsets.UTF_8);
        run = dir.resolve("run");
        CliRunner.Result r = CliRunner.run("train", "--corpus", corpus.toString(), "--tokenizer", "byte", "--no-baselines",
                "--out", run.toString(), "--layers", "1", "--heads", "2", "--embd", "16", "--context", "16", "--batch", "8",
                "--epochs", "1", "--max-steps", "40");
        assertEquals(0, r.exitCode(), r.err());
    }

    @Test
    void theHtmlPageShowsEveryTokenAndTheTopPredictionsOnHoverInChromium() throws Exception {
        Path html = dir.resolve("page.html"), png = dir.resolve("reliability.png"), csv = dir.resolve("tokens.csv");
        CliRunner.Result r = CliRunner.run("score", "--run", run.toString(), probeText.toString(), "--html", html.toString(),
                "--reliability", png.toString(), "--per-token", csv.toString(), "--top-k", "4");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("wrote " + html) && r.out().contains("wrote " + png), r.out());

        // the reliability diagram: a PNG of the documented size, also embedded in the page
        BufferedImage diagram = ImageIO.read(png.toFile());
        assertNotNull(diagram);
        assertEquals(760, diagram.getWidth());
        assertEquals(770, diagram.getHeight());
        String page = Files.readString(html, StandardCharsets.UTF_8);
        Matcher img = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(page);
        assertTrue(img.find(), "the diagram is embedded");
        assertNotNull(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(img.group(1)))));
        assertFalse(img.find(), "one image");
        assertFalse(Pattern.compile("(?i)https?://|<link\\b|\\bsrc=\"(?!data:)").matcher(page).find(), "self-contained");
        assertTrue(page.contains("over-confident"), "the confidence sentence is on the page");

        List<String[]> rows = csvRows(csv);
        String text = Files.readString(probeText, StandardCharsets.UTF_8);
        int tokens = text.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(tokens - 1, rows.size());

        // hover: the first predicted token, the continuation bytes of 'é' and '😀', the last token, and one the model missed
        List<Integer> probe = new ArrayList<>(List.of(1, tokens - 1));
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i < tokens && probe.size() < 5; i++) if ((utf8[i] & 0xC0) == 0x80) probe.add(i);
        for (int i = 1; i < tokens; i++)
            if (Integer.parseInt(rows.get(i - 1)[5]) > 4) {
                probe.add(i);
                break;
            }
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        JsonNode res = chromium.probe(html, "", """
                const spans = Array.from(document.querySelectorAll('#f0 .text .t'));
                const tip = document.getElementById('tip');
                const out = {count: spans.length, text: spans.map(s => s.textContent).join(''), tips: []};
                for (const i of %s) {
                  spans[i].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                  const note = tip.querySelector('.tip-note');
                  out.tips.push({hidden: tip.hidden, height: tip.getBoundingClientRect().height,
                    token: tip.querySelector('.tip-head .tok').textContent,
                    stats: Array.from(tip.querySelectorAll('.tip-stats td')).map(td => td.textContent),
                    preds: Array.from(tip.querySelectorAll('tr.pred')).map(tr => [tr.querySelector('.tok').textContent,
                      tr.querySelector('.p').textContent, tr.classList.contains('actual')]),
                    more: (tip.querySelector('.tip-more') || {}).textContent || '', note: note ? note.textContent : ''});
                }
                report(out);
                """.formatted(probe));
        assertEquals(tokens, res.get("count").asInt(), "one span per byte token");
        assertEquals(text, res.get("text").asText(), "the spans' text in order is the scored text");
        for (int k = 0; k < probe.size(); k++) {
            int i = probe.get(k);
            String[] row = rows.get(i - 1);
            JsonNode t = res.get("tips").get(k);
            String where = "token " + i + " " + String.join(",", row);
            assertFalse(t.get("hidden").asBoolean(), where);
            assertTrue(t.get("height").asDouble() > 50, where);
            assertEquals(row[2], t.get("token").asText(), where);
            List<String> stats = new ArrayList<>();
            t.get("stats").forEach(n -> stats.add(n.asText()));
            double surprisal = Double.parseDouble(row[3]), entropy = Double.parseDouble(row[4]);
            int rank = Integer.parseInt(row[5]);
            assertEquals(surprisal, Double.parseDouble(stats.get(0).replace(" bits", "")), 0.0011, where);
            assertEquals(entropy, Double.parseDouble(stats.get(2).replace(" bits", "")), 0.0011, where);
            assertEquals("rank " + rank + " of 256", stats.get(3), where);
            JsonNode preds = t.get("preds");
            assertEquals(4, preds.size(), where);
            double previous = 1, sum = 0;
            for (int j = 0; j < 4; j++) {
                double p = Double.parseDouble(preds.get(j).get(1).asText());
                assertTrue(p <= previous + 1e-9, "probabilities descend: " + where);
                previous = p;
                sum += p;
                boolean actual = preds.get(j).get(2).asBoolean();
                assertEquals(rank == j + 1, actual, "the true token is marked at its rank: " + where);
                if (actual) {
                    assertEquals(row[2], preds.get(j).get(0).asText(), where);
                    assertEquals(Math.pow(2, -surprisal), p, 0.00011, where);
                }
            }
            assertTrue(sum <= 1.0005, where);
            assertEquals(rank > 4, t.get("more").asText().contains("rank " + rank), where);
            if ((utf8[i] & 0xC0) == 0x80)
                assertTrue(t.get("note").asText().matches("This token is byte [2-4] of [2-4] of .*"), t.get("note").asText());
        }
    }

    @Test
    void aLongFileIsDrawnUpToTheLimitAndSaysSo() throws IOException {
        Path html = dir.resolve("cut.html");
        CliRunner.Result r = CliRunner.run("score", "--run", run.toString(), probeText.toString(), "--html", html.toString(),
                "--html-max-tokens", "40");
        assertEquals(0, r.exitCode(), r.err());
        String page = Files.readString(html, StandardCharsets.UTF_8);
        int tokens = Files.readString(probeText, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8).length;
        assertEquals(40, Pattern.compile("<span class=\"t ").matcher(page).results().count());
        assertTrue(page.contains(String.format("Showing the first 40 of %,d tokens (--html-max-tokens 40)", tokens)), page);
    }

    @Test
    void badPageOptionsAreOneLineBeforeAnyScoring() {
        CliRunner.Result r = CliRunner.run("score", "--run", run.toString(), probeText.toString(), "--html",
                dir.resolve("no/such/dir/page.html").toString());
        assertEquals(2, r.exitCode());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("does not exist"), r.err());
        assertFalse(r.out().contains("tokenizer"), "nothing was scored");
        r = CliRunner.run("score", "--run", run.toString(), probeText.toString(), "--html", dir.resolve("x.html").toString(),
                "--html-max-tokens", "0");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--html-max-tokens 0 must be at least 1"), r.err());
    }

    @Test
    void theConfidenceSentenceSaysOverConfidentExactlyWhenEntropyIsBelowCrossEntropy() {
        String over = ScoreCommand.confidenceSentence(1.2, 1.5);
        assertTrue(over.contains("the model is over-confident") && over.contains("0.3000 bits/token less surprise than it gets"), over);
        String under = ScoreCommand.confidenceSentence(1.5, 1.2);
        assertTrue(under.contains("not over-confident but under-confident"), under);
        assertFalse(under.contains("is over-confident"), under);
        assertTrue(ScoreCommand.confidenceSentence(1.23451, 1.23449).contains("neither over- nor under-confident"));
    }

    /** file,offset,token,surprisal_bits,entropy_bits,rank with RFC 4180 quoting. */
    private static List<String[]> csvRows(Path csv) throws IOException {
        String all = Files.readString(csv, StandardCharsets.UTF_8);
        List<String[]> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = all.indexOf('\n') + 1; i < all.length(); i++) {
            char c = all.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < all.length() && all.charAt(i + 1) == '"') { f.append('"'); i++; }
                else if (c == '"') quoted = false;
                else f.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') { fields.add(f.toString()); f.setLength(0); }
            else if (c == '\n') {
                fields.add(f.toString());
                f.setLength(0);
                rows.add(fields.toArray(String[]::new));
                fields.clear();
            } else f.append(c);
        }
        return rows;
    }
}
