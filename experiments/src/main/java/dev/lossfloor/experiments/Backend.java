package dev.lossfloor.experiments;

import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The ND4J backend in use, the device it runs on and the number of threads it may use. */
final class Backend {
    private Backend() {}

    /** Sets ND4J's and OpenBLAS's thread counts before any heavy work. */
    static void configureThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    static String describe(int threads) {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String backend = Nd4j.getBackend().getClass().getSimpleName().replace("Backend", "");
        boolean gpu = backend.toLowerCase().contains("cuda");
        String device = gpu ? String.valueOf(env.getOrDefault("cuda.deviceName", "CUDA device")) : cpuModel();
        return String.format("backend %s (%s), device %s, threads %d", backend,
                gpu ? "nd4j-cuda" : "nd4j-native, BLAS " + env.getOrDefault("blas.vendor", "?"), device, threads);
    }

    /** OPENBLAS_CORETYPE as this process saw it when OpenBLAS loaded, or "detected" when unset or empty. */
    static String openBlasCoreType() {
        String pinned = System.getenv("OPENBLAS_CORETYPE");
        return pinned == null || pinned.isBlank() ? "detected" : pinned;
    }

    static String backendName() {
        return Nd4j.getBackend().getClass().getSimpleName();
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (IOException | RuntimeException ignored) {
            // not Linux: fall back to the JVM's view
        }
        return System.getProperty("os.arch") + " CPU, " + Runtime.getRuntime().availableProcessors() + " cores";
    }
}
