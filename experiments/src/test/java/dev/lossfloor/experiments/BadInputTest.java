package dev.lossfloor.experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input is one line on stderr naming the file, position or setting, and a non-zero exit code. */
class BadInputTest {
    @TempDir
    Path dir;

    private static final String[] TINY = {"--layers", "1", "--heads", "1", "--embd", "8", "--context", "8",
            "--batch", "2", "--max-steps", "2", "--warmup", "0"};

    private CliRunner.Result train(String... args) {
        String[] all = new String[args.length + TINY.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(TINY, 0, all, args.length, TINY.length);
        all[all.length - 2] = "--out";
        all[all.length - 1] = dir.resolve("run").toString();
        String[] withCommand = new String[all.length + 1];
        withCommand[0] = "train";
        System.arraycopy(all, 0, withCommand, 1, all.length);
        return CliRunner.run(withCommand);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void invalidUtf8NamesTheByteOffset() throws IOException {
        byte[] bytes = "hello world, hello world".getBytes(StandardCharsets.US_ASCII);
        bytes[7] = (byte) 0xFF;
        Path f = write("bad.txt", bytes);
        CliRunner.assertOneLineFailure(train("--corpus", f.toString()), "bad.txt", "byte offset 7");
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        Path f = write("empty.txt", new byte[0]);
        CliRunner.assertOneLineFailure(train("--corpus", f.toString()), "empty.txt", "empty");
    }

    @Test
    void fileTooShortForAWindowSaysTheMinimum() throws IOException {
        Path f = write("short.txt", "ab".repeat(13));
        // 10% held out: 3 chars, far fewer than context + 1 = 9
        CliRunner.assertOneLineFailure(train("--corpus", f.toString()), "at least", "9");
    }

    @Test
    void unseenHeldOutCharacterNamesCodePointAndOffset() throws IOException {
        Path train = write("train.txt", "abcabcabcabcabcabcabcabcabcabcabcabc");
        Path val = write("val.txt", "abcabcabcXabcabc");
        CliRunner.assertOneLineFailure(train("--corpus", train.toString(), "--val", val.toString()), "U+0058", "offset 9", "--unk");
    }

    @Test
    void unkMapsUnseenCharactersAndReportsTheirCount() throws IOException {
        Path train = write("train.txt", "abcabcabcabcabcabcabcabcabcabcabcabc");
        Path val = write("val.txt", "abcabcabcXabcaYc");
        CliRunner.Result r = train("--corpus", train.toString(), "--val", val.toString(), "--unk");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("2 held-out <unk> tokens"), r.out());
    }

    @Test
    void embdNotDivisibleByHeads() {
        CliRunner.Result r = CliRunner.run("train", "--embd", "30", "--heads", "4", "--out", dir.resolve("x").toString());
        CliRunner.assertOneLineFailure(r, "--embd 30", "--heads 4");
    }

    @Test
    void unknownTokenizer() {
        CliRunner.assertOneLineFailure(CliRunner.run("train", "--tokenizer", "bpe", "--out", dir.resolve("x").toString()), "--tokenizer bpe");
    }

    @Test
    void valFractionOutOfRange() {
        CliRunner.assertOneLineFailure(CliRunner.run("train", "--val-fraction", "1.5", "--out", dir.resolve("x").toString()), "--val-fraction");
    }

    @Test
    void negativeEvalEvery() {
        CliRunner.assertOneLineFailure(CliRunner.run("train", "--eval-every", "-5", "--out", dir.resolve("x").toString()),
                "--eval-every must be >= 0", "-5");
    }

    @Test
    void livePortTaken() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliRunner.assertOneLineFailure(train("--live", "--live-port", String.valueOf(taken.getLocalPort())),
                    "port " + taken.getLocalPort(), "taken", "--live-port 0");
        }
        assertFalse(Files.exists(dir.resolve("run")), "said before any work: no run directory");
    }

    @Test
    void missingCorpus() {
        CliRunner.assertOneLineFailure(train("--corpus", dir.resolve("nope.txt").toString()), "nope.txt", "no such file", "tinyshakespeare");
    }

    @Test
    void malformedNumber() {
        CliRunner.assertOneLineFailure(CliRunner.run("train", "--batch", "many"), "--batch", "many");
    }

    @Test
    void evalOfADirectoryWithoutARun() {
        CliRunner.assertOneLineFailure(CliRunner.run("eval", "--run", dir.toString()), "config.json", "not found");
    }

    @Test
    void evalOfACorruptCheckpoint() throws IOException {
        Path corpus = write("c.txt", "the quick brown fox jumps over the lazy dog. ".repeat(20));
        assertEquals(0, train("--corpus", corpus.toString()).exitCode());
        Path ckpt = dir.resolve("run").resolve("checkpoint.bin");
        byte[] b = Files.readAllBytes(ckpt);
        b[b.length / 2] ^= 0x55;
        Files.write(ckpt, b);
        CliRunner.assertOneLineFailure(CliRunner.run("eval", "--run", dir.resolve("run").toString()), "checkpoint.bin", "corrupt");
        Files.write(ckpt, java.util.Arrays.copyOf(b, 100));
        CliRunner.assertOneLineFailure(CliRunner.run("eval", "--run", dir.resolve("run").toString()), "checkpoint.bin");
    }

    @Test
    void divergingRunStopsWithADiagnosisAndExitCode3() {
        CliRunner.Result r = CliRunner.run("train", "--synthetic-chars", "3000", "--layers", "1", "--heads", "1",
                "--embd", "8", "--context", "8", "--batch", "4", "--lr", "1e6", "--min-lr", "1e6", "--warmup", "0",
                "--clip", "0", "--out", dir.resolve("nan").toString());
        assertEquals(LossfloorCli.EXIT_DIVERGED, r.exitCode());
        CliRunner.assertOneLineFailure(r, "diverged at step", "learning rate", "--lr");
    }
}
