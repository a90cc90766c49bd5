package dev.lossfloor.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossfloor.tokenizer.BpeTokenizer;
import dev.lossfloor.tokenizer.Encoding;
import dev.lossfloor.tokenizer.Gpt2Tokenizer;
import dev.lossfloor.tokenizer.TiktokenRanks;
import dev.lossfloor.tokenizer.WordTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The tokenizers on every shared corpus (skipped, with the reason, without them). */
class TokenizersOnCorporaTest {

    /** Every text file of the shared corpora (all of them, wikitext-2-raw's included). */
    static List<Path> corpora() throws IOException {
        SharedCorpora.require("tinyshakespeare.txt");
        try (Stream<Path> files = Files.walk(SharedCorpora.dir())) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".txt") || p.toString().endsWith(".raw")).sorted().toList();
        }
    }

    @Test
    void r50kInOurEncoderReproducesJtokkitOnTinyShakespeare() {
        Split split = Splits.tail(TextFiles.readUtf8(SharedCorpora.require("tinyshakespeare.txt")), 0.1);
        Gpt2Tokenizer jtokkit = Gpt2Tokenizer.get();
        TiktokenRanks.Converted ours = TiktokenRanks.toBpe(TiktokenRanks.r50k(), true);
        int[] train = jtokkit.encode(split.train()).ids();
        int[] val = jtokkit.encode(split.val()).ids();
        assertEquals(301_966, train.length);
        assertEquals(36_059, val.length);
        assertArrayEquals(train, ours.toRanks(ours.tokenizer().encode(split.train()).ids()));
        assertArrayEquals(val, ours.toRanks(ours.tokenizer().encode(split.val()).ids()));
    }

    @Test
    void everyCorpusRoundTripsWithExactCounts() throws IOException {
        for (Path file : corpora()) {
            byte[] bytes = Files.readAllBytes(file);
            String text = TextFiles.readUtf8(file);
            long chars = text.codePointCount(0, text.length());
            // learned on (part of) the training split only, as train does
            String train = Splits.tail(text, 0.1).train();
            String sample = train.substring(0, train.offsetByCodePoints(0, Math.min(60_000, train.codePointCount(0, train.length()))));
            for (boolean splitOn : new boolean[]{true, false}) {
                BpeTokenizer bpe = BpeTokenizer.train(sample, 512, splitOn);
                Encoding enc = bpe.encode(text);
                String where = file.getFileName() + (splitOn ? "" : " (no split)");
                assertArrayEquals(bytes, bpe.decodeBytes(enc.ids()), where);
                assertEquals(bytes.length, enc.totalBytes(), where);
                assertEquals(chars, enc.totalChars(), where);
                assertArrayEquals(enc.ids(), bpe.encodeBytes(bytes).ids(), where);
                assertTrue(enc.length() < bytes.length, where + ": BPE compresses");
            }
            Encoding gpt2 = Gpt2Tokenizer.get().encode(text);
            assertEquals(text, Gpt2Tokenizer.get().decode(gpt2.ids()), file.toString());
            assertEquals(bytes.length, gpt2.totalBytes(), file.toString());
            assertEquals(chars, gpt2.totalChars(), file.toString());
            WordTokenizer words = WordTokenizer.fit(sample, 2000);
            Encoding w = words.encode(text);
            assertEquals(bytes.length, w.totalBytes(), file.toString());
            assertEquals(chars, w.totalChars(), file.toString());
        }
    }

    @Test
    void wordTokenizerReportsItsUnknownRate() {
        Split split = Splits.tail(TextFiles.readUtf8(SharedCorpora.require("tinyshakespeare.txt")), 0.1);
        WordTokenizer words = WordTokenizer.fit(split.train(), 5000);
        Encoding val = words.encode(split.val());
        double unkRate = (double) val.unknownCount() / val.length();
        // Shakespeare's rarer words: a few percent of the held-out tokens are outside the 5,000 most frequent
        assertTrue(unkRate > 0.01 && unkRate < 0.10, "unk rate " + unkRate);
        assertEquals(split.val().getBytes(StandardCharsets.UTF_8).length, val.totalBytes());
    }
}
