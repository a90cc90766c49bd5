package dev.lossfloor.trainer;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Vector API's exp against Math.exp; the attention kernels are checked through FastGptTest. */
class VectorKernelsTest {

    @Test
    void expOfNonPositiveArgumentsIsWithinFloatPrecisionAndZeroBelowMinus87() {
        assertTrue(VectorSupport.available(), "start the JVM with --add-modules jdk.incubator.vector");
        float[] x = new float[VectorKernels.LANES], y = new float[VectorKernels.LANES];
        double worst = 0;
        for (int k = 0; k <= 870_000; k += x.length) {
            for (int l = 0; l < x.length; l++) x[l] = -(k + l) * 1e-4f;
            VectorKernels.expNonPositive(FloatVector.fromArray(VectorKernels.SPECIES, x, 0)).intoArray(y, 0);
            for (int l = 0; l < x.length; l++) {
                double want = Math.exp(x[l]);
                if (x[l] < -87f) assertEquals(0f, y[l], "exp(" + x[l] + ")");
                else worst = Math.max(worst, Math.abs(y[l] - want) / want);
            }
        }
        assertTrue(worst < 3e-7, "max relative error " + worst);
        x[0] = 0f;
        VectorKernels.expNonPositive(FloatVector.fromArray(VectorKernels.SPECIES, x, 0)).intoArray(y, 0);
        assertEquals(1f, y[0]);
    }
}
