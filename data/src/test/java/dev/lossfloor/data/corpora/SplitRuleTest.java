package dev.lossfloor.data.corpora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossfloor.data.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitRuleTest {

    @TempDir
    Path dir;

    private ResolvedCorpus corpus(String text, SplitRule rule) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("t.txt");
        Files.write(file, bytes);
        NamedCorpus c = new NamedCorpus("t", "test", "test only", new CorpusSource.LocalOnly("test"),
                List.of(new CorpusFile("t.txt", CorpusStoreTest.sha256(bytes), bytes.length)), rule);
        return new ResolvedCorpus(c, Map.of("t.txt", file));
    }

    @Test
    void firstFractionTruncatesLikeNanoGpt() throws IOException {
        // 11 characters: int(11 * 0.9) = 9, so 9 train and 2 validate (rounding would give 10)
        CorpusSplit split = corpus("abcdefghijk", new SplitRule.FirstFraction(0.9)).split();
        assertEquals("abcdefghi", split.train());
        assertEquals("jk", split.val());
        assertNull(split.test());
        assertEquals("abcdefghi", split.toSplit().train());
    }

    @Test
    void firstFractionCountsCodePoints() throws IOException {
        CorpusSplit split = corpus("😀😀😀😀😀😀😀😀😀😀", new SplitRule.FirstFraction(0.9)).split();
        assertEquals(9, split.train().codePointCount(0, split.train().length()));
        assertEquals("😀", split.val());
    }

    @Test
    void nextCharBoundarySkipsContinuationBytes() {
        byte[] b = "aé€😀z".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 + 1 bytes
        assertEquals(0, SplitRule.nextCharBoundary(b, 0));
        assertEquals(1, SplitRule.nextCharBoundary(b, 1));
        assertEquals(3, SplitRule.nextCharBoundary(b, 2)); // inside é
        assertEquals(6, SplitRule.nextCharBoundary(b, 4)); // inside €
        assertEquals(10, SplitRule.nextCharBoundary(b, 7)); // inside 😀
        assertEquals(10, SplitRule.nextCharBoundary(b, 9));
        assertEquals(11, SplitRule.nextCharBoundary(b, 11));
    }

    @Test
    void byteCountsMoveCutsToCharacterBoundariesAndLoseNothing() throws IOException {
        String text = "ab€😀cdé";  // bytes: a b [€ 3] [😀 4] c d [é 2] = 2 + 3 + 4 + 2 + 2 = 13
        assertEquals(13, text.getBytes(StandardCharsets.UTF_8).length);
        // cut 1 at byte 3 (inside €) moves to 5; cut 2 at byte 3 + 4 = 7 (inside 😀) moves to 9
        CorpusSplit split = corpus(text, new SplitRule.ByteCounts(3, 4, 6)).split();
        assertEquals("ab€", split.train());
        assertEquals("😀", split.val());
        assertEquals("cdé", split.test());
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8),
                (split.train() + split.val() + split.test()).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void byteCountsOnAsciiCutExactly() throws IOException {
        CorpusSplit split = corpus("0123456789", new SplitRule.ByteCounts(8, 1, 1)).split();
        assertEquals("01234567", split.train());
        assertEquals("8", split.val());
        assertEquals("9", split.test());
        CorpusSplit noTest = corpus("0123456789", new SplitRule.ByteCounts(9, 1, 0)).split();
        assertFalse(noTest.hasTest());
        assertEquals("9", noTest.val());
    }

    @Test
    void countsMustCoverTheFile() throws IOException {
        DataException bytes = assertThrows(DataException.class,
                () -> corpus("0123456789", new SplitRule.ByteCounts(8, 1, 2)).split());
        assertTrue(bytes.getMessage().contains("has 10 bytes"), bytes.getMessage());
        DataException chars = assertThrows(DataException.class,
                () -> corpus("héllo", new SplitRule.CharCounts(3, 1, 0)).split());
        assertTrue(chars.getMessage().contains("has 5 characters"), chars.getMessage());
    }

    @Test
    void charCountsCutByCodePoints() throws IOException {
        CorpusSplit split = corpus("a😀bcdé", new SplitRule.CharCounts(2, 3, 1)).split();
        assertEquals("a😀", split.train());
        assertEquals("bcd", split.val());
        assertEquals("é", split.test());
    }

    @Test
    void invalidUtf8IsReportedWithItsAbsoluteOffset() throws IOException {
        Path file = dir.resolve("t.txt");
        byte[] bytes = {'a', 'b', 'c', 'd', (byte) 0xFF, 'f', 'g', 'h', 'i', 'j'};
        Files.write(file, bytes);
        NamedCorpus c = new NamedCorpus("t", "test", "test only", new CorpusSource.LocalOnly("test"),
                List.of(new CorpusFile("t.txt", CorpusStoreTest.sha256(bytes), bytes.length)),
                new SplitRule.ByteCounts(2, 4, 4));
        DataException e = assertThrows(DataException.class, () -> new ResolvedCorpus(c, Map.of("t.txt", file)).split());
        assertTrue(e.getMessage().contains("byte offset 4"), e.getMessage());
    }
}
