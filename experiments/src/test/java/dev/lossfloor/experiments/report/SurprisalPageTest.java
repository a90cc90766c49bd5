package dev.lossfloor.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lossfloor.experiments.HeadlessChromium;
import dev.lossfloor.tokenizer.ByteTokenizer;
import dev.lossfloor.tokenizer.Encoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The surprisal page built from known distributions, so every number the page shows is known: the token texts
 * (multi-byte characters split over byte tokens, control characters, HTML syntax), the escaping, and, in a real
 * headless Chromium, the reconstructed text, the tooltip on hover and the #tF-I link.
 */
class SurprisalPageTest {
    @TempDir
    Path dir;

    /** A tiny "vocabulary" whose printable forms are hostile to HTML and scripts. */
    private static final String[] VOCAB = {"a", "b", "<sp>", "\\n", "&", "\"q\"", "</script><img src=x onerror=alert(1)>", "0xC3"};

    @Test
    void byteTokensGiveEveryCharacterToItsFirstByte() {
        String text = "aé漢😀\r\n";
        Encoding enc = new ByteTokenizer().encode(text);
        Map<Integer, String> notes = new TreeMap<>();
        String[] seg = SurprisalPage.segments(text, enc.bytesPerToken(), enc.length(), notes);
        assertEquals(List.of("a", "é", "", "漢", "", "", "😀", "", "", "", "\r", "\n"), List.of(seg));
        assertEquals(text, String.join("", seg));
        assertEquals("This token is byte 1 of 2 of 'é' (U+00E9); the character is drawn on it, its other bytes follow as narrow bars.", notes.get(1));
        assertEquals("This token is byte 2 of 2 of 'é' (U+00E9), drawn as a narrow bar after the character.", notes.get(2));
        assertEquals("This token is byte 3 of 3 of '漢' (U+6F22), drawn as a narrow bar after the character.", notes.get(5));
        assertEquals("This token is byte 4 of 4 of '😀' (U+1F600), drawn as a narrow bar after the character.", notes.get(9));
        assertFalse(notes.containsKey(0) || notes.containsKey(10) || notes.containsKey(11), notes.toString());
    }

    @Test
    void tokensThatCrossCharacterBoundariesSayWhichBytesTheyHold() {
        String text = "é漢x"; // bytes: C3 A9 | E6 BC A2 | 78
        Map<Integer, String> notes = new TreeMap<>();
        String[] seg = SurprisalPage.segments(text, new int[]{1, 2, 2, 1}, 4, notes);
        assertEquals(List.of("é", "漢", "", "x"), List.of(seg));
        assertEquals("This token begins with byte 2 of 2 of 'é' (U+00E9) and ends with byte 1 of 3 of '漢' (U+6F22).", notes.get(1));
        assertEquals("This token is bytes 2-3 of 3 of '漢' (U+6F22), drawn as a narrow bar after the character.", notes.get(2));
        assertEquals("This token is byte 1 of 2 of 'é' (U+00E9); the character is drawn on it, its other bytes follow as narrow bars.", notes.get(0));
        assertEquals(3, notes.size(), notes.toString());
    }

    @Test
    void everyStringIsEscapedAndNothingIsFetched() throws IOException {
        Path page = writePage(sampleText(), 1000);
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertEquals(1, count(html, "<script"), "one script element: the hostile token display stays inside its JSON string");
        assertEquals(1, count(html, "</script>"));
        assertTrue(html.contains("\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e"), "script data escapes <");
        assertFalse(html.contains("<img src=x"), html);
        assertTrue(html.contains(">&lt;</span>") && html.contains(">&amp;</span>") && html.contains(">&quot;</span>"), "text escaped");
        assertFalse(Pattern.compile("(?i)(https?:)?//[a-z0-9]").matcher(html.replace("http://www.w3.org/2000/svg", "")).find(),
                "no URL anywhere");
        assertFalse(Pattern.compile("(?i)<(link|iframe|object|embed)\\b|\\bsrc=\"(?!data:)").matcher(html).find(), "no external resource");
        assertTrue(html.contains("class=\"t c"), html);
        // CR and NUL cannot sit in HTML text: their spans are filled by the script and marked for the eye
        assertTrue(html.contains("data-show=\"\\r\"></span>") && html.contains("data-show=\"U+0000\"></span>"), html);
    }

    @Test
    void aLongTextIsCutWithANote() throws IOException {
        String html = Files.readString(writePage(sampleText(), 7), StandardCharsets.UTF_8);
        assertEquals(7, count(html, "<span class=\"t "), "7 token spans");
        String n = String.format(Locale.ROOT, "%,d", sampleText().length());
        assertTrue(html.contains("Showing the first 7 of " + n + " tokens (--html-max-tokens 7)"), html);
    }

    @Test
    void bucketsAreWholeBits() {
        assertEquals(0, SurprisalPage.bucket(0.0));
        assertEquals(0, SurprisalPage.bucket(0.999));
        assertEquals(3, SurprisalPage.bucket(3.0));
        assertEquals(10, SurprisalPage.bucket(10.0));
        assertEquals(10, SurprisalPage.bucket(57.3));
    }

    /** In a real browser: the text comes back exactly, a hover shows the known top predictions, a link opens one. */
    @Test
    void inChromiumTheTextIsExactAndAHoverShowsTheTopPredictions() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        String text = sampleText();
        Path page = writePage(text, 1000);
        int[] probe = {1, 2, 5, 7, 11};
        JsonNode r = chromium.probe(page, "", """
                const spans = Array.from(document.querySelectorAll('#f0 .text .t'));
                const tip = document.getElementById('tip');
                const out = {count: spans.length, ordered: spans.every((s, i) => +s.dataset.i === i),
                             text: spans.map(s => s.textContent).join(''), hiddenAtLoad: tip.hidden, tips: []};
                for (const i of %s) {
                  spans[i].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                  const box = tip.getBoundingClientRect();
                  out.tips.push({i: i, hidden: tip.hidden, display: getComputedStyle(tip).display, width: box.width,
                    height: box.height, highlighted: spans[i].classList.contains('hl'),
                    token: tip.querySelector('.tip-head .tok').textContent,
                    stats: Array.from(tip.querySelectorAll('.tip-stats td')).map(td => td.textContent),
                    preds: Array.from(tip.querySelectorAll('tr.pred')).map(tr => [tr.querySelector('.tok').textContent,
                      tr.querySelector('.p').textContent, tr.classList.contains('actual')])});
                }
                spans[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                out.firstToken = tip.textContent;
                document.querySelector('#f0 .text').dispatchEvent(new MouseEvent('mouseleave'));
                out.hiddenAfterLeave = tip.hidden;
                report(out);
                """.formatted(java.util.Arrays.toString(probe)));
        assertEquals(text.length(), r.get("count").asInt());
        assertTrue(r.get("ordered").asBoolean());
        assertEquals(text, r.get("text").asText(), "the spans' text in order is the scored text, CR and NUL included");
        assertTrue(r.get("hiddenAtLoad").asBoolean());
        for (int k = 0; k < probe.length; k++) {
            JsonNode t = r.get("tips").get(k);
            int i = probe[k];
            assertFalse(t.get("hidden").asBoolean(), "hover on token " + i + " shows the box");
            assertFalse("none".equals(t.get("display").asText()));
            assertTrue(t.get("width").asDouble() > 100 && t.get("height").asDouble() > 50, t.toString());
            assertTrue(t.get("highlighted").asBoolean());
            assertEquals(VOCAB[id(text, i)], t.get("token").asText());
            double[] p = probs(i);
            List<String> stats = texts(t.get("stats"));
            assertEquals(4, stats.size(), stats.toString());
            assertEquals(-Math.log(p[id(text, i)]) / Math.log(2), number(stats.get(0), " bits"), 0.0011, stats.toString());
            assertEquals(p[id(text, i)], number(stats.get(1), "p = "), 0.00011, stats.toString());
            assertEquals(entropyBits(p), number(stats.get(2), " bits"), 0.0011, stats.toString());
            assertEquals("rank " + rank(p, id(text, i)) + " of " + VOCAB.length, stats.get(3));
            List<Integer> order = byProbability(p);
            JsonNode preds = t.get("preds");
            assertEquals(3, preds.size());
            for (int j = 0; j < 3; j++) {
                int id = order.get(j);
                assertEquals(VOCAB[id], preds.get(j).get(0).asText(), "prediction " + (j + 1) + " of token " + i);
                assertTrue(preds.get(j).get(1).asText().matches("0\\.\\d{4}"), preds.get(j).toString());
                assertEquals(p[id], Double.parseDouble(preds.get(j).get(1).asText()), 0.00011, "probability " + (j + 1) + " of token " + i);
                assertEquals(id == id(text, i), preds.get(j).get(2).asBoolean(), "the true token is marked");
            }
        }
        assertTrue(r.get("firstToken").asText().contains("not predicted"), r.get("firstToken").asText());
        assertTrue(r.get("hiddenAfterLeave").asBoolean());

        // a link to a token opens its box at load
        JsonNode linked = chromium.probe(page, "#t0-11", """
                const tip = document.getElementById('tip');
                report({hidden: tip.hidden, text: tip.textContent,
                        marked: document.querySelector('#f0 .t[data-i="11"]').classList.contains('hl')});
                """);
        assertFalse(linked.get("hidden").asBoolean());
        assertTrue(linked.get("marked").asBoolean());
        assertTrue(linked.get("text").asText().startsWith("token 11 " + VOCAB[id(text, 11)]), linked.get("text").asText());
    }

    // ---------------------------------------------------------------------------------------------- fixtures

    /** A text over the vocabulary's "characters", with HTML syntax, CR and NUL in it. */
    private static String sampleText() {
        return "ab<&\"a\r\u0000ba&<b\"aab";
    }

    private static final String CHARS = "ab \n&\"<\r";

    /** The token id of the character at i (NUL shares the id of '\r': the display only matters for the tooltip). */
    private static int id(String text, int i) {
        char c = text.charAt(i);
        int id = CHARS.indexOf(c);
        return id >= 0 ? id : 7;
    }

    /** The model's distribution at position i: a fixed, uneven function of i. */
    private static double[] probs(int i) {
        double[] w = new double[VOCAB.length];
        double sum = 0;
        for (int v = 0; v < w.length; v++) {
            w[v] = Math.exp(Math.sin(1.7 * i + 2.3 * v) * 2 + 0.1 * v);
            sum += w[v];
        }
        for (int v = 0; v < w.length; v++) w[v] /= sum;
        return w;
    }

    private Path writePage(String text, int maxTokens) throws IOException {
        int[] ids = new int[text.length()], bytes = new int[text.length()], chars = new int[text.length()];
        for (int i = 0; i < text.length(); i++) {
            ids[i] = id(text, i);
            bytes[i] = 1;
            chars[i] = 1;
        }
        Encoding enc = new Encoding(ids, bytes, chars, 0);
        SurprisalPage.FileData f = new SurprisalPage.FileData("sample <1>.txt", text, enc, maxTokens, 3);
        for (int i = 1; i < text.length() && f.shows(i); i++) {
            double[] p = probs(i), lp = new double[p.length];
            for (int v = 0; v < p.length; v++) lp[v] = Math.log(p[v]);
            f.add(i, lp, -Math.log(p[ids[i]]) / Math.log(2), entropyBits(p), rank(p, ids[i]));
        }
        f.stat("tokens", String.valueOf(text.length() - 1));
        SurprisalPage.Page page = new SurprisalPage.Page("surprisal of sample <1>.txt", "Model & co", List.of("a \"summary\""),
                List.of("file", "tokens"), List.of(List.of("sample <1>.txt", "17")), List.of(f), VOCAB.length, id -> VOCAB[id],
                null, null);
        Path out = dir.resolve("page-" + maxTokens + ".html");
        Files.writeString(out, SurprisalPage.html(page), StandardCharsets.UTF_8);
        return out;
    }

    private static double entropyBits(double[] p) {
        double h = 0;
        for (double q : p) h -= q * Math.log(q) / Math.log(2);
        return h;
    }

    private static int rank(double[] p, int id) {
        int r = 1;
        for (double q : p) if (q > p[id]) r++;
        return r;
    }

    private static List<Integer> byProbability(double[] p) {
        List<Integer> ids = new ArrayList<>();
        for (int v = 0; v < p.length; v++) ids.add(v);
        ids.sort(Comparator.comparingDouble((Integer v) -> -p[v]).thenComparingInt(v -> v));
        return ids;
    }

    /** The number in "1.234 bits" or "p = 0.1234". */
    private static double number(String s, String unit) {
        return Double.parseDouble(s.replace(unit, "").trim());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
