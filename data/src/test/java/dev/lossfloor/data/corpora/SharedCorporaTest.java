package dev.lossfloor.data.corpora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossfloor.data.TextFiles;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the registry against the shared corpora directory ($LOSSFLOOR_DATA, else ../../shared/corpora seen from the
 * module directory), which holds tinyshakespeare.txt and other files under the registry's names. Skipped where
 * that directory is absent. Nothing is downloaded: the files are present.
 */
class SharedCorporaTest {

    static Path sharedDir() {
        return dev.lossfloor.data.SharedCorpora.dir();
    }

    private static CorpusStore sharedStore() {
        Path dir = sharedDir();
        dev.lossfloor.data.SharedCorpora.skipWithout(dir != null, "no shared corpora directory with tinyshakespeare.txt");
        return new CorpusStore(dir, HttpClient.newHttpClient(), ProgressListener.SILENT);
    }

    @Test
    void tinyShakespeareFromTheSharedDirectoryIsVerifiedAndSplitLikeNanoGpt() {
        CorpusStore store = sharedStore();
        ResolvedCorpus resolved = store.resolve(CorpusRegistry.get("tinyshakespeare"));
        assertEquals(store.dataDir().resolve("tinyshakespeare.txt"), resolved.singleFile());

        CorpusSplit split = resolved.split();
        assertEquals(1_003_854, split.train().length());
        assertEquals(111_540, split.val().length());
        assertTrue(split.train().startsWith("First Citizen:"), split.train().substring(0, 20));
    }

    @Test
    void enwik8PrefixesAreVerifiedAndSplitWithoutLosingBytes() throws IOException {
        CorpusStore store = sharedStore();
        for (String name : List.of("enwik8-4m", "enwik6")) {
            NamedCorpus corpus = CorpusRegistry.get(name);
            dev.lossfloor.data.SharedCorpora.skipWithout(store.isPresent(corpus), name + " is not in " + store.dataDir());
            ResolvedCorpus resolved = store.resolve(corpus);
            CorpusSplit split = resolved.split();
            byte[] all = Files.readAllBytes(resolved.singleFile());
            assertArrayEquals(all, (split.train() + split.val() + split.test()).getBytes(StandardCharsets.UTF_8),
                    name + ": the three parts are the file");
            SplitRule.ByteCounts counts = (SplitRule.ByteCounts) corpus.split();
            int trainBytes = split.train().getBytes(StandardCharsets.UTF_8).length;
            assertTrue(trainBytes >= counts.train() && trainBytes <= counts.train() + 3, name + " " + trainBytes);
        }
    }

    @Test
    void everySharedFileTheRegistryNamesMatchesItsChecksum() {
        Path dir = sharedDir();
        dev.lossfloor.data.SharedCorpora.skipWithout(dir != null, "no shared corpora directory");
        int checked = 0;
        for (NamedCorpus corpus : CorpusRegistry.all()) {
            for (CorpusFile f : corpus.files()) {
                Path p = dir.resolve(f.path());
                if (Files.isRegularFile(p)) {
                    assertEquals(f.sha256(), TextFiles.sha256(p), corpus.name() + " " + f.path());
                    checked++;
                }
            }
        }
        assertTrue(checked >= 3, "tinyshakespeare, enwik6 and enwik8-4m at least; checked " + checked);
    }
}
