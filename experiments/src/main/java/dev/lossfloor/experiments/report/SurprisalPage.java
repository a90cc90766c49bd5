package dev.lossfloor.experiments.report;

import dev.lossfloor.data.InformationMetrics;
import dev.lossfloor.tokenizer.Encoding;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * The page of {@code lossfloor score --html}: every scored file's text coloured by the model's surprisal per token,
 * and on hover (or click, or a {@code #tF-I} link) the model's top predictions for that position with their
 * probabilities, the token's surprisal, the predictive entropy and the rank of the true token.
 *
 * <p>Self-contained: CSS and script inline, the reliability diagram as a data URI, nothing fetched. Each token is one
 * {@code <span class="t" data-i="I">} holding exactly the source text it covers, so the spans' text in order is the
 * scored text: a character belongs to the token that holds its first UTF-8 byte, and a byte token in the middle of a
 * multi-byte character is an empty span drawn as a narrow coloured bar. Text that HTML cannot carry literally
 * (NUL, CR and other control characters) is put into its span by the script from the page's data, and shown as
 * {@code \r}, {@code U+0000} and so on. Every string is escaped: HTML text through entities, script data as JSON
 * with {@code <} written as {@code \u003c}.
 */
public final class SurprisalPage {
    /** Surprisal colour classes: one per bit, [0, 1), [1, 2), ..., [9, 10), and 10 bits or more. */
    public static final int BUCKETS = 11;
    /** Light (expected) to dark (surprising); text turns white from {@link #FIRST_DARK}. */
    static final String[] COLORS = {"#fbfbf3", "#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a",
            "#e31a1c", "#bd0026", "#800026", "#4a0018"};
    static final int FIRST_DARK = 7;

    private SurprisalPage() {}

    /** The bucket (CSS class c0..c10) of a surprisal in bits. */
    public static int bucket(double surprisalBits) {
        if (!(surprisalBits >= 0)) return 0;
        return (int) Math.min(BUCKETS - 1, Math.floor(surprisalBits));
    }

    /** What the page shows; {@code display} gives the printable form of a token id (Tokenizer.tokenDisplay). */
    public record Page(String title, String model, List<String> summary, List<String> tableHeader, List<List<String>> tableRows,
                       List<FileData> files, int vocabSize, IntFunction<String> display, byte[] reliabilityPng,
                       String calibration) {}

    /**
     * One scored file: the first {@code shown} tokens' text and, from {@link #add}, their numbers. Tokens past
     * {@code maxTokens} are scored (they count in every number) but not drawn.
     */
    public static final class FileData {
        final String name;
        final int totalTokens, shown, k;
        final String[] text;
        final Map<Integer, String> notes = new TreeMap<>();
        final int[] ids;
        final double[] surprisal, entropy;
        final int[] rank;
        final int[] topIds;
        final double[] topProbs;
        final List<String[]> stats = new ArrayList<>();
        private final int[] bestIds;
        private final double[] bestLogProbs;

        /**
         * @param fileText  the scored text
         * @param enc       its encoding (bytes per token place each character)
         * @param maxTokens how many tokens to draw at most
         * @param k         predictions to keep per position
         */
        public FileData(String name, String fileText, Encoding enc, int maxTokens, int k) {
            if (maxTokens < 1) throw new IllegalArgumentException("--html-max-tokens must be at least 1, got " + maxTokens);
            if (k < 1) throw new IllegalArgumentException("--top-k must be at least 1, got " + k);
            this.name = name;
            this.totalTokens = enc.length();
            this.shown = Math.min(maxTokens, enc.length());
            this.k = k;
            this.ids = java.util.Arrays.copyOf(enc.ids(), shown);
            this.text = segments(fileText, enc.bytesPerToken(), shown, notes);
            this.surprisal = new double[shown];
            this.entropy = new double[shown];
            this.rank = new int[shown];
            this.topIds = new int[shown * k];
            this.topProbs = new double[shown * k];
            java.util.Arrays.fill(topIds, -1);
            this.bestIds = new int[k];
            this.bestLogProbs = new double[k];
        }

        /** Whether the page draws the token at {@code index}. */
        public boolean shows(int index) {
            return index < shown;
        }

        public int shown() { return shown; }

        public int totalTokens() { return totalTokens; }

        /** The source text of each drawn token, in order (their concatenation is the drawn prefix of the file). */
        public List<String> tokenTexts() { return List.of(text); }

        /** The numbers of one predicted token (index >= 1): the model's log-probabilities (nats) and what follows from them. */
        public void add(int index, double[] logProbs, double surprisalBits, double entropyBits, int rankOfTrue) {
            if (!shows(index)) return;
            surprisal[index] = surprisalBits;
            entropy[index] = entropyBits;
            rank[index] = rankOfTrue;
            int kk = Math.min(k, logProbs.length), filled = 0;
            for (int v = 0; v < logProbs.length; v++) {
                double lp = logProbs[v];
                if (filled == kk && !(lp > bestLogProbs[kk - 1])) continue;
                int pos = filled < kk ? filled++ : kk - 1;
                while (pos > 0 && lp > bestLogProbs[pos - 1]) {
                    bestLogProbs[pos] = bestLogProbs[pos - 1];
                    bestIds[pos] = bestIds[pos - 1];
                    pos--;
                }
                bestLogProbs[pos] = lp;
                bestIds[pos] = v;
            }
            for (int j = 0; j < kk; j++) {
                topIds[index * k + j] = bestIds[j];
                topProbs[index * k + j] = Math.exp(bestLogProbs[j]);
            }
        }

        /** A line of the file's own numbers (shown above its text). */
        public void stat(String label, String value) {
            stats.add(new String[]{label, value});
        }
    }

    /**
     * Splits the first {@code count} tokens' source text: each character goes to the token holding its first UTF-8
     * byte. A token that holds part of a multi-byte character gets a sentence in {@code notes} ("This token is byte 2
     * of 3 of ...").
     */
    static String[] segments(String text, int[] bytesPerToken, int count, Map<Integer, String> notes) {
        String[] out = new String[count];
        int pos = 0;               // UTF-16 index of the next character to place
        long tokStart = 0;
        int lastCp = -1;           // the last character placed, and its byte range
        long lastStart = 0, lastEnd = 0;
        for (int t = 0; t < count; t++) {
            long a = tokStart, b = a + bytesPerToken[t];
            // a character that an earlier token started and this one continues
            int openCp = lastCp >= 0 && lastEnd > a && b > a ? lastCp : -1;
            long openStart = lastStart, openEnd = lastEnd;
            int from = pos;
            while (pos < text.length() && lastEnd < b) {
                int cp = text.codePointAt(pos);
                lastCp = cp;
                lastStart = lastEnd;
                lastEnd = lastStart + utf8Length(cp);
                pos += Character.charCount(cp);
            }
            out[t] = text.substring(from, pos);
            boolean endsOpen = pos > from && lastEnd > b;
            String note = null;
            if (openCp >= 0 && pos == from) {
                long first = a - openStart + 1, last = Math.min(b, openEnd) - openStart;
                note = "This token is " + byteRange(first, last, openEnd - openStart) + " of " + describe(openCp)
                        + ", drawn as a narrow bar after the character.";
            } else if (openCp < 0 && endsOpen && out[t].codePointCount(0, out[t].length()) == 1) {
                note = "This token is " + byteRange(1, b - lastStart, lastEnd - lastStart) + " of " + describe(lastCp)
                        + "; the character is drawn on it, its other bytes follow as narrow bars.";
            } else if (openCp >= 0 || endsOpen) {
                List<String> parts = new ArrayList<>();
                if (openCp >= 0)
                    parts.add("begins with " + byteRange(a - openStart + 1, openEnd - openStart, openEnd - openStart) + " of " + describe(openCp));
                if (endsOpen) parts.add("ends with " + byteRange(1, b - lastStart, lastEnd - lastStart) + " of " + describe(lastCp));
                note = "This token " + String.join(" and ", parts) + ".";
            }
            if (note != null) notes.put(t, note);
            tokStart = b;
        }
        return out;
    }

    private static String byteRange(long first, long last, long of) {
        return (first == last ? "byte " + first : "bytes " + first + "-" + last) + " of " + of;
    }

    /** "'é' (U+00E9)" or, for a character that does not print, just "U+0085". */
    static String describe(int cp) {
        String name = String.format(Locale.ROOT, "U+%04X", cp);
        int type = Character.getType(cp);
        boolean printable = type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                && type != Character.PRIVATE_USE && type != Character.UNASSIGNED && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR && type != Character.SPACE_SEPARATOR;
        return printable ? "'" + new String(Character.toChars(cp)) + "' (" + name + ")" : name;
    }

    static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    /** Whether HTML text can carry the string literally (the parser drops NUL and turns CR into LF). */
    static boolean htmlSafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\t') continue;
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return false;
        }
        return true;
    }

    /** How a control character shows in the text: \r, \f, U+0000, ... */
    static String controlDisplay(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                case '\n', '\t' -> { }
                default -> {
                    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) out.append(String.format(Locale.ROOT, "U+%04X", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------- rendering

    public static String html(Page p) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(p.title())).append("</title>\n<style>\n").append(css()).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>").append(esc(p.title())).append("</h1>\n");
        h.append("<p class=\"model\">").append(esc(p.model())).append("</p>\n");
        if (!p.tableHeader().isEmpty()) {
            h.append("<div class=\"table\"><table class=\"scores\">\n<thead><tr>");
            for (int i = 0; i < p.tableHeader().size(); i++)
                h.append(i == 0 ? "<th>" : "<th class=\"num\">").append(esc(p.tableHeader().get(i))).append("</th>");
            h.append("</tr></thead>\n<tbody>\n");
            for (List<String> row : p.tableRows()) {
                h.append("<tr>");
                for (int i = 0; i < row.size(); i++)
                    h.append(i == 0 ? "<td>" : "<td class=\"num\">").append(esc(row.get(i))).append("</td>");
                h.append("</tr>\n");
            }
            h.append("</tbody>\n</table></div>\n");
        }
        for (String s : p.summary()) h.append("<p class=\"summary\">").append(esc(s)).append("</p>\n");
        legend(h, p.vocabSize());

        TreeSet<Integer> used = new TreeSet<>();
        for (int f = 0; f < p.files().size(); f++) {
            FileData d = p.files().get(f);
            h.append("<section class=\"file\" id=\"f").append(f).append("\" data-f=\"").append(f).append("\">\n");
            h.append("<h2>").append(esc(d.name)).append("</h2>\n");
            if (!d.stats.isEmpty()) {
                h.append("<p class=\"stats\">");
                for (int i = 0; i < d.stats.size(); i++) {
                    if (i > 0) h.append(" · ");
                    h.append(esc(d.stats.get(i)[0])).append(" <b>").append(esc(d.stats.get(i)[1])).append("</b>");
                }
                h.append("</p>\n");
            }
            if (d.shown < d.totalTokens)
                h.append("<p class=\"note\">").append(esc(String.format(Locale.ROOT, "Showing the first %,d of %,d tokens "
                        + "(--html-max-tokens %d); the numbers above cover all of them.", d.shown, d.totalTokens, d.shown))).append("</p>\n");
            h.append("<div class=\"text\">");
            for (int i = 0; i < d.shown; i++) {
                String t = d.text[i];
                boolean safe = htmlSafe(t);
                h.append("<span class=\"t ").append(i == 0 ? "u" : "c" + bucket(d.surprisal[i]));
                if (t.isEmpty()) h.append(" cb");
                if (t.indexOf('\n') >= 0) h.append(" nl");
                if (!safe) h.append(" x");
                h.append("\" data-i=\"").append(i).append('"');
                if (!safe) h.append(" data-show=\"").append(esc(controlDisplay(t))).append('"');
                h.append('>');
                if (safe) h.append(esc(t));
                h.append("</span>");
            }
            h.append("</div>\n</section>\n");
            for (int i = 0; i < d.shown; i++) used.add(d.ids[i]);
            for (int id : d.topIds) if (id >= 0) used.add(id);
        }

        if (p.reliabilityPng() != null) {
            h.append("<h2>Calibration</h2>\n");
            if (p.calibration() != null) h.append("<p>").append(esc(p.calibration())).append("</p>\n");
            h.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(p.reliabilityPng()))
                    .append("\" alt=\"Reliability diagram: accuracy of the top-1 prediction against its confidence, per bin\" width=\"")
                    .append(ReliabilityDiagram.WIDTH).append("\" height=\"").append(ReliabilityDiagram.HEIGHT).append("\"></figure>\n");
        }
        h.append("<footer>Written by <code>./lossfloor score --html</code>.</footer>\n</main>\n");
        h.append("<div id=\"tip\" role=\"tooltip\" hidden></div>\n");
        h.append("<script>\n\"use strict\";\nconst VOCAB = ").append(p.vocabSize()).append(";\nconst V = {");
        boolean first = true;
        for (int id : used) {
            if (!first) h.append(',');
            first = false;
            h.append('"').append(id).append("\":").append(json(p.display().apply(id)));
        }
        h.append("};\nconst D = [\n");
        for (int f = 0; f < p.files().size(); f++) {
            if (f > 0) h.append(",\n");
            data(h, p.files().get(f));
        }
        h.append("\n];\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void legend(StringBuilder h, int vocabSize) {
        h.append("<div class=\"legend\"><span class=\"legend-title\">surprisal −log<sub>2</sub> p(token), bits</span>");
        for (int b = 0; b < BUCKETS; b++) {
            String label = b == BUCKETS - 1 ? "≥ " + b : b + "–" + (b + 1);
            h.append("<span class=\"sw c").append(b).append("\">").append(label).append("</span>");
        }
        h.append("<span class=\"sw u\">first token: not predicted</span></div>\n");
        h.append("<p class=\"hint\">").append(esc(String.format(Locale.ROOT, "Each shade is one bit more surprise; a uniform "
                + "guess over the %,d tokens of the vocabulary would cost %.2f bits per token. Hover over a token to see the "
                + "model's top predictions for it; click to keep them open (the address then links to that token); Esc closes.",
                vocabSize, InformationMetrics.natsToBits(Math.log(vocabSize))))).append("</p>\n");
    }

    private static void data(StringBuilder h, FileData d) {
        h.append("{\"k\":").append(d.k).append(",\"id\":[");
        for (int i = 0; i < d.shown; i++) h.append(i == 0 ? "" : ",").append(d.ids[i]);
        h.append("],\n\"s\":[");
        for (int i = 0; i < d.shown; i++) h.append(i == 0 ? "null" : "," + round(d.surprisal[i], 4));
        h.append("],\n\"p\":[");
        for (int i = 0; i < d.shown; i++) h.append(i == 0 ? "null" : "," + significant(InformationMetrics.probabilityFromSurprisalBits(d.surprisal[i])));
        h.append("],\n\"h\":[");
        for (int i = 0; i < d.shown; i++) h.append(i == 0 ? "null" : "," + round(d.entropy[i], 4));
        h.append("],\n\"r\":[");
        for (int i = 0; i < d.shown; i++) h.append(i == 0 ? "" : ",").append(d.rank[i]);
        h.append("],\n\"ti\":[");
        for (int i = 0; i < d.topIds.length; i++) h.append(i == 0 ? "" : ",").append(d.topIds[i]);
        h.append("],\n\"tp\":[");
        for (int i = 0; i < d.topProbs.length; i++) h.append(i == 0 ? "" : ",").append(significant(d.topProbs[i]));
        h.append("],\n\"notes\":{");
        boolean first = true;
        for (Map.Entry<Integer, String> e : d.notes.entrySet()) {
            h.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(json(e.getValue()));
            first = false;
        }
        h.append("},\n\"x\":{");
        first = true;
        for (int i = 0; i < d.shown; i++)
            if (!htmlSafe(d.text[i])) {
                h.append(first ? "" : ",").append('"').append(i).append("\":").append(json(d.text[i]));
                first = false;
            }
        h.append("}}");
    }

    static String round(double x, int decimals) {
        if (!Double.isFinite(x)) return "null";
        return BigDecimal.valueOf(x).setScale(decimals, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** Four significant digits, plain or with an exponent (both are JSON numbers). */
    static String significant(double x) {
        if (!Double.isFinite(x)) return "null";
        if (x == 0) return "0";
        return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toString();
    }

    /** A JSON string that is also safe inside a script element: {@code <}, U+2028 and U+2029 escaped. */
    static String json(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029 || (c >= 0x7F && c <= 0x9F))
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }

    private static String esc(String s) {
        return RunReport.Document.html(s);
    }

    private static String css() {
        StringBuilder c = new StringBuilder(CSS);
        for (int b = 0; b < BUCKETS; b++)
            c.append(".c").append(b).append(" { background: ").append(COLORS[b]).append(';')
                    .append(b >= FIRST_DARK ? " color: #fff;" : "").append(" }\n");
        return c.toString();
    }

    private static final String CSS = """
            body { margin: 0; background: #f6f7f9; color: #1d232b; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
            main { max-width: 1140px; margin: 0 auto; padding: 24px 20px 40px; background: #fff; }
            h1 { font-size: 24px; margin: 0 0 4px; overflow-wrap: anywhere; }
            h2 { font-size: 19px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #d8dde3; overflow-wrap: anywhere; }
            p { max-width: 980px; }
            .model { color: #555; margin-top: 0; overflow-wrap: anywhere; }
            code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
            .table { overflow-x: auto; }
            table.scores { border-collapse: collapse; margin: 4px 0 12px; font-size: 14px; }
            table.scores th, table.scores td { padding: 3px 10px; border-bottom: 1px solid #e6e9ed; text-align: left; white-space: nowrap; }
            table.scores th { background: #eef1f5; font-weight: 600; }
            .num { text-align: right !important; font-variant-numeric: tabular-nums; }
            .legend { display: flex; flex-wrap: wrap; align-items: center; gap: 0; margin: 14px 0 4px; font-size: 12px; }
            .legend-title { margin-right: 10px; font-weight: 600; }
            .sw { display: inline-block; min-width: 44px; padding: 2px 4px; text-align: center; border: 1px solid #e0e0e0; margin-left: -1px; font-variant-numeric: tabular-nums; }
            .sw.u { margin-left: 12px; min-width: 0; }
            .hint, .note, .stats { color: #555; font-size: 13px; }
            .note { color: #8a4b00; }
            .text { font: 14px/1.75 "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere;
                    tab-size: 4; border: 1px solid #e3e6ea; padding: 10px 12px; background: #fff; }
            .t { cursor: pointer; border-radius: 2px; }
            .t.u { outline: 1px dotted #888; }
            .t.nl::before { content: "\\21B5"; opacity: 0.45; }
            .t.x { font-size: 0; }
            .t.x::before { content: attr(data-show); font-size: 11px; background: inherit; border-radius: 2px; padding: 1px 1px; }
            .t.cb { display: inline-block; width: 0.3em; height: 1.05em; vertical-align: -0.2em; }
            .t.hl { outline: 2px solid #1f5fb4; outline-offset: 0; }
            figure { margin: 0; }
            img { display: block; max-width: 100%; height: auto; border: 1px solid #e3e6ea; }
            footer { margin-top: 32px; color: #777; font-size: 13px; }
            #tip { position: absolute; z-index: 10; min-width: 260px; max-width: 420px; background: #fff; color: #1d232b;
                   border: 1px solid #9aa4b0; border-radius: 6px; box-shadow: 0 4px 14px rgba(0,0,0,.18); padding: 8px 10px;
                   font-size: 13px; line-height: 1.4; }
            #tip[hidden] { display: none; }
            #tip .tip-head { font-weight: 600; margin-bottom: 4px; }
            #tip .tok { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #eef1f5; border-radius: 3px; padding: 0 4px; white-space: pre; }
            #tip table { border-collapse: collapse; width: 100%; }
            #tip td, #tip th { padding: 1px 6px 1px 0; text-align: left; font-weight: normal; white-space: nowrap; }
            #tip .tip-stats th { color: #555; }
            #tip .tip-top { margin-top: 6px; }
            #tip .tip-top caption { text-align: left; color: #555; padding-bottom: 2px; }
            #tip .p { text-align: right; font-variant-numeric: tabular-nums; }
            #tip .bar { width: 40%; }
            #tip .bar i { display: block; height: 8px; background: #1f5fb4; opacity: .6; border-radius: 2px; }
            #tip tr.actual td { background: #fff3c4; font-weight: 600; }
            #tip .tip-note, #tip .tip-more { color: #555; margin-top: 4px; }
            """;

    /** Builds the tooltip with DOM calls and textContent only: no page data ever becomes markup. */
    private static final String SCRIPT = """
            const tip = document.getElementById("tip");
            let pinned = null, current = null;
            D.forEach((d, f) => {
              const sec = document.getElementById("f" + f);
              for (const i in d.x) sec.querySelector('.t[data-i="' + i + '"]').textContent = d.x[i];
            });
            function el(tag, cls, text) {
              const e = document.createElement(tag);
              if (cls) e.className = cls;
              if (text !== undefined) e.textContent = text;
              return e;
            }
            function tok(id) { return el("span", "tok", id in V ? V[id] : "#" + id); }
            function prob(p) { return p >= 0.001 ? p.toFixed(4) : p.toExponential(2); }
            function row(table, label, value, extra) {
              const tr = table.insertRow();
              tr.append(el("th", "", label), el("td", "", value), el("td", "", extra || ""));
            }
            function show(span) {
              const f = +span.closest("section").dataset.f, i = +span.dataset.i, d = D[f];
              if (current) current.classList.remove("hl");
              current = span;
              span.classList.add("hl");
              tip.replaceChildren();
              const head = el("div", "tip-head");
              head.append("token " + i.toLocaleString("en") + " ", tok(d.id[i]));
              tip.append(head);
              if (i === 0) {
                tip.append(el("div", "tip-note", "The first token is not predicted: there is no context before it."));
              } else {
                const s = d.s[i], p = d.p[i];
                const stats = el("table", "tip-stats");
                row(stats, "surprisal", s.toFixed(3) + " bits", "p = " + prob(p));
                row(stats, "entropy", d.h[i].toFixed(3) + " bits", "rank " + d.r[i] + " of " + VOCAB.toLocaleString("en"));
                tip.append(stats);
                const top = el("table", "tip-top");
                top.createCaption().textContent = "top " + d.k + " predictions";
                for (let j = 0; j < d.k; j++) {
                  const id = d.ti[i * d.k + j];
                  if (id < 0) continue;
                  const q = d.tp[i * d.k + j], tr = top.insertRow();
                  tr.className = "pred" + (id === d.id[i] ? " actual" : "");
                  tr.dataset.id = id;
                  const bar = el("td", "bar"), fill = el("i");
                  fill.style.width = Math.max(1, Math.round(100 * q)) + "%";
                  bar.append(fill);
                  const name = el("td", "tk");
                  name.append(tok(id));
                  tr.append(el("td", "rk", String(j + 1)), name, el("td", "p", prob(q)), bar);
                }
                tip.append(top);
                if (d.r[i] > d.k) tip.append(el("div", "tip-more", "The true token is not among them: rank " + d.r[i] + ", p = " + prob(p) + "."));
              }
              if (d.notes[i]) tip.append(el("div", "tip-note", d.notes[i]));
              tip.hidden = false;
              place(span);
            }
            function place(span) {
              const r = span.getBoundingClientRect(), w = tip.offsetWidth, h = tip.offsetHeight;
              let top = r.bottom + 6;
              if (top + h > window.innerHeight && r.top - h - 6 >= 0) top = r.top - h - 6;
              const left = Math.max(6, Math.min(r.left, document.documentElement.clientWidth - w - 6));
              tip.style.top = (top + window.scrollY) + "px";
              tip.style.left = (left + window.scrollX) + "px";
            }
            function hide() {
              tip.hidden = true;
              if (current) current.classList.remove("hl");
              current = null;
            }
            document.querySelectorAll(".text").forEach(t => {
              t.addEventListener("mouseover", e => {
                const span = e.target.closest(".t");
                if (span && !pinned) show(span);
              });
              t.addEventListener("mouseleave", () => { if (!pinned) hide(); });
              t.addEventListener("click", e => {
                const span = e.target.closest(".t");
                if (!span) return;
                if (pinned === span) {
                  pinned = null;
                  history.replaceState(null, "", location.pathname + location.search);
                } else {
                  pinned = span;
                  show(span);
                  history.replaceState(null, "", "#t" + span.closest("section").dataset.f + "-" + span.dataset.i);
                }
              });
            });
            document.addEventListener("keydown", e => { if (e.key === "Escape") { pinned = null; hide(); } });
            function fromHash() {
              const m = /^#t(\\d+)-(\\d+)$/.exec(location.hash);
              const span = m && document.querySelector("#f" + m[1] + ' .t[data-i="' + m[2] + '"]');
              if (!span) return;
              pinned = span;
              const r = span.getBoundingClientRect();
              if (r.top < 0 || r.bottom > window.innerHeight) span.scrollIntoView({block: "center"});
              show(span);
            }
            window.addEventListener("hashchange", fromHash);
            fromHash();
            """;
}
