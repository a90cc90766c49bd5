package dev.lossfloor.data.corpora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossfloor.data.DataException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusRegistryTest {

    @Test
    void knowsTheStandardCorpora() {
        assertTrue(CorpusRegistry.names().containsAll(
                List.of("tinyshakespeare", "enwik8", "text8", "wikitext-2-raw", "enwik8-4m", "enwik6")),
                CorpusRegistry.names().toString());
        assertEquals(CorpusRegistry.names().size(), CorpusRegistry.all().size());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        DataException e = assertThrows(DataException.class, () -> CorpusRegistry.get("tiny-shakespeare"));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("\"tiny-shakespeare\""), e.getMessage());
        for (String name : CorpusRegistry.names()) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void entriesAreWellFormed() {
        for (NamedCorpus c : CorpusRegistry.all()) {
            assertEquals(c, CorpusRegistry.get(c.name()));
            assertOneLine(c.description());
            assertOneLine(c.licence());
            assertOneLine(c.split().describe());
            for (CorpusFile f : c.files()) {
                assertTrue(Checksums.isSha256(f.sha256()), c.name() + " " + f.path());
                assertTrue(f.bytes() > 0, c.name() + " " + f.path() + " has a known size");
            }
            if (c.source() instanceof CorpusSource.Plain p) {
                assertHttp(p.url());
            } else if (c.source() instanceof CorpusSource.Zip z) {
                assertHttp(z.url());
                // every archive checksum of the registry is known (see CorpusRegistry for the sources)
                assertTrue(Checksums.isSha256(z.sha256()), c.name() + " archive sha256");
                assertTrue(z.bytes() > 0, c.name() + " archive size");
                assertTrue(z.url().getPath().endsWith("/" + z.archiveName()), z.url() + " vs " + z.archiveName());
            } else {
                assertFalse(c.downloadable(), c.name());
                assertOneLine(((CorpusSource.LocalOnly) c.source()).why());
            }
            long total = c.files().get(0).bytes();
            if (c.split() instanceof SplitRule.ByteCounts b) {
                assertEquals(total, b.train() + b.val() + b.test(), c.name() + " split covers the file");
            } else if (c.split() instanceof SplitRule.CharCounts ch) {
                assertEquals(total, ch.train() + ch.val() + ch.test(), c.name() + " (ASCII) split covers the file");
            }
        }
    }

    @Test
    void standardEntriesCarryTheirPublishedValues() {
        NamedCorpus shakespeare = CorpusRegistry.get("tinyshakespeare");
        assertEquals(URI.create("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"),
                ((CorpusSource.Plain) shakespeare.source()).url());
        assertEquals(new CorpusFile("tinyshakespeare.txt",
                "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", 1_115_394),
                shakespeare.files().get(0));
        assertEquals(new SplitRule.FirstFraction(0.9), shakespeare.split());

        NamedCorpus enwik8 = CorpusRegistry.get("enwik8");
        assertEquals(URI.create("http://mattmahoney.net/dc/enwik8.zip"), ((CorpusSource.Zip) enwik8.source()).url());
        assertEquals(100_000_000, enwik8.file("enwik8").bytes());
        assertEquals(new SplitRule.ByteCounts(90_000_000, 5_000_000, 5_000_000), enwik8.split());

        NamedCorpus text8 = CorpusRegistry.get("text8");
        assertEquals(URI.create("http://mattmahoney.net/dc/text8.zip"), ((CorpusSource.Zip) text8.source()).url());
        assertEquals(new SplitRule.CharCounts(90_000_000, 5_000_000, 5_000_000), text8.split());

        NamedCorpus wikitext = CorpusRegistry.get("wikitext-2-raw");
        assertEquals(URI.create("https://s3.amazonaws.com/research.metamind.io/wikitext/wikitext-2-raw-v1.zip"),
                ((CorpusSource.Zip) wikitext.source()).url());
        assertEquals("4cd0f6876d07a413aa911261ff6d363c72d757d47f0fdd6015702014c89cb9c7",
                wikitext.file("wikitext-2-raw/wiki.valid.raw").sha256());
        assertEquals(1_146_846, wikitext.file("wikitext-2-raw/wiki.valid.raw").bytes());
        assertEquals("173c87a53759e0201f33e0ccf978e510c2042d7f2cb78229d9a50d79b9e7dd08",
                wikitext.file("wikitext-2-raw/wiki.test.raw").sha256());
        assertEquals(1_290_590, wikitext.file("wikitext-2-raw/wiki.test.raw").bytes());
        assertNotNull(((SplitRule.SeparateFiles) wikitext.split()).test());
    }

    @Test
    void malformedEntriesAreRejected() {
        CorpusFile file = new CorpusFile("a.txt", "0".repeat(64), 10);
        SplitRule split = new SplitRule.FirstFraction(0.9);
        CorpusSource plain = new CorpusSource.Plain(URI.create("https://example.org/a.txt"));
        assertThrows(IllegalArgumentException.class, () -> new CorpusFile("a.txt", "ABC", 10));
        assertThrows(IllegalArgumentException.class, () -> new CorpusFile("a.txt", "0".repeat(64).toUpperCase().replace('0', 'A'), 10));
        assertThrows(IllegalArgumentException.class, () -> new CorpusFile("../a.txt", "0".repeat(64), 10));
        assertThrows(IllegalArgumentException.class, () -> new CorpusFile("/a.txt", "0".repeat(64), 10));
        assertThrows(IllegalArgumentException.class, () -> new CorpusSource.Plain(URI.create("ftp://example.org/a")));
        assertThrows(IllegalArgumentException.class, () -> new CorpusSource.Plain(URI.create("a.txt")));
        assertThrows(IllegalArgumentException.class, () -> new NamedCorpus("Bad Name", "d", "l", plain, List.of(file), split));
        assertThrows(IllegalArgumentException.class, () -> new NamedCorpus("x", "two\nlines", "l", plain, List.of(file), split));
        assertThrows(IllegalArgumentException.class, () -> new NamedCorpus("x", "d", "l", plain,
                List.of(file, new CorpusFile("b.txt", "1".repeat(64), 1)), new SplitRule.SeparateFiles("a.txt", "b.txt", null)));
        assertThrows(IllegalArgumentException.class, () -> new NamedCorpus("x", "d", "l", new CorpusSource.LocalOnly("w"),
                List.of(file), new SplitRule.SeparateFiles("a.txt", "c.txt", null)));
    }

    private static void assertHttp(URI url) {
        assertTrue(url.getScheme().equals("https") || url.getScheme().equals("http"), url.toString());
        assertNotNull(url.getHost(), url.toString());
    }

    private static void assertOneLine(String s) {
        assertFalse(s.isBlank() || s.contains("\n") || s.contains("\r"), s);
    }
}
