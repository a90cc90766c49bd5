package dev.lossfloor.trainer;

/**
 * Whether the fast path runs its attention kernels in Java's Vector API ({@link VectorKernels}). The API is an
 * incubator module in JDK 17, resolved only when the JVM starts with {@code --add-modules jdk.incubator.vector} (the
 * {@code lossfloor} launcher, the tests and the benchmarks do; the JVM then prints one warning line, which the
 * launcher filters). Without it, or with {@code -Dlossfloor.vector=false}, attention goes through OpenBLAS: the same
 * mathematics, slower. The two paths round differently, so a run records which one it used.
 */
public final class VectorSupport {
    private VectorSupport() {}

    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("lossfloor.vector", "true"));

    /** True when the Vector API module is present and not switched off. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** For run manifests: the vector width in use, or why there is none. */
    public static String describe() {
        if (AVAILABLE) return VectorKernels.LANES * Float.SIZE + "-bit (" + VectorKernels.LANES + " floats)";
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) return "off (-Dlossfloor.vector=false)";
        return "off (start java with --add-modules jdk.incubator.vector)";
    }
}
