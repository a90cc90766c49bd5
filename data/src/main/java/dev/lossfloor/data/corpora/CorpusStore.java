package dev.lossfloor.data.corpora;

import dev.lossfloor.data.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Finds a {@link NamedCorpus}'s files in a data directory, checks them against their SHA-256, and downloads (and
 * extracts) the missing ones.
 *
 * <p>Files live at {@code dataDir/<CorpusFile.path>} (e.g. {@code tinyshakespeare.txt},
 * {@code wikitext-2-raw/wiki.valid.raw}: the names the shared corpora directory uses). A present file is used only
 * if it matches its SHA-256; the result is remembered in a hidden sidecar {@code .<name>.sha256} next to it
 * (checksum, size and modification time), so later runs hash a 100 MB file only when its size or modification time
 * changed. A read-only directory just gets no sidecars.
 *
 * <p>A missing file is downloaded to a temporary {@code .<name>.*.part} file in its target directory while its
 * SHA-256 is computed, checked (size against Content-Length and the registry, then the checksum), and only then
 * renamed into place atomically. Zip archives are kept as {@code dataDir/<archiveName>}; before anything is
 * extracted every entry name is checked, and an archive with an entry that would land outside the data directory
 * (zip-slip: {@code ../x}, {@code /x}, {@code C:x}) is refused whole. Extracted files go through the same
 * temporary-file, checksum, rename path. Every failure is a one-line {@link DataException} that names the URL, the
 * expected SHA-256 and where to put the file by hand, and leaves no temporary file behind.
 *
 * <p>Not thread-safe across processes: two processes downloading the same file each write their own temporary
 * file, and the last rename wins (both are verified, so the result is correct either way).
 */
public final class CorpusStore {

    /** Environment variable naming the data directory. */
    public static final String DATA_DIR_ENV = "LOSSFLOOR_DATA";

    private static final int BUFFER_BYTES = 1 << 16;
    private static final String PART_SUFFIX = ".part";
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);

    /** A download that receives no data for this long is abandoned. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final HttpClient client;
    private final ProgressListener listener;
    private final Duration stallTimeout;

    /**
     * @param dataDir  where corpora live; created on the first download
     * @param client   used for downloads; give it {@link HttpClient.Redirect#NORMAL} to follow redirects
     * @param listener hears about downloads, extraction and hashing
     */
    public CorpusStore(Path dataDir, HttpClient client, ProgressListener listener) {
        this(dataDir, client, listener, DEFAULT_STALL_TIMEOUT);
    }

    /** As above; a download that receives no data for {@code stallTimeout} is abandoned. */
    public CorpusStore(Path dataDir, HttpClient client, ProgressListener listener, Duration stallTimeout) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
        this.client = Objects.requireNonNull(client, "client");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stall timeout must be positive, got " + stallTimeout);
        }
        this.stallTimeout = stallTimeout;
    }

    /** A store on {@link #defaultDataDir()} with {@link #defaultHttpClient()}. */
    public static CorpusStore openDefault(ProgressListener listener) {
        return new CorpusStore(defaultDataDir(), defaultHttpClient(), listener);
    }

    /** {@code $LOSSFLOOR_DATA} if set and not blank, else {@code ~/.cache/lossfloor}. */
    public static Path defaultDataDir() {
        return defaultDataDir(System.getenv(DATA_DIR_ENV), System.getProperty("user.home"));
    }

    static Path defaultDataDir(String env, String userHome) {
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Path.of(userHome, ".cache", "lossfloor");
    }

    /** HTTP/1.1, redirects followed (never https to http), 30 s to connect. */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Where {@code file} lives (or will live) in this store. */
    public Path pathOf(CorpusFile file) {
        return dataDir.resolve(file.path());
    }

    /** Whether every file of the corpus is present (not checked against its checksum). */
    public boolean isPresent(NamedCorpus corpus) {
        return corpus.files().stream().allMatch(f -> Files.isRegularFile(pathOf(f)));
    }

    /**
     * Makes every file of {@code corpus} present and verified: present files are checked against their SHA-256,
     * missing ones are downloaded (or extracted from the corpus's archive, downloading it if needed).
     *
     * @throws DataException with a one-line message if a file is wrong, cannot be downloaded, or fails its checksum
     */
    public ResolvedCorpus resolve(NamedCorpus corpus) {
        Map<String, Path> paths = new LinkedHashMap<>();
        List<CorpusFile> missing = new ArrayList<>();
        for (CorpusFile f : corpus.files()) {
            Path p = pathOf(f);
            paths.put(f.path(), p);
            if (Files.isRegularFile(p)) {
                verifyPresent(p, f.sha256(), f.bytes(), presentAdvice(corpus));
            } else if (Files.exists(p)) {
                throw new DataException(p + " is not a regular file; " + corpus.name() + " needs its file "
                        + f.path() + " (sha256 " + f.sha256() + ") there");
            } else {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            fetch(corpus, missing);
        }
        return new ResolvedCorpus(corpus, paths);
    }

    // ---- fetching ---------------------------------------------------------------------------

    private void fetch(NamedCorpus corpus, List<CorpusFile> missing) {
        CorpusSource source = corpus.source();
        if (source instanceof CorpusSource.LocalOnly local) {
            CorpusFile f = missing.get(0);
            throw new DataException(corpus.name() + " needs " + pathOf(f) + " (sha256 " + f.sha256()
                    + "), which is missing and cannot be downloaded: " + local.why());
        } else if (source instanceof CorpusSource.Plain plain) {
            CorpusFile f = missing.get(0);
            Path target = pathOf(f);
            download(corpus, plain.url(), target, f.sha256(), f.bytes(), tmp -> { });
        } else if (source instanceof CorpusSource.Zip zip) {
            Path archive = dataDir.resolve(zip.archiveName());
            if (Files.isRegularFile(archive)) {
                verifyPresent(archive, zip.sha256(), zip.bytes(), "delete it so that lossfloor downloads " + zip.url()
                        + " again, or put the archive with that checksum there");
            } else {
                download(corpus, zip.url(), archive, zip.sha256(), zip.bytes(),
                        tmp -> inspectArchive(corpus, zip, tmp, archive, missing));
            }
            extract(corpus, zip, archive, missing);
        } else {
            throw new IllegalStateException("unknown source " + source);
        }
    }

    /** Callback run on the verified temporary file before it is renamed into place. */
    private interface Check {
        void accept(Path tmp);
    }

    /**
     * Streams {@code url} into a temporary file next to {@code target}, computing its SHA-256; checks the size
     * and checksum, runs {@code beforeMove}, then renames it to {@code target}. On any failure the temporary file
     * is deleted and a one-line DataException is thrown.
     */
    private void download(NamedCorpus corpus, URI url, Path target, String sha256, long expectedBytes,
            Check beforeMove) {
        Path dir = target.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw sourceFailure(corpus, url, sha256, target, "cannot create " + dir + " (" + describe(e) + ")");
        }
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", PART_SUFFIX);
        } catch (IOException e) {
            throw sourceFailure(corpus, url, sha256, target, "cannot write in " + dir + " (" + describe(e) + ")");
        }
        boolean moved = false;
        try {
            String actual = fetchTo(corpus, url, tmp, target, sha256, expectedBytes);
            beforeMove.accept(tmp);
            moveIntoPlace(tmp, target, () -> sourceFailure(corpus, url, sha256, target, "cannot rename " + tmp));
            moved = true;
            writeSidecar(target, actual);
        } finally {
            if (!moved) {
                deleteQuietly(tmp);
            }
        }
    }

    /** The transfer itself; returns the SHA-256 of what was written to {@code tmp}. */
    private String fetchTo(NamedCorpus corpus, URI url, Path tmp, Path target, String sha256, long expectedBytes) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(RESPONSE_TIMEOUT)
                .header("User-Agent", "lossfloor")
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw sourceFailure(corpus, url, sha256, target, describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw sourceFailure(corpus, url, sha256, target, "interrupted");
        }
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            if (status != 200) {
                throw sourceFailure(corpus, url, sha256, target, "HTTP " + status
                        + (status >= 300 && status < 400 ? " redirect to "
                                + response.headers().firstValue("Location").orElse("?") : ""));
            }
            long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1L);
            if (announced >= 0 && expectedBytes >= 0 && announced != expectedBytes) {
                throw sourceFailure(corpus, url, sha256, target, String.format(Locale.ROOT,
                        "the server announces %,d bytes, expected %,d", announced, expectedBytes));
            }
            MessageDigest digest = Checksums.newSha256();
            long done = 0;
            listener.started("downloading " + url, announced >= 0 ? announced : expectedBytes);
            // HttpClient has no read timeout for a streamed body: a watchdog closes the stream when data stops
            // coming, which ends the blocked read.
            AtomicLong lastData = new AtomicLong(System.nanoTime());
            AtomicBoolean stalled = new AtomicBoolean();
            ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lossfloor-download-watchdog");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(10, stallTimeout.toMillis() / 4);
            watchdog.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - lastData.get() > stallTimeout.toNanos() && !stalled.getAndSet(true)) {
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // the reader sees the stream end either way
                    }
                }
            }, period, period, TimeUnit.MILLISECONDS);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buffer = new byte[BUFFER_BYTES];
                while (true) {
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (IOException e) {
                        n = -2;
                        if (!stalled.get()) {
                            throw sourceFailure(corpus, url, sha256, target, String.format(Locale.ROOT,
                                    "the transfer broke off after %,d%s bytes (%s)", done, ofTotal(announced),
                                    describe(e)));
                        }
                    }
                    if (stalled.get()) {
                        throw sourceFailure(corpus, url, sha256, target, String.format(Locale.ROOT,
                                "no data for %s after %,d%s bytes", seconds(stallTimeout), done,
                                ofTotal(announced)));
                    }
                    if (n < 0) {
                        break;
                    }
                    lastData.set(System.nanoTime());
                    out.write(buffer, 0, n);
                    digest.update(buffer, 0, n);
                    done += n;
                    if (expectedBytes >= 0 && done > expectedBytes) {
                        throw sourceFailure(corpus, url, sha256, target, String.format(Locale.ROOT,
                                "the server sends more than the expected %,d bytes", expectedBytes));
                    }
                    listener.progressed(done);
                }
            } catch (IOException e) {
                throw sourceFailure(corpus, url, sha256, target, "cannot write " + tmp + " (" + describe(e) + ")");
            } finally {
                watchdog.shutdownNow();
                listener.finished();
            }
            if (announced >= 0 && done != announced) {
                throw sourceFailure(corpus, url, sha256, target, String.format(Locale.ROOT,
                        "truncated download: %,d of %,d bytes", done, announced));
            }
            if (expectedBytes >= 0 && done != expectedBytes) {
                throw sourceFailure(corpus, url, sha256, target, String.format(Locale.ROOT,
                        "truncated download: %,d of the expected %,d bytes", done, expectedBytes));
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (sha256 != null && !actual.equals(sha256)) {
                throw sourceFailure(corpus, url, sha256, target, "the downloaded file has sha256 " + actual + " instead");
            }
            return actual;
        } catch (IOException e) {
            // closing the response body failed; the data is already complete and checked
            throw sourceFailure(corpus, url, sha256, target, describe(e));
        }
    }

    // ---- archives ------------------------------------------------------------------------------

    /** Refuses an archive with an unsafe entry name or without an entry the corpus needs. */
    private void inspectArchive(NamedCorpus corpus, CorpusSource.Zip zip, Path file, Path archive,
            List<CorpusFile> needed) {
        try (ZipFile z = new ZipFile(file.toFile())) {
            checkEntryNames(corpus, zip, z, archive);
            for (CorpusFile f : needed) {
                if (z.getEntry(f.path()) == null) {
                    throw sourceFailure(corpus, zip.url(), zip.sha256(), archive,
                            "the archive has no entry " + f.path());
                }
            }
        } catch (IOException e) {
            throw sourceFailure(corpus, zip.url(), zip.sha256(), archive, "not a readable zip archive (" + describe(e) + ")");
        }
    }

    private void checkEntryNames(NamedCorpus corpus, CorpusSource.Zip zip, ZipFile z, Path archive) {
        for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            if (!isSafeEntryName(name, dataDir)) {
                throw sourceFailure(corpus, zip.url(), zip.sha256(), archive, "refusing the archive: its entry \""
                        + name.replaceAll("\\p{Cntrl}", "?") + "\" would be extracted outside " + dataDir);
            }
        }
    }

    /**
     * True if extracting an entry of this name into {@code dir} stays inside {@code dir}: not absolute (no leading
     * '/' or '\', no drive letter), and its normalized path (backslashes read as separators) starts with dir.
     */
    static boolean isSafeEntryName(String name, Path dir) {
        String n = name.replace('\\', '/');
        if (n.isEmpty() || n.startsWith("/") || (n.length() >= 2 && n.charAt(1) == ':') || n.indexOf('\0') >= 0) {
            return false;
        }
        Path root = dir.toAbsolutePath().normalize();
        try {
            return root.resolve(n).normalize().startsWith(root);
        } catch (RuntimeException invalidPath) {
            return false;
        }
    }

    /**
     * Extracts the missing files from {@code archive}: every entry name is checked first; each file goes to a
     * temporary file (at most its expected size), is checked, and all are renamed into place only when all match.
     */
    private void extract(NamedCorpus corpus, CorpusSource.Zip zip, Path archive, List<CorpusFile> files) {
        Map<CorpusFile, Path> temps = new LinkedHashMap<>();
        List<Path> createdDirs = new ArrayList<>();
        Map<CorpusFile, String> hashes = new LinkedHashMap<>();
        CorpusFile current = files.get(0);
        boolean done = false;
        try (ZipFile z = new ZipFile(archive.toFile())) {
            checkEntryNames(corpus, zip, z, archive);
            for (CorpusFile f : files) {
                current = f;
                ZipEntry entry = z.getEntry(f.path());
                if (entry == null || entry.isDirectory()) {
                    throw extractFailure(corpus, zip, archive, f, "the archive has no file entry " + f.path());
                }
                Path target = pathOf(f);
                createDirectories(target.getParent(), createdDirs);
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", PART_SUFFIX);
                temps.put(f, tmp);
                hashes.put(f, copyEntry(corpus, zip, archive, f, z, entry, tmp));
            }
            for (Map.Entry<CorpusFile, Path> t : temps.entrySet()) {
                CorpusFile f = t.getKey();
                moveIntoPlace(t.getValue(), pathOf(f),
                        () -> extractFailure(corpus, zip, archive, f, "cannot rename " + t.getValue()));
                t.setValue(null);
                writeSidecar(pathOf(f), hashes.get(f));
            }
            done = true;
        } catch (IOException e) {
            throw extractFailure(corpus, zip, archive, current, describe(e));
        } finally {
            if (!done) {
                temps.values().stream().filter(Objects::nonNull).forEach(CorpusStore::deleteQuietly);
                for (int i = createdDirs.size() - 1; i >= 0; i--) {
                    deleteQuietly(createdDirs.get(i)); // only succeeds while empty
                }
            }
        }
    }

    private String copyEntry(NamedCorpus corpus, CorpusSource.Zip zip, Path archive, CorpusFile f, ZipFile z,
            ZipEntry entry, Path tmp) throws IOException {
        MessageDigest digest = Checksums.newSha256();
        long done = 0;
        listener.started("extracting " + f.path(), f.bytes() >= 0 ? f.bytes() : entry.getSize());
        try (InputStream in = z.getInputStream(entry); OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                done += n;
                if (f.bytes() >= 0 && done > f.bytes()) {
                    throw extractFailure(corpus, zip, archive, f, String.format(Locale.ROOT,
                            "the entry %s is larger than the expected %,d bytes", f.path(), f.bytes()));
                }
                listener.progressed(done);
            }
        } finally {
            listener.finished();
        }
        if (f.bytes() >= 0 && done != f.bytes()) {
            throw extractFailure(corpus, zip, archive, f, String.format(Locale.ROOT,
                    "the entry %s has %,d bytes, expected %,d", f.path(), done, f.bytes()));
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(f.sha256())) {
            throw extractFailure(corpus, zip, archive, f, "the entry " + f.path() + " has sha256 " + actual);
        }
        return actual;
    }

    private static void createDirectories(Path dir, List<Path> created) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) {
            missing.add(0, d);
        }
        for (Path d : missing) {
            Files.createDirectory(d);
            created.add(d);
        }
    }

    // ---- present files and the verification cache ----------------------------------------------

    /** Checks a present file's size and SHA-256 (unless its sidecar vouches for it); {@code advice} ends errors. */
    private void verifyPresent(Path file, String sha256, long expectedBytes, String advice) {
        long size;
        String modified;
        try {
            size = Files.size(file);
            modified = Files.getLastModifiedTime(file).toString();
        } catch (IOException e) {
            throw new DataException("cannot read " + file + " (" + describe(e) + "); " + advice, e);
        }
        if (expectedBytes >= 0 && size != expectedBytes) {
            throw new DataException(String.format(Locale.ROOT, "%s has %,d bytes, expected %,d (sha256 %s); %s",
                    file, size, expectedBytes, sha256, advice));
        }
        if (sha256 == null) {
            return; // nothing more is known about it
        }
        if (sidecarVouches(file, sha256, size, modified)) {
            return;
        }
        String actual = hash(file, advice);
        if (!actual.equals(sha256)) {
            throw new DataException(file + " has sha256 " + actual + ", expected " + sha256 + "; " + advice);
        }
        writeSidecar(file, actual);
    }

    private static String presentAdvice(NamedCorpus corpus) {
        CorpusSource source = corpus.source();
        if (source instanceof CorpusSource.Plain plain) {
            return "delete it so that lossfloor downloads " + plain.url() + " again, or put the right file there";
        }
        if (source instanceof CorpusSource.Zip zip) {
            return "delete it so that lossfloor extracts it again from " + zip.url() + ", or put the right file there";
        }
        return "put the right file there (" + ((CorpusSource.LocalOnly) source).why() + ")";
    }

    private String hash(Path file, String advice) {
        MessageDigest digest = Checksums.newSha256();
        long done = 0;
        long total;
        try {
            total = Files.size(file);
        } catch (IOException e) {
            total = -1;
        }
        listener.started("verifying " + file, total);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                done += n;
                listener.progressed(done);
            }
        } catch (IOException e) {
            throw new DataException("cannot read " + file + " (" + describe(e) + "); " + advice, e);
        } finally {
            listener.finished();
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The sidecar that remembers a file's verified checksum: {@code .<name>.sha256} next to it. */
    static Path sidecarOf(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".sha256");
    }

    /** True if the sidecar records this checksum for a file of this size and modification time. */
    private static boolean sidecarVouches(Path file, String sha256, long size, String modified) {
        Path sidecar = sidecarOf(file);
        try {
            if (!Files.isRegularFile(sidecar) || Files.size(sidecar) > 1024) {
                return false;
            }
            String[] fields = Files.readString(sidecar, StandardCharsets.UTF_8).trim().split(" ");
            return fields.length == 3 && fields[0].equals(sha256) && fields[1].equals(Long.toString(size))
                    && fields[2].equals(modified);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Records "sha256 size modified-time" for a file just verified; best effort (read-only directories). */
    private static void writeSidecar(Path file, String sha256) {
        Path sidecar = sidecarOf(file);
        Path tmp = null;
        try {
            String line = sha256 + " " + Files.size(file) + " " + Files.getLastModifiedTime(file) + "\n";
            tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", PART_SUFFIX);
            Files.writeString(tmp, line, StandardCharsets.UTF_8);
            Files.move(tmp, sidecar, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException | RuntimeException e) {
            // not writable: the file is simply hashed again next time
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private interface FailureFactory {
        DataException create();
    }

    private static void moveIntoPlace(Path tmp, Path target, FailureFactory failure) {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) { // AtomicMoveNotSupportedException included: tmp is always in target's directory
            throw failure.create();
        }
    }

    /** "<corpus>: cannot download <url>: <reason>; download <url> yourself (sha256 <x>) and put it at <target>". */
    private static DataException sourceFailure(NamedCorpus corpus, URI url, String sha256, Path target, String reason) {
        return new DataException(oneLine(corpus.name() + ": cannot get " + url + ": " + reason + "; download " + url
                + " yourself (sha256 " + (sha256 == null ? "not known to lossfloor" : sha256) + ") and put it at "
                + target));
    }

    private DataException extractFailure(NamedCorpus corpus, CorpusSource.Zip zip, Path archive, CorpusFile f,
            String reason) {
        return new DataException(oneLine(corpus.name() + ": cannot extract " + f.path() + " from " + archive + ": "
                + reason + "; expected sha256 " + f.sha256() + "; delete " + archive + " and download " + zip.url()
                + " yourself (sha256 " + (zip.sha256() == null ? "not known to lossfloor" : zip.sha256())
                + ") and put it at " + archive + ", or put the extracted file at " + pathOf(f)));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String ofTotal(long announced) {
        return announced >= 0 ? String.format(Locale.ROOT, " of %,d", announced) : "";
    }

    /** A short, one-line description of an I/O failure. */
    static String describe(Throwable e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connecting timed out (offline?)";
        }
        if (e instanceof HttpTimeoutException) {
            return "no response in time";
        }
        if (e instanceof ConnectException) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String detail = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            return "cannot connect (" + detail + "; offline?)";
        }
        if (e instanceof ZipException) {
            return "broken zip data: " + e.getMessage();
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a non-empty directory or a vanished file
        }
    }
}
