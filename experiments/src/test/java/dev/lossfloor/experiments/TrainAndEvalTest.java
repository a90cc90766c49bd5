package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny end-to-end run: the console table, metrics.jsonl's contract, and eval reproducing val_nll. */
class TrainAndEvalTest {
    private static final List<String> KEYS = List.of("epoch", "step", "tokens_seen", "lr", "train_nll", "val_nll",
            "val_ppl", "val_bits_per_token", "val_bpc", "val_bpb", "val_tokens", "val_chars", "val_bytes",
            "floor_bpc", "true_bpc", "gap_bpc", "elapsed_s", "split_fraction", "epoch_progress", "epoch_end",
            "val_unk_rate", "bpc_comparable");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static final String[] TINY = {"--layers", "1", "--heads", "2", "--embd", "16", "--context", "16",
            "--batch", "4", "--warmup", "5", "--epochs", "2"};

    private CliRunner.Result train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
        args.addAll(List.of(TINY));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) lines.add(JSON.readTree(l));
        return lines;
    }

    @Test
    void builtInSourceRunWritesTheContractAndEvalReproducesValNll() throws IOException {
        Path run = dir.resolve("markov");
        CliRunner.Result r = train(run, "--synthetic-chars", "4000");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().contains("Added differentiated op"), "DL4J noise on the console");
        assertTrue(r.out().contains("floor_bpc"), r.out());
        assertTrue(r.out().contains("backend") && r.out().contains("threads 1"), r.out());
        // the report is written at the end of a successful run
        assertTrue(Files.size(run.resolve("report.md")) > 1000 && Files.size(run.resolve("report.html")) > 10_000, r.out());
        assertTrue(r.out().contains("report " + run.resolve("report.html")), r.out());

        List<JsonNode> all = metrics(run);
        // 3600 train chars / 16 = 225 windows / batch 4 = 57 steps per epoch, 114 in all: a point every 3 steps
        assertEquals(3, JSON.readTree(run.resolve("config.json").toFile()).path("training").path("eval_every").asInt());
        assertEquals(0, all.get(0).get("step").asInt());
        assertTrue(all.size() >= 30, "about 40 evaluations: " + all.size());
        for (int i = 1; i < all.size(); i++)
            assertTrue(all.get(i).get("step").asInt() > all.get(i - 1).get("step").asInt(), "rows in step order");
        List<JsonNode> lines = all.stream().filter(m -> m.get("epoch_end").asBoolean()).toList();
        assertEquals(2, lines.size());
        for (JsonNode m : all) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) keys.add(it.next());
            assertEquals(KEYS, keys);
            assertFalse(m.get("floor_bpc").isNull());
            assertEquals(m.get("val_bpc").asDouble() - m.get("true_bpc").asDouble(), m.get("gap_bpc").asDouble(), 1e-12);
            assertEquals(Math.exp(m.get("val_nll").asDouble()), m.get("val_ppl").asDouble(), 1e-9);
            // every held-out character but the first is predicted; ASCII: chars == bytes == tokens
            assertEquals(399, m.get("val_tokens").asLong());
            assertEquals(m.get("val_chars").asLong(), m.get("val_bytes").asLong());
        }
        JsonNode config = JSON.readTree(run.resolve("config.json").toFile());
        assertEquals("source", config.get("data").get("kind").asText());
        assertTrue(config.get("data").get("source").asText().startsWith("markov:"));
        assertEquals(2, lines.get(1).get("epoch").asInt());

        JsonNode manifest = JSON.readTree(run.resolve("manifest.json").toFile());
        assertEquals("completed", manifest.get("status").asText());
        for (String key : new String[]{"lossfloor_version", "git_commit", "java", "dl4j", "nd4j_backend", "os", "cpu",
                "threads", "seeds", "data_sha256", "started", "ended", "openblas_coretype", "attention_kernels"})
            assertTrue(manifest.hasNonNull(key), "manifest.json lacks " + key);
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        assertEquals(coreType == null || coreType.isBlank() ? "detected" : coreType,
                manifest.get("openblas_coretype").asText());
        assertEquals(1337, manifest.get("seeds").get("training").asInt());
        String kernels = manifest.get("attention_kernels").asText();
        assertTrue(kernels.startsWith("Vector API, ") || kernels.startsWith("OpenBLAS"), kernels);

        CliRunner.Result listing = CliRunner.run("runs", dir.toString());
        assertEquals(0, listing.exitCode(), listing.err());
        assertTrue(listing.out().contains("markov") && listing.out().contains("completed"), listing.out());

        CliRunner.Result e = CliRunner.run("eval", "--run", run.toString());
        assertEquals(0, e.exitCode(), e.err());
        Matcher mm = Pattern.compile("val_nll (\\d+\\.\\d+)").matcher(e.out());
        assertTrue(mm.find(), e.out());
        assertEquals(lines.get(1).get("val_nll").asDouble(), Double.parseDouble(mm.group(1)), 1e-6);
        assertTrue(e.out().contains("gap_bpc"), e.out());

        // --best: the parameters of the full pass with the lowest val_nll (this split is small: every point is one)
        JsonNode best = all.stream().filter(m -> m.get("split_fraction").asDouble() == 1.0)
                .min(java.util.Comparator.comparingDouble(m -> m.get("val_nll").asDouble())).orElseThrow();
        CliRunner.Result b = CliRunner.run("eval", "--run", run.toString(), "--best");
        assertEquals(0, b.exitCode(), b.err());
        assertTrue(b.out().contains("checkpoint at step " + best.get("step").asInt() + " "), b.out() + " best " + best);
        Matcher bm = Pattern.compile("val_nll (\\d+\\.\\d+)").matcher(b.out());
        assertTrue(bm.find(), b.out());
        assertEquals(best.get("val_nll").asDouble(), Double.parseDouble(bm.group(1)), 1e-6);
    }

    @Test
    void corpusRunHasNoFloorAndCountsBytesOfMultiByteText() throws IOException {
        Path corpus = dir.resolve("de.txt");
        Files.writeString(corpus, "Grüße aus Köln, schöne Straße. ".repeat(40));
        Path run = dir.resolve("corpus");
        CliRunner.Result r = train(run, "--corpus", corpus.toString(), "--tokenizer", "byte");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().contains("floor_bpc"), r.out());
        JsonNode last = metrics(run).get(1);
        assertTrue(last.get("floor_bpc").isNull() && last.get("true_bpc").isNull() && last.get("gap_bpc").isNull());
        // byte tokens: bytes == tokens, and more bytes than characters in German text
        assertEquals(last.get("val_tokens").asLong(), last.get("val_bytes").asLong());
        assertTrue(last.get("val_bytes").asLong() > last.get("val_chars").asLong());
        assertEquals(last.get("val_bpb").asDouble() * last.get("val_bytes").asLong(),
                last.get("val_bpc").asDouble() * last.get("val_chars").asLong(), 1e-6);
        // real text: the classic upper bounds are computed and kept with the run
        JsonNode baselines = JSON.readTree(run.resolve("baselines.json").toFile());
        assertEquals(16, baselines.get("ngrams").size());
        assertEquals(3, baselines.get("compressors").size());
        assertTrue(baselines.get("unigram").get("bits_per_char").asDouble() > 0);
        assertTrue(r.out().contains("baselines unigram"), r.out());
    }

    @Test
    void maxStepsStopsEarlyWithAFinalEvaluation() throws IOException {
        Path run = dir.resolve("short");
        CliRunner.Result r = train(run, "--synthetic-chars", "4000", "--max-steps", "3");
        assertEquals(0, r.exitCode(), r.err());
        List<JsonNode> lines = metrics(run);
        // step 0, a point after each step, and the full evaluation where --max-steps stops the run
        assertEquals(List.of(0, 1, 2, 3), lines.stream().map(l -> l.get("step").asInt()).toList());
        JsonNode last = lines.get(3);
        assertTrue(last.get("epoch_end").asBoolean() && last.get("split_fraction").asDouble() == 1.0, last.toString());
        assertTrue(lines.get(0).get("train_nll").isNull(), "no training before step 0");
    }
}
