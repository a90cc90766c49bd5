package dev.lossfloor.experiments;


import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The answer key of one lab sheet, shipped as resources/labs/labN.yaml:
 * <pre>
 * lab: 2
 * title: The loss floor
 * sheet: labs/lab2-loss-floor.md
 * runs:                        # run directories the answer file names (key: what the student ran)
 *   run:
 *     what: the run directory of step 1
 *     command: ./lossfloor train --out runs/lab2
 *     train: ""                # the train options the sheet uses (besides --out): the run must have these settings
 *     data_sha256: 86c4...     # optional: the SHA-256 of the corpus file (then --corpus may name it any way)
 *   exp:
 *     experiment: data-size    # a `run NAME` directory: every run of the experiment, with its full-size settings
 *   excerpts:
 *     files: [german.txt]      # a directory that must hold these files (texts the sheet has the student make)
 * questions:
 *   - key: q1_floor_bits       # the answer file's key; the unit is in the name
 *     ask: the entropy rate H of the source, in bits per character
 *     answer: {cli: "calc --source markov:order=2", find: '= ([0-9.]+) bits per character'}   # see LabNumbers
 *     tol: 0.001               # absolute tolerance (or rel: 0.02, relative)
 *     hint: optional words shown with a wrong answer
 *   - key: q5_choice
 *     ask: which is right? (a) ... (b) ...
 *     options: [a, b]
 *     choice: SHA-256 of "lossfloor lab 2 q5_choice b" (./lossfloor lab hash 2 q5_choice b)
 * </pre>
 * Numeric answers are never stored: the key says which command or run file gives them, so it cannot go stale and
 * does not show the values. Multiple-choice answers are stored as salted hashes.
 */
record LabKey(int number, String title, String sheet, Map<String, RunSpec> runs, List<Question> questions) {

    /** How many labs there may be; `lab list` looks for labs 1..MAX. */
    static final int MAX = 20;
    private static final Set<String> TOP = Set.of("lab", "title", "sheet", "runs", "questions");
    private static final Set<String> RUN_KEYS = Set.of("what", "command", "train", "data_sha256", "experiment", "files");
    private static final Set<String> QUESTION_KEYS = Set.of("key", "ask", "answer", "tol", "rel", "hint", "options", "choice");

    /**
     * A run directory an answer file names.
     *
     * @param train      the train options (besides --out) the run must have been made with, or null for an experiment
     * @param dataSha256 the SHA-256 of the corpus file the run must have read, or null (then --corpus is compared as text)
     * @param experiment the experiment (a built-in name or a definition file) whose directory this is, or null
     * @param files      for a directory of texts rather than a run: the files it must hold, or null
     */
    record RunSpec(String name, String what, String command, String train, String dataSha256, String experiment,
                   List<String> files) {}

    /** A question: a number (answer spec and tolerance) or a choice (options and the hash of the right one). */
    record Question(String key, String ask, Map<String, Object> answer, double tol, double rel, String hint,
                    List<String> options, String choice) {
        boolean numeric() { return answer != null; }

        /** The answer-file runs this question reads. */
        List<String> runsNeeded() { return numeric() ? LabNumbers.runsNeeded(answer) : List.of(); }

        /** The tolerance as the sheet states it: "±0.001" or "±2%". */
        String tolerance() {
            return rel > 0 ? "±" + trim(rel * 100) + "%" : "±" + trim(tol);
        }

        boolean within(double answer, double expected) {
            return Math.abs(answer - expected) <= Math.max(tol, rel * Math.abs(expected)) + 1e-12;
        }
    }

    /** The key of lab N from the resources, or an error naming the labs there are. */
    static LabKey load(int n) {
        LabKey key = loadOrNull(n);
        if (key == null) {
            List<Integer> labs = all().stream().map(LabKey::number).toList();
            throw new IllegalArgumentException("there is no lab " + n + "; the labs are " + labs + " (./lossfloor lab list)");
        }
        return key;
    }

    static LabKey loadOrNull(int n) {
        String resource = "/labs/lab" + n + ".yaml";
        try (InputStream in = LabKey.class.getResourceAsStream(resource)) {
            if (in == null) return null;
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "answer key " + resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every lab whose key is in the resources, in order. */
    static List<LabKey> all() {
        List<LabKey> labs = new ArrayList<>();
        for (int n = 1; n <= MAX; n++) {
            LabKey k = loadOrNull(n);
            if (k != null) labs.add(k);
        }
        return labs;
    }

    @SuppressWarnings("unchecked")
    static LabKey parse(String yaml, String where) {
        Map<String, Object> top = TrainConfigFile.yamlMap(yaml, where);
        unknown(top, TOP, where);
        if (!(top.get("lab") instanceof Number number)) throw new IllegalArgumentException(where + ": lab must be a number");
        Map<String, RunSpec> runs = new LinkedHashMap<>();
        if (top.get("runs") instanceof Map<?, ?> rm) {
            for (Map.Entry<?, ?> e : rm.entrySet()) {
                String name = String.valueOf(e.getKey());
                if (!(e.getValue() instanceof Map<?, ?> specMap)) throw new IllegalArgumentException(where + ": run " + name + " must be a map");
                Map<String, Object> s = TrainConfigFile.stringKeys(specMap, where + " run " + name);
                unknown(s, RUN_KEYS, where + " run " + name);
                String experiment = str(s.get("experiment"));
                String train = s.containsKey("train") ? (s.get("train") == null ? "" : String.valueOf(s.get("train"))) : null;
                List<String> files = s.get("files") instanceof List<?> fl ? fl.stream().map(String::valueOf).toList() : null;
                if ((experiment != null ? 1 : 0) + (train != null ? 1 : 0) + (files != null ? 1 : 0) != 1)
                    throw new IllegalArgumentException(where + " run " + name + ": give one of train: OPTIONS, experiment: NAME, files: [..]");
                runs.put(name, new RunSpec(name, str(s.get("what")), str(s.get("command")), train, str(s.get("data_sha256")),
                        experiment, files));
            }
        }
        List<Question> questions = new ArrayList<>();
        if (!(top.get("questions") instanceof List<?> ql) || ql.isEmpty())
            throw new IllegalArgumentException(where + " needs a non-empty list 'questions'");
        for (Object o : ql) {
            if (!(o instanceof Map<?, ?> qm)) throw new IllegalArgumentException(where + ": every question must be a map");
            Map<String, Object> q = TrainConfigFile.stringKeys(qm, where);
            String key = str(q.get("key"));
            if (key == null || !key.matches("[a-z][a-z0-9_]*"))
                throw new IllegalArgumentException(where + ": question key '" + key + "' must be lower case letters, digits and _");
            String qWhere = where + " question " + key;
            unknown(q, QUESTION_KEYS, qWhere);
            if (runs.containsKey(key) || questions.stream().anyMatch(x -> x.key().equals(key)))
                throw new IllegalArgumentException(qWhere + ": the key is used twice");
            Map<String, Object> answer = q.get("answer") instanceof Map<?, ?> am ? TrainConfigFile.stringKeys(am, qWhere) : null;
            List<String> options = q.get("options") instanceof List<?> ol ? ol.stream().map(x -> normalize(String.valueOf(x))).toList() : null;
            String choice = str(q.get("choice"));
            if ((answer == null) == (choice == null))
                throw new IllegalArgumentException(qWhere + ": give answer: {...} (a number) or choice: HASH with options");
            if (choice != null && (options == null || options.size() < 2))
                throw new IllegalArgumentException(qWhere + ": a choice needs options: [a, b, ...]");
            double tol = q.get("tol") instanceof Number t ? t.doubleValue() : 0;
            double rel = q.get("rel") instanceof Number r ? r.doubleValue() : 0;
            if (answer != null) {
                LabNumbers.validate(answer, qWhere);
                if (tol <= 0 && rel <= 0) throw new IllegalArgumentException(qWhere + ": a number needs tol: or rel: (> 0)");
                for (String run : LabNumbers.runsNeeded(answer))
                    if (!runs.containsKey(run)) throw new IllegalArgumentException(qWhere + ": reads run '" + run + "', which runs: does not declare");
            }
            questions.add(new Question(key, str(q.get("ask")), answer, tol, rel, str(q.get("hint")), options, choice));
        }
        return new LabKey(number.intValue(), str(top.get("title")), str(top.get("sheet")), runs, questions);
    }

    private static void unknown(Map<String, Object> m, Set<String> valid, String where) {
        for (String k : m.keySet())
            if (!valid.contains(k)) throw new IllegalArgumentException(where + ": unknown key '" + k + "'; valid keys: " + valid);
    }

    private static String str(Object o) { return o == null ? null : String.valueOf(o); }

    /** A choice as compared: trimmed, lower case, single spaces, without a trailing ')' or '.' (so "B)" is "b"). */
    static String normalize(String answer) {
        String s = answer.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (s.startsWith("(")) s = s.substring(1);
        while (s.endsWith(")") || s.endsWith(".")) s = s.substring(0, s.length() - 1);
        return s.strip();
    }

    /** The stored form of a choice answer. */
    static String hash(int lab, String key, String answer) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(("lossfloor lab " + lab + " " + key + " " + normalize(answer)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The blank answer file of this lab (labs/answers/labN.yaml is exactly this). */
    String template() {
        StringBuilder t = new StringBuilder();
        t.append("# Lab ").append(number).append(": ").append(title).append(" (").append(sheet).append(")\n");
        t.append("# Copy this file, fill it in, then: ./lossfloor lab check ").append(number).append(" YOUR-FILE.yaml\n");
        t.append("# Numbers only, no units: the unit is in the key's name (nats or bits!). Letters for multiple choice.\n");
        t.append("# Leave a value empty to skip that question. The tolerance of each number is in the comment.\n");
        int width = 0;
        for (String r : runs.keySet()) width = Math.max(width, r.length());
        for (Question q : questions) width = Math.max(width, q.key().length());
        if (!runs.isEmpty()) t.append("\n# The run directories you made (the --out of each command), as paths from where you run lossfloor:\n");
        for (RunSpec r : runs.values())
            t.append(pad(r.name() + ":", width + 2)).append("# ").append(r.what() == null ? "" : r.what())
                    .append(r.command() == null ? "" : " (" + r.command() + ")").append('\n');
        t.append("\n");
        for (Question q : questions) {
            t.append(pad(q.key() + ":", width + 2)).append("# ").append(q.ask() == null ? "" : q.ask());
            if (q.numeric()) t.append(" (").append(q.tolerance()).append(")");
            else t.append(" (one of ").append(String.join(", ", q.options())).append(")");
            t.append('\n');
        }
        return t.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    private static String trim(double d) {
        return new java.math.BigDecimal(String.valueOf(d)).stripTrailingZeros().toPlainString();
    }
}
