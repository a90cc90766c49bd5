package dev.lossfloor.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lossfloor.data.InformationMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** The coursework labs: list them, print a blank answer file, and check a student's answers without showing the right ones. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        subcommands = {LabCommand.ListLabs.class, LabCommand.Template.class, LabCommand.Check.class, LabCommand.Hash.class},
        description = {"The coursework labs (labs/*.md): list, answer templates, check answers.",
                "  lossfloor lab list",
                "  lossfloor lab template 2 > my-lab2.yaml",
                "  lossfloor lab check 2 my-lab2.yaml"})
final class LabCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the labs: number, title, sheet and questions.")
    static final class ListLabs implements Callable<Integer> {
        @Override
        public Integer call() {
            for (LabKey k : LabKey.all())
                System.out.printf("%2d  %s%n    %s, %d questions%n", k.number(), k.title(), k.sheet(), k.questions().size());
            System.out.println("answer files: labs/answers/labN.yaml (or ./lossfloor lab template N); check: ./lossfloor lab check N FILE");
            return 0;
        }
    }

    @Command(name = "template", mixinStandardHelpOptions = true, description = "Print the blank answer file of lab N (labs/answers/labN.yaml).")
    static final class Template implements Callable<Integer> {
        @Parameters(paramLabel = "N", description = "lab number")
        int lab;

        @Override
        public Integer call() {
            System.out.print(LabKey.load(lab).template());
            return 0;
        }
    }

    @Command(name = "hash", hidden = true, description = "For answer-key authors: the stored form of a multiple-choice answer.")
    static final class Hash implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "N") int lab;
        @Parameters(index = "1", paramLabel = "KEY") String key;
        @Parameters(index = "2", paramLabel = "ANSWER") String answer;

        @Override
        public Integer call() {
            System.out.println(LabKey.hash(lab, key, answer));
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Say which answers are right, never showing the right values.",
                    "Each number is right within its question's tolerance. Answers about your own",
                    "training run are checked against that run's files (name its directory in the",
                    "answer file); the run must have finished with the sheet's settings.",
                    "Exit code 0: every question answered and right; 1: some wrong, unanswered or",
                    "not checkable; 2: a bad answer file."})
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "N", description = "lab number (./lossfloor lab list)")
        int lab;
        @Parameters(index = "1", paramLabel = "ANSWERS.yaml", description = "your answer file (start from labs/answers/labN.yaml)")
        Path file;
        @Option(names = "--verify", description = "also re-score every run's checkpoint and compare with its metrics.jsonl (seconds to a minute)")
        boolean verify;

        private final PrintStream out = System.out;

        @Override
        public Integer call() {
            LabKey key = LabKey.load(lab);
            Map<String, Object> answers = read(file, key);
            out.printf("lab %d (%s): %s%n", key.number(), key.title(), file);

            Map<String, Path> runDirs = new LinkedHashMap<>();
            Map<String, String> runProblems = new LinkedHashMap<>();
            int width = 4;
            for (LabKey.Question q : key.questions()) width = Math.max(width, q.key().length());
            for (String r : key.runs().keySet()) width = Math.max(width, r.length());
            for (LabKey.RunSpec r : key.runs().values()) {
                Object value = answers.get(r.name());
                if (value == null) continue;
                Path dir = LabRuns.locate(String.valueOf(value), file);
                if (!Files.isDirectory(dir))
                    throw new IllegalArgumentException("answers " + file + ": " + r.name() + ": '" + value + "' is not a directory; give "
                            + (r.what() == null ? "the run directory" : r.what()) + (r.command() == null ? "" : " (" + r.command() + ")"));
                StringBuilder summary = new StringBuilder();
                String problem = LabRuns.problem(r, dir, verify, summary);
                runDirs.put(r.name(), dir);
                if (problem != null) runProblems.put(r.name(), problem);
                out.printf("%-" + width + "s  %s: %s%n", r.name(), value, problem == null ? summary : problem);
            }

            LabNumbers.Context context = new LabNumbers.Context(runDirs, null);
            int right = 0, wrong = 0, unanswered = 0, unchecked = 0;
            for (LabKey.Question q : key.questions()) {
                Object value = answers.get(q.key());
                String verdict;
                if (value == null) {
                    verdict = "not answered";
                    unanswered++;
                } else {
                    String blocked = blocked(q, key, runDirs, runProblems);
                    if (blocked != null) {
                        verdict = "not checked: " + blocked;
                        unchecked++;
                    } else if (q.numeric()) {
                        double given = ((Number) value).doubleValue();
                        double expected = Double.NaN;
                        String failure = null;
                        try {
                            expected = LabNumbers.resolve(q.answer(), context, q.key());
                        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                            failure = LossfloorCli.oneLine(e);
                        }
                        if (failure != null || Double.isNaN(expected)) {
                            verdict = "not checked: " + (failure != null ? failure : "the right value could not be computed");
                            unchecked++;
                        } else if (q.within(given, expected)) {
                            verdict = "right";
                            right++;
                        } else {
                            verdict = "wrong (" + q.tolerance() + " allowed)" + hint(q, given, expected);
                            wrong++;
                        }
                    } else {
                        boolean ok = LabKey.hash(key.number(), q.key(), String.valueOf(value)).equals(q.choice());
                        verdict = ok ? "right" : "wrong" + (q.hint() == null ? "" : ": " + q.hint());
                        if (ok) right++;
                        else wrong++;
                    }
                }
                out.printf("%-" + width + "s  %s%n", q.key(), verdict);
            }
            out.printf("%d of %d right, %d wrong, %d not answered, %d not checked%n", right, key.questions().size(), wrong,
                    unanswered, unchecked);
            return right == key.questions().size() ? 0 : 1;
        }

        /** Why a question cannot be checked (a run it reads is missing or unusable), or null. */
        private static String blocked(LabKey.Question q, LabKey key, Map<String, Path> runDirs, Map<String, String> problems) {
            for (String r : q.runsNeeded()) {
                LabKey.RunSpec spec = key.runs().get(r);
                if (!runDirs.containsKey(r))
                    return "give " + r + ": " + (spec.what() == null ? "the run directory" : spec.what())
                            + (spec.command() == null ? "" : " (" + spec.command() + ")");
                if (problems.containsKey(r)) return "the " + r + " directory cannot be used (see above)";
            }
            return null;
        }

        /** A wrong number's hint: a mix-up of nats and bits, a wrong sign, or the key's own words. Never the value. */
        private static String hint(LabKey.Question q, double given, double expected) {
            String own = q.hint() == null ? "" : "; " + q.hint();
            if (q.within(given * InformationMetrics.LN2, expected) || q.within(given / InformationMetrics.LN2, expected))
                return ": your number is off by a factor of ln 2 = 0.693; did you mix up nats and bits?" + own;
            if (given != 0 && q.within(-given, expected)) return ": the sign is wrong" + own;
            return own.isEmpty() ? "" : ":" + own.substring(1);
        }

        /**
         * The answer file as a map of known keys to numbers, choices and paths (null: not answered). Every problem is
         * one line naming the file, the key and the fix.
         */
        static Map<String, Object> read(Path file, LabKey key) {
            String where = "answers " + file;
            String fix = "start from labs/answers/lab" + key.number() + ".yaml or ./lossfloor lab template " + key.number();
            if (!Files.isRegularFile(file))
                throw new IllegalArgumentException(where + " not found; " + fix + " (copy it, fill it in, check it)");
            Object root;
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                root = text.isBlank() ? null : TrainConfigFile.YAML.readValue(text, Object.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(where + " is not valid YAML" + (e.getLocation() == null ? "" : " (line "
                        + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")")
                        + "; write one 'key: value' per line, as in the template (a value with ':', '#', '[' or '{' in quotes)");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
            if (root == null) throw new IllegalArgumentException(where + " is empty; " + fix);
            if (!(root instanceof Map<?, ?> map))
                throw new IllegalArgumentException(where + " must be 'key: value' lines, as in the template; " + fix);
            Map<String, LabKey.Question> questions = new LinkedHashMap<>();
            for (LabKey.Question q : key.questions()) questions.put(q.key(), q);
            List<String> valid = new ArrayList<>(key.runs().keySet());
            valid.addAll(questions.keySet());
            Map<String, Object> answers = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String k = String.valueOf(e.getKey());
                Object v = e.getValue();
                if (!valid.contains(k)) {
                    String close = TrainConfigFile.closest(k, valid);
                    throw new IllegalArgumentException(where + ": unknown key '" + k + "'" + (close != null ? "; did you mean '"
                            + close + "'?" : "") + " (lab " + key.number() + " has the keys of labs/answers/lab" + key.number() + ".yaml)");
                }
                if (v instanceof String s && s.isBlank()) v = null;
                if (v == null) {
                    answers.put(k, null);
                    continue;
                }
                if (v instanceof Map || v instanceof List)
                    throw new IllegalArgumentException(where + ": " + k + ": give one value on the line, not a "
                            + (v instanceof Map ? "map" : "list"));
                LabKey.Question q = questions.get(k);
                if (q == null) {
                    answers.put(k, String.valueOf(v));
                } else if (q.numeric()) {
                    answers.put(k, numeric(where, k, v));
                } else {
                    String choice = LabKey.normalize(String.valueOf(v));
                    if (!q.options().contains(choice))
                        throw new IllegalArgumentException(where + ": " + k + ": '" + v + "' is not one of " + String.join(", ", q.options())
                                + "; write just the letter");
                    answers.put(k, choice);
                }
            }
            return answers;
        }

        private static Double numeric(String where, String k, Object v) {
            if (v instanceof Number n) return n.doubleValue();
            String s = String.valueOf(v).strip();
            if (s.matches("-?[0-9]+,[0-9]+"))
                throw new IllegalArgumentException(where + ": " + k + ": '" + s + "' has a decimal comma; write a decimal point ("
                        + s.replace(',', '.') + ")");
            if (s.matches("-?[0-9.]+(e-?[0-9]+)?\\s*\\S.*"))
                throw new IllegalArgumentException(where + ": " + k + ": '" + s + "' is not a plain number; write the number only ("
                        + s.replaceAll("\\s*[^0-9.eE-].*$", "") + "): the unit is in the key's name");
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": " + k + ": '" + s + "' is not a number; write a plain number such as 0.25");
            }
        }
    }
}
