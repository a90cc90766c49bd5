package dev.lossfloor.experiments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The lab sheets (labs/labN-*.md) as the tests read them: their commands (the ```bash blocks), their quoted numbers
 * (a number followed by the HTML comment {@code <!--n:ID-->}, invisible when rendered) and the block at the end that
 * names the source of every ID ({@code <!-- numbers: ...}, a YAML map from ID to a {@link LabNumbers} spec, with an
 * optional {@code tol}).
 */
record LabSheets(int number, Path file, String text) {
    /** A number quoted in a sheet: its text as written, its ID and its line. */
    record Quoted(String text, String id, int line) {
        double value() { return Double.parseDouble(text.replace(",", "")); }

        /** Half a unit of the last digit written: "0.223" may stand for anything from 0.2225 to 0.2235. */
        double rounding() {
            int dot = text.indexOf('.');
            int decimals = dot < 0 ? 0 : text.length() - dot - 1;
            return 0.5 * Math.pow(10, -decimals) + 1e-9;
        }
    }

    static final Pattern TAG = Pattern.compile("(-?\\d[\\d,]*(?:\\.\\d+)?)<!--n:([a-z0-9_]+)-->");
    private static final Pattern NUMBERS_BLOCK = Pattern.compile("<!-- numbers:[^\\n]*\\n(.*?)-->", Pattern.DOTALL);

    /** The repository root (tests run in the module directory). */
    static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        for (Path d = here; d != null; d = d.getParent()) if (Files.isDirectory(d.resolve("labs")) && Files.isRegularFile(d.resolve("pom.xml"))) return d;
        throw new IllegalStateException("no labs/ directory above " + here);
    }

    static Path labsDir() { return repository().resolve("labs"); }

    /** Every sheet, in lab order. */
    static List<LabSheets> all() {
        try (Stream<Path> files = Files.list(labsDir())) {
            List<LabSheets> sheets = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                Matcher m = Pattern.compile("lab(\\d+)-.*\\.md").matcher(f.getFileName().toString());
                if (m.matches()) sheets.add(new LabSheets(Integer.parseInt(m.group(1)), f, Files.readString(f, StandardCharsets.UTF_8)));
            }
            sheets.sort(java.util.Comparator.comparingInt(LabSheets::number));
            return sheets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commands of the ```bash blocks, one per logical line (continuations joined, comments and blanks dropped). */
    List<String> commands() {
        List<String> commands = new ArrayList<>();
        boolean inside = false;
        StringBuilder pending = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!inside && line.strip().equals("```bash")) {
                inside = true;
                continue;
            }
            if (inside && line.startsWith("```")) {
                inside = false;
                continue;
            }
            if (!inside) continue;
            String l = line.strip();
            if (l.endsWith("\\")) {
                pending.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            pending.append(l);
            String command = pending.toString().strip();
            pending.setLength(0);
            if (!command.isEmpty() && !command.startsWith("#")) commands.add(command);
        }
        return commands;
    }

    /** The sources of the quoted numbers, by ID. */
    Map<String, Map<String, Object>> numberSources() {
        Matcher m = NUMBERS_BLOCK.matcher(text);
        if (!m.find()) return Map.of();
        Map<String, Map<String, Object>> sources = new LinkedHashMap<>();
        try {
            Map<?, ?> map = TrainConfigFile.YAML.readValue(m.group(1), Map.class);
            for (Map.Entry<?, ?> e : map.entrySet())
                sources.put(String.valueOf(e.getKey()), TrainConfigFile.stringKeys((Map<?, ?>) e.getValue(), file + " " + e.getKey()));
        } catch (IOException e) {
            throw new IllegalStateException(file + ": the numbers block is not valid YAML: " + e.getMessage());
        }
        return sources;
    }

    /** Every tagged number, in order. */
    List<Quoted> quoted() {
        List<Quoted> q = new ArrayList<>();
        Matcher m = TAG.matcher(text);
        while (m.find()) q.add(new Quoted(m.group(1), m.group(2), lineOf(m.start())));
        return q;
    }

    /**
     * Numbers with three or more decimals in the prose (outside code blocks, inline code and HTML comments) that carry
     * no tag: a number like that is a measured or computed one and must say where it comes from.
     */
    List<String> untagged() {
        String prose = text;
        prose = replaceKeepingLines(prose, Pattern.compile("```.*?```", Pattern.DOTALL));
        prose = replaceKeepingLines(prose, Pattern.compile("(\\d[\\d,]*(?:\\.\\d+)?)<!--n:[a-z0-9_]+-->"));
        prose = replaceKeepingLines(prose, Pattern.compile("<!--.*?-->", Pattern.DOTALL));
        prose = replaceKeepingLines(prose, Pattern.compile("`[^`\\n]*`"));
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("(?<![\\w.])\\d+\\.\\d{3,}").matcher(prose);
        while (m.find()) found.add(file.getFileName() + " line " + lineOf(m.start()) + ": " + m.group());
        return found;
    }

    private static String replaceKeepingLines(String s, Pattern p) {
        Matcher m = p.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(m.group().replaceAll("[^\\n]", " ")));
        m.appendTail(sb);
        return sb.toString();
    }

    private int lineOf(int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** A value written like an example: as many decimals, and thousands separators if it has them. */
    static String format(double value, String like) {
        int dot = like.indexOf('.');
        int decimals = dot < 0 ? 0 : like.length() - dot - 1;
        return String.format(java.util.Locale.ROOT, "%" + (like.contains(",") ? "," : "") + "." + decimals + "f", value);
    }

    /** Splits a command line like a shell does for the simple cases the sheets use: spaces, "double" and 'single' quotes. */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean any = false;
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || w.length() > 0) words.add(w.toString());
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
            }
        }
        if (any || w.length() > 0) words.add(w.toString());
        return words;
    }
}
