package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossfloor.tokenizer.Tokenizer;
import dev.lossfloor.tokenizer.Tokenizers;
import dev.lossfloor.trainer.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train/eval with bpe, word and gpt2 tokenizers; tokenizer.json; one-line errors; the quick tokenizers experiment. */
class TokenizerCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TINY = {"--layers", "1", "--heads", "2", "--embd", "16", "--batch", "4", "--warmup", "1",
            "--max-steps", "3", "--epochs", "1", "--no-baselines"};

    @TempDir
    Path dir;

    /** About 40 KB of words (a few hundred distinct, some with umlauts) in lines: generated, not third-party text. */
    static String corpusText() {
        String[] common = ("the of and to a in that is was he for it with as his on be at by had not are but from or have an "
                + "they which one you were her all she there would their we him been has when who will more no if out so said "
                + "what up its about into than them can only other new some could time these two may then do first any my now "
                + "such like our over man me even most made after also did many before must through back years where much").split(" ");
        SplittableRandom random = new SplittableRandom(42);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 7000; i++) {
            if (random.nextInt(10) == 0) {
                int len = random.nextInt(2, 9);
                for (int k = 0; k < len; k++) out.append("abcdefghijklmnopqrstuvwxyzäöü".charAt(random.nextInt(29)));
            } else {
                out.append(common[random.nextInt(common.length)]);
            }
            out.append(random.nextInt(10) == 0 ? ",\n" : " ");
        }
        return out.toString();
    }

    private Path corpus() throws IOException {
        Path file = dir.resolve("words.txt");
        Files.writeString(file, corpusText(), StandardCharsets.UTF_8);
        return file;
    }

    private CliRunner.Result train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
        args.addAll(List.of(TINY));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static JsonNode lastMetrics(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    @Test
    void badTokenizerSpecsAreOneLineErrors() {
        Path out = dir.resolve("never");
        CliRunner.assertOneLineError(train(out, "--tokenizer", "bpe:10"), "bpe:10", "between 256 and");
        CliRunner.assertOneLineError(train(out, "--tokenizer", "bpe:abc"), "bpe:abc", "not a whole number");
        CliRunner.assertOneLineError(train(out, "--tokenizer", "bpe"), "needs a vocabulary size");
        CliRunner.assertOneLineError(train(out, "--tokenizer", "word:0"), "word:0", "at least 1");
        CliRunner.assertOneLineError(train(out, "--tokenizer", "sentencepiece"), "sentencepiece", "bpe:VOCAB, word:VOCAB or gpt2");
        CliRunner.assertOneLineError(train(out, "--tokenizer", "char", "--bpe-no-split"), "--bpe-no-split", "bpe:VOCAB only");
        CliRunner.assertOneLineError(train(out, "--tokenizer", "gpt2", "--unk"), "--unk", "char only");
        CliRunner.assertOneLineError(train(out, "--tokenizer", "byte", "--context-bytes", "1"), "--context-bytes", "at least 2");
        CliRunner.assertOneLineError(CliRunner.run("run", "tokenizers", "--quick", "--tokenizers", "byte,bpe:10", "--out",
                dir.resolve("x").toString()), "bpe:10");
        CliRunner.assertOneLineError(CliRunner.run("run", "model-size", "--quick", "--tokenizers", "byte", "--out",
                dir.resolve("y").toString()), "--tokenizers", "model-size");
        assertFalse(Files.exists(out), "nothing written before the settings are checked");
    }

    @Test
    void bpeRunSavesItsTokenizerAsJsonAndEvalReproducesIt() throws IOException {
        Path run = dir.resolve("bpe");
        CliRunner.Result r = train(run, "--corpus", corpus().toString(), "--tokenizer", "bpe:300", "--context-bytes", "24");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("tokenizer bpe:300, GPT-2 pre-split"), r.out());
        JsonNode config = JSON.readTree(run.resolve("config.json").toFile());
        double bytesPerToken = config.get("train_bytes_per_token").asDouble();
        assertTrue(bytesPerToken > 1.3, "BPE tokens are longer than a byte: " + bytesPerToken);
        assertEquals(Math.round(24 / bytesPerToken), config.get("model").get("context").asInt());
        assertTrue(r.out().contains("context   " + config.get("model").get("context").asInt() + " tokens = round(24 bytes / "), r.out());

        // tokenizer.json holds the state the checkpoint holds, and rebuilds the same tokenizer
        @SuppressWarnings("unchecked")
        Map<String, Object> json = JSON.readValue(run.resolve("tokenizer.json").toFile(), Map.class);
        Tokenizer fromJson = Tokenizers.fromState(json);
        Tokenizer fromCheckpoint = Tokenizers.fromState(Checkpoint.read(run.resolve(Checkpoint.FILE_NAME)).tokenizerState());
        assertEquals(fromCheckpoint.state(), fromJson.state());
        assertEquals(300, fromJson.vocabSize());
        String text = corpusText();
        assertArrayEquals(fromCheckpoint.encode(text).ids(), fromJson.encode(text).ids());
        assertEquals(300, ((List<?>) json.get("tokens")).size(), "each token's text for people");

        JsonNode last = lastMetrics(run);
        assertEquals(0.0, last.get("val_unk_rate").asDouble());
        assertTrue(last.get("bpc_comparable").asBoolean());
        CliRunner.Result e = CliRunner.run("eval", "--run", run.toString());
        assertEquals(0, e.exitCode(), e.err());
        Matcher m = Pattern.compile("val_nll (\\d+\\.\\d+)").matcher(e.out());
        assertTrue(m.find(), e.out());
        assertEquals(last.get("val_nll").asDouble(), Double.parseDouble(m.group(1)), 1e-6);
        CliRunner.Result s = CliRunner.run("sample", "--run", run.toString(), "--prompt", "the ", "--max-tokens", "5");
        assertEquals(0, s.exitCode(), s.err());
        assertTrue(s.out().startsWith("the "), s.out());
    }

    @Test
    void yamlConfigTakesTheTokenizerKeys() throws IOException {
        Path yaml = dir.resolve("bpe.yaml");
        Files.writeString(yaml, "corpus: " + corpus() + "\ntokenizer: \"bpe:280\"\nbpe-no-split: true\ncontext-bytes: 20\n"
                + "layers: 1\nheads: 1\nembd: 8\nbatch: 2\nmax-steps: 2\nepochs: 1\nwarmup: 0\nno-baselines: true\n");
        Path run = dir.resolve("yaml-run");
        CliRunner.Result r = CliRunner.run("train", "--config", yaml.toString(), "--out", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode config = JSON.readTree(run.resolve("config.json").toFile());
        assertEquals("bpe:280", config.get("tokenizer").asText());
        assertEquals("none", config.get("bpe_split").asText());
        assertEquals(20, config.get("context_bytes").asInt());
        assertEquals("none", JSON.readTree(run.resolve("tokenizer.json").toFile()).get("split").asText());
    }

    @Test
    void wordRunReportsItsUnknownRateAndMarksBitsNotComparable() throws IOException {
        Path run = dir.resolve("word");
        CliRunner.Result r = train(run, "--corpus", corpus().toString(), "--tokenizer", "word:100", "--context", "8");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode last = lastMetrics(run);
        double unkRate = last.get("val_unk_rate").asDouble();
        assertTrue(unkRate > 0.05 && unkRate < 0.9, "unk rate " + unkRate);
        assertFalse(last.get("bpc_comparable").asBoolean());
        assertTrue(r.out().contains("val_bpc and val_bpb are NOT comparable"), r.out());
        assertTrue(r.out().contains("* val_bpc/val_bpb not comparable"), r.out());
        // exact accounting: the predicted tokens cover every held-out byte but the first token's
        JsonNode config = JSON.readTree(run.resolve("config.json").toFile());
        assertEquals(101, config.get("vocab_size").asInt());
        assertTrue(last.get("val_bytes").asLong() > last.get("val_tokens").asLong() * 2);
    }

    @Test
    void quickTokenizersExperimentWritesTheTableTheChartAndTheLesson() throws IOException {
        Path out = dir.resolve("exp");
        CliRunner.Result r = CliRunner.run("run", "tokenizers", "--quick", "--corpus", corpus().toString(),
                "--tokenizers", "byte,bpe:300,word:100,gpt2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals("tokenizer,vocab_size,bytes_per_token,context_tokens,parameters,val_nll,val_ppl,val_bpc,val_bpb,"
                + "val_unk_rate,bpc_comparable,steps,seconds,tokenizer_seconds,context_choice", csv.get(0));
        assertEquals(5, csv.size());
        assertTrue(csv.get(4).startsWith("gpt2,50257,"), csv.get(4));
        assertTrue(csv.get(3).startsWith("word:100,101,") && csv.get(3).contains(",false,"), csv.get(3));
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("| tokenizer | vocab | bytes/token | context (tokens) | parameters | val nats/token | "
                + "val perplexity/token | val bits/char | val bits/byte | time (s) |"), md);
        assertTrue(md.contains("- bpe:300: ") && md.contains("bytes per token of the training split"), md);
        assertTrue(md.contains("Not comparable") && md.contains("word:100"), md);
        assertTrue(r.out().contains("Perplexity per token ranges from"), r.out());
        assertTrue(r.out().contains("compare models by bits per byte"), r.out());
        BufferedImage png = ImageIO.read(out.resolve("tokenizers.png").toFile());
        assertNotNull(png);
        assertTrue(png.getWidth() >= 1000 && png.getHeight() >= 500);
        // the same steps for every run, and the same context in bytes (to the nearest token)
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            assertEquals("3", f[11], line);
            assertEquals(Math.max(2, Math.round(16 / Double.parseDouble(f[2]))), Long.parseLong(f[3]), line);
        }
    }
}
