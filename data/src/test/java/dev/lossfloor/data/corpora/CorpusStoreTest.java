package dev.lossfloor.data.corpora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossfloor.data.DataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CorpusStoreTest {

    private static final byte[] TEXT = "First Citizen:\nBefore we proceed any further, hear me speak.\n"
            .repeat(50).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    private Path dataDir;
    private LocalServer server;
    private HttpClient client;
    private final List<String> events = new ArrayList<>();
    private final ProgressListener recorder = new ProgressListener() {
        @Override
        public void started(String task, long totalBytes) {
            events.add("start " + task + " " + totalBytes);
        }

        @Override
        public void progressed(long bytesDone) {
            events.add("at " + bytesDone);
        }

        @Override
        public void finished() {
            events.add("end");
        }
    };

    @BeforeEach
    void start() throws IOException {
        dataDir = root.resolve("data");
        server = new LocalServer();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CorpusStore store() {
        return new CorpusStore(dataDir, client, recorder);
    }

    private static NamedCorpus plain(URI url, String file, String sha, long bytes) {
        return new NamedCorpus("test-plain", "a test corpus", "test only", new CorpusSource.Plain(url),
                List.of(new CorpusFile(file, sha, bytes)), new SplitRule.FirstFraction(0.9));
    }

    // ---- plain downloads -----------------------------------------------------------------------

    @Test
    void downloadsVerifiesRenamesAndReusesWithoutDownloadingAgain() throws IOException {
        server.serve("/input.txt", TEXT);
        NamedCorpus corpus = plain(server.url("/input.txt"), "shakespeare.txt", sha256(TEXT), TEXT.length);

        ResolvedCorpus resolved = store().resolve(corpus);

        Path file = dataDir.resolve("shakespeare.txt");
        assertEquals(file, resolved.singleFile());
        assertTrue(java.util.Arrays.equals(TEXT, Files.readAllBytes(file)));
        assertEquals(1, server.hits("/input.txt"));
        assertEquals("start downloading " + server.url("/input.txt") + " " + TEXT.length, events.get(0));
        assertEquals("at " + TEXT.length, events.get(events.size() - 2));
        assertEquals("end", events.get(events.size() - 1));
        assertTrue(Files.isRegularFile(CorpusStore.sidecarOf(file)), "the verification is remembered");
        assertNoTempFiles();

        events.clear();
        ResolvedCorpus again = store().resolve(corpus);
        assertEquals(1, server.hits("/input.txt"), "second resolve must not download");
        assertTrue(events.isEmpty(), "second resolve must not even re-hash: " + events);

        CorpusSplit split = again.split();
        int n = TEXT.length; // ASCII: characters = bytes
        assertEquals(n * 9 / 10, split.train().length());
        assertEquals(n - n * 9 / 10, split.val().length());
        assertFalse(split.hasTest());
    }

    @Test
    void presentFileIsHashedWhenItChangesAndAWrongOneIsReportedNotReplaced() throws IOException {
        server.serve("/input.txt", TEXT);
        NamedCorpus corpus = plain(server.url("/input.txt"), "t.txt", sha256(TEXT), TEXT.length);
        store().resolve(corpus);
        Path file = dataDir.resolve("t.txt");

        byte[] tampered = TEXT.clone();
        tampered[0] = 'f';
        Files.write(file, tampered);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));

        DataException e = assertThrows(DataException.class, () -> store().resolve(corpus));
        assertOneLine(e);
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + sha256(TEXT)), e.getMessage());
        assertTrue(e.getMessage().contains("has sha256 " + sha256(tampered)), e.getMessage());
        assertEquals(1, server.hits("/input.txt"), "a wrong file is reported, never silently replaced");
    }

    @Test
    void truncatedDownloadFailsAndLeavesNothing() {
        server.serveTruncated("/big.txt", java.util.Arrays.copyOf(TEXT, 1000), TEXT.length);
        NamedCorpus corpus = plain(server.url("/big.txt"), "big.txt", sha256(TEXT), TEXT.length);

        DataException e = assertThrows(DataException.class, () -> store().resolve(corpus));

        assertDownloadError(e, server.url("/big.txt"), sha256(TEXT), dataDir.resolve("big.txt"));
        assertTrue(e.getMessage().contains("broke off") || e.getMessage().contains("truncated"), e.getMessage());
        assertEquals("end", events.get(events.size() - 1), "the progress step is closed on failure too");
        assertNoFiles();
    }

    @Test
    void truncatedDownloadWithUnknownSizeFailsOnContentLength() {
        server.serveTruncated("/big.txt", java.util.Arrays.copyOf(TEXT, 1000), TEXT.length);
        NamedCorpus corpus = plain(server.url("/big.txt"), "big.txt", sha256(TEXT), CorpusFile.UNKNOWN_SIZE);

        DataException e = assertThrows(DataException.class, () -> store().resolve(corpus));

        assertDownloadError(e, server.url("/big.txt"), sha256(TEXT), dataDir.resolve("big.txt"));
        assertNoFiles();
    }

    @Test
    void stalledDownloadIsAbandonedAndLeavesNothing() {
        server.serveStalled("/slow.txt", java.util.Arrays.copyOf(TEXT, 1000), TEXT.length);
        NamedCorpus corpus = plain(server.url("/slow.txt"), "slow.txt", sha256(TEXT), TEXT.length);
        CorpusStore store = new CorpusStore(dataDir, client, recorder, Duration.ofMillis(300));

        DataException e = assertThrows(DataException.class, () -> store.resolve(corpus));

        assertDownloadError(e, server.url("/slow.txt"), sha256(TEXT), dataDir.resolve("slow.txt"));
        assertTrue(e.getMessage().contains("no data"), e.getMessage());
        assertNoFiles();
    }

    @Test
    void wrongChecksumFailsAndLeavesNothing() {
        byte[] other = TEXT.clone();
        other[5] = '!';
        server.serve("/input.txt", other);
        NamedCorpus corpus = plain(server.url("/input.txt"), "input.txt", sha256(TEXT), TEXT.length);

        DataException e = assertThrows(DataException.class, () -> store().resolve(corpus));

        assertDownloadError(e, server.url("/input.txt"), sha256(TEXT), dataDir.resolve("input.txt"));
        assertTrue(e.getMessage().contains("has sha256 " + sha256(other)), e.getMessage());
        assertNoFiles();
    }

    @Test
    void wrongSizeAnnouncedFailsBeforeDownloading() {
        server.serve("/input.txt", java.util.Arrays.copyOf(TEXT, 100));
        NamedCorpus corpus = plain(server.url("/input.txt"), "input.txt", sha256(TEXT), TEXT.length);

        DataException e = assertThrows(DataException.class, () -> store().resolve(corpus));

        assertDownloadError(e, server.url("/input.txt"), sha256(TEXT), dataDir.resolve("input.txt"));
        assertTrue(e.getMessage().contains("announces 100 bytes"), e.getMessage());
        assertNoFiles();
    }

    @Test
    void notFoundFailsAndLeavesNothing() {
        server.status("/missing.txt", 404);
        NamedCorpus corpus = plain(server.url("/missing.txt"), "missing.txt", sha256(TEXT), TEXT.length);

        DataException e = assertThrows(DataException.class, () -> store().resolve(corpus));

        assertDownloadError(e, server.url("/missing.txt"), sha256(TEXT), dataDir.resolve("missing.txt"));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertNoFiles();
    }

    @Test
    void connectionRefusedFailsAndLeavesNothing() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nobody listens there
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/input.txt");
        NamedCorpus corpus = plain(url, "input.txt", sha256(TEXT), TEXT.length);

        DataException e = assertThrows(DataException.class, () -> store().resolve(corpus));

        assertDownloadError(e, url, sha256(TEXT), dataDir.resolve("input.txt"));
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        assertNoFiles();
    }

    @Test
    void localOnlyCorpusSaysItCannotBeDownloaded() {
        NamedCorpus corpus = new NamedCorpus("local", "a local corpus", "test only",
                new CorpusSource.LocalOnly("make it with head -c 10 x > local.txt"),
                List.of(new CorpusFile("local.txt", sha256(TEXT), TEXT.length)), new SplitRule.FirstFraction(0.9));

        DataException e = assertThrows(DataException.class, () -> store().resolve(corpus));

        assertOneLine(e);
        assertTrue(e.getMessage().contains("cannot be downloaded"), e.getMessage());
        assertTrue(e.getMessage().contains(dataDir.resolve("local.txt").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(sha256(TEXT)), e.getMessage());
        assertTrue(e.getMessage().contains("head -c 10"), e.getMessage());
    }

    // ---- zip archives --------------------------------------------------------------------------

    private static final byte[] TRAIN = "= Valkyria =\n\n Senjō no Valkyria 3 : Unrecorded Chronicles \n"
            .repeat(20).getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALID = " = Robert Boulter = \n\n Robert Boulter is an English actor .\n"
            .repeat(5).getBytes(StandardCharsets.UTF_8);

    private static NamedCorpus zipCorpus(URI url, byte[] zip, String trainSha) {
        return new NamedCorpus("test-zip", "a zipped test corpus", "test only",
                new CorpusSource.Zip(url, "corpus.zip", sha256(zip), zip.length),
                List.of(new CorpusFile("corp/train.raw", trainSha, TRAIN.length),
                        new CorpusFile("corp/valid.raw", sha256(VALID), VALID.length)),
                new SplitRule.SeparateFiles("corp/train.raw", "corp/valid.raw", null));
    }

    @Test
    void goodZipIsDownloadedVerifiedAndExtracted() throws IOException {
        byte[] zip = zip(Map.of("corp/train.raw", TRAIN, "corp/valid.raw", VALID, "README", "hi".getBytes()));
        server.serve("/corpus.zip", zip);
        NamedCorpus corpus = zipCorpus(server.url("/corpus.zip"), zip, sha256(TRAIN));

        ResolvedCorpus resolved = store().resolve(corpus);

        assertEquals(dataDir.resolve("corp/train.raw"), resolved.path("corp/train.raw"));
        CorpusSplit split = resolved.split();
        assertEquals(new String(TRAIN, StandardCharsets.UTF_8), split.train());
        assertEquals(new String(VALID, StandardCharsets.UTF_8), split.val());
        assertNull(split.test());
        assertTrue(Files.isRegularFile(dataDir.resolve("corpus.zip")), "the verified archive is kept");
        assertFalse(Files.exists(dataDir.resolve("README")), "only the corpus's files are extracted");
        assertTrue(events.stream().anyMatch(s -> s.startsWith("start extracting corp/train.raw " + TRAIN.length)));
        assertNoTempFiles();

        Files.delete(dataDir.resolve("corp/valid.raw"));
        store().resolve(corpus);
        assertEquals(1, server.hits("/corpus.zip"), "a missing file is extracted again from the kept archive");
        assertTrue(Files.isRegularFile(dataDir.resolve("corp/valid.raw")));
    }

    @Test
    void archiveWithUnknownChecksumIsCheckedThroughItsFiles() throws IOException {
        byte[] zip = zip(Map.of("corp/train.raw", TRAIN, "corp/valid.raw", VALID));
        server.serve("/corpus.zip", zip);
        NamedCorpus known = zipCorpus(server.url("/corpus.zip"), zip, sha256(TRAIN));
        NamedCorpus corpus = new NamedCorpus(known.name(), known.description(), known.licence(),
                new CorpusSource.Zip(server.url("/corpus.zip"), "corpus.zip", null, CorpusFile.UNKNOWN_SIZE),
                known.files(), known.split());

        store().resolve(corpus);
        Files.delete(dataDir.resolve("corp/train.raw"));
        assertEquals(new String(TRAIN, StandardCharsets.UTF_8), store().resolve(corpus).split().train());
        assertEquals(1, server.hits("/corpus.zip"));

        Files.delete(dataDir.resolve("corp/train.raw"));
        Files.write(dataDir.resolve("corpus.zip"), zip(Map.of("corp/train.raw", VALID)));
        DataException e = assertThrows(DataException.class, () -> store().resolve(corpus));
        assertOneLine(e);
        assertTrue(e.getMessage().contains("not known to lossfloor"), e.getMessage());
        assertTrue(e.getMessage().contains(sha256(TRAIN)), e.getMessage());
        assertFalse(Files.exists(dataDir.resolve("corp/train.raw")));
        assertNoTempFiles();
    }

    @Test
    void zipSlipArchiveIsRefusedWholeAndNothingEscapesOrStays() throws IOException {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("corp/train.raw", TRAIN);
        entries.put("corp/valid.raw", VALID);
        entries.put("../evil.txt", "owned".getBytes());
        byte[] zip = zip(entries);
        server.serve("/corpus.zip", zip);
        NamedCorpus corpus = zipCorpus(server.url("/corpus.zip"), zip, sha256(TRAIN));

        DataException e = assertThrows(DataException.class, () -> store().resolve(corpus));

        assertDownloadError(e, server.url("/corpus.zip"), sha256(zip), dataDir.resolve("corpus.zip"));
        assertTrue(e.getMessage().contains("../evil.txt"), e.getMessage());
        assertFalse(Files.exists(root.resolve("evil.txt")), "nothing escapes the data directory");
        assertNoFiles();
    }

    @Test
    void zipSlipArchivePlacedByHandIsRefusedAndNothingIsExtracted() throws IOException {
        byte[] zip = zip(Map.of("corp/train.raw", TRAIN, "corp/valid.raw", VALID, "/tmp/abs.txt", "x".getBytes()));
        Files.createDirectories(dataDir);
        Files.write(dataDir.resolve("corpus.zip"), zip);
        NamedCorpus corpus = zipCorpus(URI.create("http://127.0.0.1:9/corpus.zip"), zip, sha256(TRAIN));

        DataException e = assertThrows(DataException.class, () -> store().resolve(corpus));

        assertOneLine(e);
        assertTrue(e.getMessage().contains("/tmp/abs.txt"), e.getMessage());
        assertFalse(Files.exists(dataDir.resolve("corp")), "nothing extracted");
        assertNoTempFiles();
    }

    @Test
    void extractedFileWithWrongChecksumLeavesNoPartialExtraction() throws IOException {
        byte[] zip = zip(Map.of("corp/train.raw", TRAIN, "corp/valid.raw", VALID));
        server.serve("/corpus.zip", zip);
        String wrong = sha256("something else".getBytes());
        NamedCorpus corpus = zipCorpus(server.url("/corpus.zip"), zip, wrong);

        DataException e = assertThrows(DataException.class, () -> store().resolve(corpus));

        assertOneLine(e);
        assertTrue(e.getMessage().contains(server.url("/corpus.zip").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(wrong), e.getMessage());
        assertTrue(e.getMessage().contains(dataDir.resolve("corp/train.raw").toString()), e.getMessage());
        assertFalse(Files.exists(dataDir.resolve("corp")), "no half-extracted corpus: " + listFiles());
        assertNoTempFiles();
    }

    @Test
    void unsafeEntryNames() {
        Path dir = root.resolve("d");
        for (String bad : List.of("../evil", "a/../../evil", "/etc/passwd", "\\evil", "..\\evil", "C:evil", "C:/x", "")) {
            assertFalse(CorpusStore.isSafeEntryName(bad, dir), bad);
        }
        for (String good : List.of("enwik8", "wikitext-2-raw/wiki.train.raw", "a/./b", "a/../b", "dir/")) {
            assertTrue(CorpusStore.isSafeEntryName(good, dir), good);
        }
    }

    @Test
    void defaultDataDirComesFromTheEnvironmentOrTheHomeCache() {
        assertEquals(Path.of("/data/corpora"), CorpusStore.defaultDataDir("/data/corpora", "/home/u"));
        assertEquals(Path.of("/home/u/.cache/lossfloor"), CorpusStore.defaultDataDir(null, "/home/u"));
        assertEquals(Path.of("/home/u/.cache/lossfloor"), CorpusStore.defaultDataDir("  ", "/home/u"));
        assertTrue(CorpusStore.defaultDataDir("rel", "/home/u").isAbsolute());
    }

    // ---- helpers -------------------------------------------------------------------------------

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void assertOneLine(DataException e) {
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e.getMessage());
    }

    private static void assertDownloadError(DataException e, URI url, String sha, Path target) {
        String m = e.getMessage();
        assertOneLine(e);
        assertTrue(m.contains(url.toString()), "names the URL: " + m);
        assertTrue(m.contains(sha), "names the expected checksum: " + m);
        assertTrue(m.contains("put it at " + target), "says where to put the file: " + m);
    }

    private List<Path> listFiles() throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    private void assertNoTempFiles() throws IOException {
        List<Path> parts = listFiles().stream().filter(p -> p.getFileName().toString().endsWith(".part"))
                .collect(Collectors.toList());
        assertTrue(parts.isEmpty(), "temporary files left: " + parts);
    }

    private void assertNoFiles() {
        try {
            assertEquals(List.of(), listFiles(), "nothing may be left behind");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
