package dev.lossfloor.trainer;

/**
 * The float functions of the fast path, written so that the JIT compiles them to straight-line arithmetic (the loops
 * over arrays that call them vectorise where they avoid bit casts). Accuracy is stated per function and tested.
 */
final class FastMath32 {
    private FastMath32() {}

    static final float SQRT_HALF = 0.70710678118654752f;
    static final float INV_SQRT_2PI = 0.39894228040143268f;

    /**
     * erf(x) as a rational function of x (Eigen's float erf): absolute error below 5e-7 everywhere, no exp, no
     * branches (the clamp to [-4, 4] is where erf is +-1 in float anyway).
     */
    static float erf(float x) {
        float v = Math.max(-4f, Math.min(4f, x));
        float x2 = v * v;
        float p = -2.72614225801306e-10f;
        p = p * x2 + 2.77068142495902e-08f;
        p = p * x2 - 2.10102402082508e-06f;
        p = p * x2 - 5.69250639462346e-05f;
        p = p * x2 - 7.34990630326855e-04f;
        p = p * x2 - 2.95459980854025e-03f;
        p = p * x2 - 1.60960333262415e-02f;
        float q = -1.45660718464996e-05f;
        q = q * x2 - 2.13374055278905e-04f;
        q = q * x2 - 1.68282697438203e-03f;
        q = q * x2 - 7.37332916720468e-03f;
        q = q * x2 - 1.42647390514189e-02f;
        return v * p / q;
    }

    /**
     * The standard normal density exp(-x^2/2) / sqrt(2 pi), relative error below 1e-5 for |x| <= 6; beyond 6 it
     * stays at the density of 6 (6e-9, below float resolution next to the GELU derivative's other term). Computed as
     * (exp(-x^2/128))^64 with a Taylor polynomial on [-0.29, 0]: multiplications only, so loops vectorise.
     */
    static float normalDensity(float x) {
        float y = Math.min(x * x, 36f) * (-1f / 128f); // in [-0.28125, 0]
        float e = 1f + y * (1f + y * (0.5f + y * (1f / 6 + y * (1f / 24 + y * (1f / 120 + y * (1f / 720))))));
        e *= e; e *= e; e *= e; e *= e; e *= e; e *= e; // ^64
        return e * INV_SQRT_2PI;
    }

    /** exp(x) for x <= 0 in float (Cephes' expf): relative error about 2e-7; 0 below -87. */
    static float expNonPositive(float x) {
        if (x < -87f) return 0f;
        float n = (float) Math.floor(x * 1.44269504088896341f + 0.5f);
        float r = x - n * 0.693359375f + n * 2.12194440e-4f;
        float p = 1.9875691500E-4f;
        p = p * r + 1.3981999507E-3f;
        p = p * r + 8.3334519073E-3f;
        p = p * r + 4.1665795894E-2f;
        p = p * r + 1.6666665459E-1f;
        p = p * r + 5.0000001201E-1f;
        float y = p * r * r + r + 1f;
        return y * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}
