package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * lock.json in a run directory: the process writing the run holds an OS lock on it for the run's life, so a second
 * writer (or a resume of a run still training) is refused at once, and a run whose process died (kill -9, power loss)
 * is told apart from one still training: the OS drops the lock with the process. The file's JSON (pid, host, start
 * time) names the holder for people and error messages; it stays after the run, naming its last writer.
 */
final class RunLock implements AutoCloseable {
    static final String FILE = "lock.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Who holds (or last held) a run directory's lock. */
    record Holder(long pid, String host, String since) {
        String describe() {
            return "pid " + pid + " on host " + host + " since " + since;
        }
    }

    /** A run directory's writer as seen from outside: none ever, alive, or gone without finishing. */
    enum State { NONE, LIVE, DEAD }

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of a run directory for this process, or fails with one line naming the holder. {@code fix} ends
     * that line with what the user can do instead.
     */
    static RunLock acquire(Path dir, String fix) {
        Path file = dir.resolve(FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM already holds it (another command in the same process)
            }
            if (lock == null) {
                channel.close();
                throw new IllegalArgumentException(busy(dir, fix));
            }
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("pid", ProcessHandle.current().pid());
            content.put("host", host());
            content.put("since", Instant.now().toString());
            byte[] bytes = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(content) + "\n").getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(bytes), 0);
            channel.force(true);
            return new RunLock(channel, lock);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the write's error is the one to report
            }
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Fails with one line naming the holder where a live process holds the lock of {@code dir}; cheap, takes nothing. */
    static void refuseIfHeld(Path dir, String fix) {
        if (state(dir) == State.LIVE) throw new IllegalArgumentException(busy(dir, fix));
    }

    private static String busy(Path dir, String fix) {
        Holder h = holder(dir);
        return dir + " is being written by " + (h == null ? "another process" : h.describe()) + "; " + fix;
    }

    /**
     * Whether a live process holds the lock of {@code dir}: a shared lock that cannot be had means yes; one that can
     * means the holder is gone, as does a pid that no longer exists on this host (for file systems without locks).
     */
    static State state(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) return State.NONE;
        boolean held;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            try {
                FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
                held = probe == null;
                if (probe != null) probe.release();
            } catch (OverlappingFileLockException e) {
                held = true;
            }
        } catch (IOException e) {
            held = true; // cannot tell: the pid decides
        }
        Holder h = holder(dir);
        if (held && h != null && h.host().equals(host()) && ProcessHandle.of(h.pid()).isEmpty()) held = false;
        return held ? State.LIVE : State.DEAD;
    }

    /** The pid, host and start time lock.json records, or null where it records none. */
    static Holder holder(Path dir) {
        try {
            JsonNode n = JSON.readTree(dir.resolve(FILE).toFile());
            if (n == null || !n.path("pid").canConvertToLong()) return null;
            return new Holder(n.path("pid").asLong(), n.path("host").asText("?"), n.path("since").asText("?"));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Deletes the temporary files a killed writer left in a run directory (names ending in .tmp, from the atomic
     * writes of manifests, metrics, checkpoints and plots); called by the process that holds the lock, so none is live.
     */
    static int removeStaleTemporaryFiles(Path dir) {
        int removed = 0;
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, "*.tmp")) {
            for (Path p : tmp) {
                if (Files.isRegularFile(p) && Files.deleteIfExists(p)) removed++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove temporary files in " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown" : env;
        }
    }

    /** Releases the lock; lock.json stays, naming the last writer. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        }
    }
}
