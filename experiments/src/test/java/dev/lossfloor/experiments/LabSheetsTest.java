package dev.lossfloor.experiments;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * No stale numbers in the lab sheets. Every number a sheet quotes is tagged with the ID of its source; this test
 * runs the source (a cheap lossfloor command, in-process) or reads the outputs that labs/regenerate.sh recorded from
 * the sheet's full-size commands, and fails when the quoted number differs by more than the rounding of its quoted
 * digits. It also runs every sheet's commands at a reduced size (a tiny model, a few steps, --quick experiments) to
 * check that they still work and still print what the answer keys read, and checks that sheets, answer keys and
 * answer templates agree.
 */
class LabSheetsTest {
    /** Outputs of the commands the numbers come from, shared by all numbers (calc, baselines run once each). */
    private static final Map<List<String>, LossfloorCli.Captured> OUTPUTS = new ConcurrentHashMap<>();
    private static final List<Integer> LABS = List.of(1, 2, 3, 4, 5, 6, 7);

    /** The shared corpora directory, as the in-process commands can reach it through $LOSSFLOOR_DATA, or null. */
    static Path corpora() {
        return SharedData.dir();
    }

    private static boolean needsCorpora(String text) {
        return text.contains("tinyshakespeare") || text.contains("LOSSFLOOR_DATA");
    }

    private static LabNumbers.Context sheetContext() {
        return new LabNumbers.Context(Map.of(), LabSheets.labsDir().resolve("recorded"), OUTPUTS);
    }

    @Test
    void everyLabHasASheetAnAnswerKeyAndAnAnswerTemplateThatAgree() throws IOException {
        List<LabSheets> sheets = LabSheets.all();
        assertEquals(LABS, sheets.stream().map(LabSheets::number).toList(), "one sheet per lab, labs/labN-*.md");
        assertEquals(LABS, LabKey.all().stream().map(LabKey::number).toList(), "one answer key per lab");
        for (LabSheets sheet : sheets) {
            LabKey key = LabKey.load(sheet.number());
            String where = sheet.file().getFileName().toString();
            assertEquals("labs/" + where, key.sheet(), "the key names its sheet");
            Path template = LabSheets.labsDir().resolve("answers").resolve("lab" + key.number() + ".yaml");
            assertEquals(key.template(), Files.readString(template, StandardCharsets.UTF_8),
                    template + " must be exactly ./lossfloor lab template " + key.number());
            for (LabKey.Question q : key.questions())
                assertTrue(sheet.text().contains("`" + q.key() + "`"), where + " asks question " + q.key());
            for (String section : List.of("**Learning goal.**", "**Time.**", "## ", "```bash", "What to look at", "Questions",
                    "lab check " + key.number()))
                assertTrue(sheet.text().contains(section), where + " has " + section);
            assertFalse(sheet.commands().isEmpty(), where + " has commands");
            assertTrue(sheet.quoted().stream().anyMatch(q -> q.id().equals("wall") || q.id().equals("time")),
                    where + " states its measured time as a tagged number");
        }
    }

    @Test
    void everyQuotedNumberIsTaggedAndEveryTagHasASource() {
        List<String> problems = new ArrayList<>();
        for (LabSheets sheet : LabSheets.all()) {
            Map<String, Map<String, Object>> sources = sheet.numberSources();
            List<String> used = sheet.quoted().stream().map(LabSheets.Quoted::id).toList();
            for (LabSheets.Quoted q : sheet.quoted())
                if (!sources.containsKey(q.id())) problems.add(sheet.file().getFileName() + " line " + q.line() + ": n:" + q.id() + " has no source");
            for (String id : sources.keySet())
                if (!used.contains(id)) problems.add(sheet.file().getFileName() + ": source " + id + " is never quoted");
            for (Map.Entry<String, Map<String, Object>> e : sources.entrySet()) {
                Map<String, Object> spec = new LinkedHashMap<>(e.getValue());
                spec.remove("tol");
                try {
                    LabNumbers.validate(spec, sheet.file().getFileName() + " " + e.getKey());
                } catch (IllegalArgumentException bad) {
                    problems.add(bad.getMessage());
                }
            }
            problems.addAll(sheet.untagged());
        }
        assertTrue(problems.isEmpty(), "numbers in the sheets:\n" + String.join("\n", problems));
    }

    /**
     * With -Dlossfloor.labs.update=true (after labs/regenerate.sh), every quoted number is first rewritten to what its
     * source gives now, with as many decimals as it had; review the diff, as the words around a number may need to
     * change too.
     */
    static final boolean UPDATE = Boolean.getBoolean("lossfloor.labs.update");

    @TestFactory
    Stream<DynamicTest> quotedNumbersMatchWhatTheToolPrints() throws IOException {
        if (UPDATE) for (LabSheets sheet : LabSheets.all()) update(sheet);
        List<DynamicTest> tests = new ArrayList<>();
        for (LabSheets sheet : LabSheets.all()) {
            Map<String, Map<String, Object>> sources = sheet.numberSources();
            for (LabSheets.Quoted q : sheet.quoted()) {
                String name = "lab " + sheet.number() + " line " + q.line() + ": " + q.text() + " (" + q.id() + ")";
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Map<String, Object> spec = sources.getOrDefault(q.id(), Map.of());
                    assertFalse(spec.isEmpty(), name + " has no source");
                    SharedData.skipWithout(corpora() != null || !needsCorpora(String.valueOf(spec.get("cli"))),
                            "this sheet needs the shared corpora");
                    String stale = stale(q, spec, sheetContext(), name);
                    assertTrue(stale == null, stale);
                }));
            }
        }
        return tests.stream();
    }

    /** Why a quoted number no longer matches its source (more than its rounding, or tol, apart), or null. */
    static String stale(LabSheets.Quoted q, Map<String, Object> source, LabNumbers.Context context, String name) {
        Map<String, Object> spec = new LinkedHashMap<>(source);
        double tol = spec.remove("tol") instanceof Number t ? t.doubleValue() : q.rounding();
        double actual = LabNumbers.resolve(spec, context, name);
        if (Math.abs(actual - q.value()) <= tol) return null;
        return name + ": the sheet says " + q.text() + " but its source gives " + actual
                + (spec.containsKey("recorded") ? " (recorded by labs/regenerate.sh)" : "");
    }

    @Test
    void aStaleOrUntaggedNumberIsCaught(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("lab9-test.md");
        Files.createDirectories(dir.resolve("recorded/lab9"));
        Files.writeString(dir.resolve("recorded/lab9/wall.txt"), "wall_seconds 42\n");
        Files.writeString(file, """
                # A sheet
                -ln 0.8 = 0.223<!--n:nll--> nats, or 0.2232<!--n:nll--> (stale in its 4th digit), 42<!--n:wall--> s,
                0.22<!--n:loose--> with tol, and 1.2840 bits untagged; `0.1234` in code is fine.
                <!-- numbers: sources
                nll: {cli: "calc --p 0.8,0.2 --observed 1", find: '-ln 0.8 = ([0-9.]+) nats'}
                wall: {recorded: lab9, file: wall.txt, find: 'wall_seconds (\\d+)'}
                loose: {cli: "calc --p 0.8,0.2 --observed 1", find: '-ln 0.8 = ([0-9.]+) nats', tol: 0.01}
                -->
                """);
        LabSheets sheet = new LabSheets(9, file, Files.readString(file));
        LabNumbers.Context context = new LabNumbers.Context(Map.of(), dir.resolve("recorded"));
        List<LabSheets.Quoted> quoted = sheet.quoted();
        assertEquals(List.of("0.223", "0.2232", "42", "0.22"), quoted.stream().map(LabSheets.Quoted::text).toList());
        Map<String, Map<String, Object>> sources = sheet.numberSources();
        assertEquals(null, stale(quoted.get(0), sources.get("nll"), context, "a"), "0.223 is -ln 0.8 = 0.2231 rounded");
        String stale = stale(quoted.get(1), sources.get("nll"), context, "b");
        assertTrue(stale != null && stale.contains("the sheet says 0.2232 but its source gives 0.2231"), stale);
        assertEquals(null, stale(quoted.get(2), sources.get("wall"), context, "c"));
        assertEquals(null, stale(quoted.get(3), sources.get("loose"), context, "d"), "within its tol");
        assertEquals(List.of("lab9-test.md line 3: 1.2840"), sheet.untagged());
    }

    private static void update(LabSheets sheet) throws IOException {
        Map<String, Map<String, Object>> sources = sheet.numberSources();
        Matcher m = LabSheets.TAG.matcher(sheet.text());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Map<String, Object> spec = new LinkedHashMap<>(sources.getOrDefault(m.group(2), Map.of()));
            spec.remove("tol");
            String replacement = m.group();
            if (!spec.isEmpty() && (corpora() != null || !needsCorpora(String.valueOf(spec.get("cli"))))) {
                try {
                    double actual = LabNumbers.resolve(spec, sheetContext(), sheet.file() + " " + m.group(2));
                    replacement = LabSheets.format(actual, m.group(1)) + "<!--n:" + m.group(2) + "-->";
                } catch (IllegalArgumentException e) {
                    System.err.println("not updated: " + e.getMessage()); // the test below then fails with the reason
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        Files.writeString(sheet.file(), out.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Train options that shrink any run to seconds; the eval stride becomes the context (fewer held-out windows).
     * sample, score and baselines run as written (a tiny model samples 200 tokens in a second; the baselines of Tiny
     * Shakespeare take seconds and the sheets quote them), so that the answer keys and the quoted numbers, which
     * name the sheet's very commands, find their output in {@link #OUTPUTS} instead of running them again.
     */
    private static final Map<String, String> TRAIN_REDUCED = Map.of("--max-steps", "3", "--layers", "1", "--heads", "1",
            "--embd", "16", "--batch", "4", "--warmup", "0", "--synthetic-chars", "3000");

    static List<String> reduced(List<String> args) {
        List<String> a = new ArrayList<>(args);
        switch (a.get(0)) {
            case "train" -> {
                Map<String, String> set = new LinkedHashMap<>(TRAIN_REDUCED);
                int c = a.indexOf("--context");
                set.put("--eval-stride", c >= 0 ? a.get(c + 1) : "64");
                for (Map.Entry<String, String> e : set.entrySet()) {
                    int i = a.indexOf(e.getKey());
                    if (i >= 0) a.set(i + 1, e.getValue());
                    else a.addAll(List.of(e.getKey(), e.getValue()));
                }
                if (!a.contains("--no-baselines")) a.add("--no-baselines");
            }
            case "run" -> a.add("--quick");
            default -> { }
        }
        return a;
    }

    /** The run directory a key's run refers to: the first runs/... path of the command the key shows. */
    private static Path runDirOf(LabKey.RunSpec spec, Path work) {
        Matcher m = Pattern.compile("(runs/[^\\s;]+)").matcher(String.valueOf(spec.command()));
        assertTrue(m.find(), "run " + spec.name() + " names no runs/ directory in its command");
        return work.resolve(m.group(1));
    }

    @TestFactory
    Stream<DynamicTest> sheetCommandsRunAtReducedSizeAndPrintWhatTheKeysRead(@TempDir Path work) {
        // one working directory for all labs, in order: lab 7 uses lab 6's model as the sheet says
        List<DynamicTest> tests = new ArrayList<>();
        for (LabSheets sheet : LabSheets.all()) {
            tests.add(DynamicTest.dynamicTest("lab " + sheet.number() + ": " + sheet.file().getFileName(), () -> {
                SharedData.skipWithout(corpora() != null || !needsCorpora(String.join("\n", sheet.commands())),
                        "this sheet needs the shared corpora");
                for (String command : sheet.commands()) run(command, work);
                LabKey key = LabKey.load(sheet.number());
                Map<String, Path> dirs = new LinkedHashMap<>();
                for (LabKey.RunSpec r : key.runs().values()) dirs.put(r.name(), runDirOf(r, work));
                LabNumbers.Context context = new LabNumbers.Context(dirs, null, OUTPUTS);
                for (LabKey.Question q : key.questions()) {
                    if (!q.numeric()) continue;
                    double v = LabNumbers.resolve(q.answer(), context, "lab " + sheet.number() + " " + q.key());
                    assertTrue(Double.isFinite(v), q.key() + " = " + v);
                }
                if (!key.runs().isEmpty()) {
                    // the reduced runs are not the sheet's: lab check must say so rather than check answers against them
                    StringBuilder answers = new StringBuilder();
                    dirs.forEach((name, dir) -> answers.append(name).append(": ").append(dir).append('\n'));
                    Path file = work.resolve("answers-lab" + sheet.number() + ".yaml");
                    Files.writeString(file, answers.toString(), StandardCharsets.UTF_8);
                    CliRunner.Result r = CliRunner.run("lab", "check", String.valueOf(sheet.number()), file.toString());
                    assertEquals(1, r.exitCode(), r.out() + r.err());
                    assertTrue(r.out().contains("other settings than the sheet's"), r.out());
                }
            }));
        }
        return tests.stream();
    }

    private static void run(String command, Path work) throws IOException, InterruptedException {
        Path data = corpora();
        if (command.startsWith("./lossfloor ")) {
            String expanded = data == null ? command : command.replace("${LOSSFLOOR_DATA}", data.toString())
                    .replace("$LOSSFLOOR_DATA", data.toString());
            List<String> args = new ArrayList<>();
            for (String w : LabSheets.words(expanded.substring("./lossfloor ".length()))) {
                if (w.startsWith("runs/")) w = work.resolve(w).toString();
                else if (w.startsWith("labs/")) w = LabSheets.repository().resolve(w).toString();
                args.add(w);
            }
            if (args.get(0).equals("lab")) return;
            List<String> reduced = reduced(args);
            LossfloorCli.Captured r = LabNumbers.runCli(reduced.toArray(String[]::new));
            if (r.exitCode() != 0) fail(command + "\n(run as: " + String.join(" ", reduced) + ")\nexit " + r.exitCode() + ": " + r.err());
            if (!reduced.get(0).equals("train") && !reduced.get(0).equals("run")) OUTPUTS.put(List.copyOf(reduced), r);
        } else {
            ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", command).directory(work.toFile()).redirectErrorStream(true);
            if (data != null) pb.environment().put("LOSSFLOOR_DATA", data.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) fail(command + "\nexit " + p.exitValue() + ": " + out);
        }
    }
}
