package dev.lossfloor.experiments;

import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * manifest.json: what made a run (lossfloor version and git commit, Java/DL4J/ND4J versions, backend, OS, CPU,
 * threads, seeds, the SHA-256 of every data file), when, and how it ended. Written when the run starts with status
 * "running" and rewritten at the end; a run killed without warning keeps "running".
 */
final class RunManifest {
    private final Path file;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    RunManifest(Path runDir, List<String> arguments, int threads, Map<String, Object> seeds, Map<String, String> dataSha256,
                String attentionKernels) {
        this.file = runDir.resolve("manifest.json");
        Properties git = resource("/lossfloor-git.properties");
        fields.put("lossfloor_version", Versions.lossfloor());
        fields.put("git_commit", git.getProperty("git.commit.id", "unknown"));
        fields.put("git_dirty", Boolean.parseBoolean(git.getProperty("git.dirty", "false")));
        fields.put("arguments", arguments);
        fields.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        fields.put("dl4j", Versions.DL4J);
        fields.put("nd4j_backend", Backend.backendName());
        fields.put("blas", String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().getOrDefault("blas.vendor", "?")));
        // OpenBLAS's kernels (and so the float rounding of every product) follow this variable; unset = detected
        fields.put("openblas_coretype", Backend.openBlasCoreType());
        // the fast path's attention: Java's Vector API or OpenBLAS products (they round differently)
        fields.put("attention_kernels", attentionKernels);
        fields.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        fields.put("cpu", Backend.cpuModel());
        fields.put("cores", Runtime.getRuntime().availableProcessors());
        fields.put("threads", threads);
        fields.put("seeds", seeds);
        fields.put("data_sha256", dataSha256);
        fields.put("started", Instant.now().toString());
        fields.put("ended", null);
        fields.put("status", "running");
        fields.put("message", null);
        RunDirectory.writeJson(file, fields);
    }

    /** Records how the run ended: completed, diverged, failed or interrupted. */
    synchronized void finish(String status, String message) {
        if (!"running".equals(fields.get("status"))) return;
        fields.put("ended", Instant.now().toString());
        fields.put("status", status);
        fields.put("message", message);
        try {
            RunDirectory.writeJson(file, fields);
        } catch (java.io.UncheckedIOException full) {
            overwriteInPlace(full);
        }
    }

    /**
     * The fallback when the atomic write fails, as it does on a full disk (it needs room for a second copy): rewrites
     * manifest.json over the blocks it already has, so the status still says how the run ended. The error that ended
     * the run stays the one reported; where even this fails, one line on stderr says the manifest is stale.
     */
    private void overwriteInPlace(java.io.UncheckedIOException atomic) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            byte[] bytes = RunDirectory.json(fields).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) ch.write(buffer, buffer.position());
            ch.truncate(bytes.length);
            ch.force(true);
        } catch (IOException e) {
            System.err.println("warning: " + file + " still says \"running\": " + atomic.getMessage());
        }
    }

    private static Properties resource(String name) {
        Properties p = new Properties();
        try (InputStream in = RunManifest.class.getResourceAsStream(name)) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // a jar built without git metadata records "unknown"
        }
        return p;
    }
}
