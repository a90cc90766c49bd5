package dev.lossfloor.trainer;

import org.bytedeco.javacpp.FloatPointer;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemv;

/**
 * Row-major single-precision matrix products through OpenBLAS, the BLAS that nd4j-native itself links, so the
 * thread count set through ND4J applies here too. Operands are off-heap: JNI copies a Java array operand in and out
 * on every call (measured: 3-4% of a training step even into reused buffers).
 */
final class Blas {
    private Blas() {}

    /** c[m,n] = alpha op(a) op(b) + beta c, where op(a) is [m,k] and op(b) is [k,n]; all contiguous from offset 0. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a, FloatPointer b,
                     float beta, FloatPointer c) {
        gemm(transA, transB, m, n, k, alpha, a, 0, transA ? m : k, b, 0, transB ? k : n, beta, c, 0, n);
    }

    /**
     * The same where each matrix starts at an element offset and has its own row stride (e.g. one attention head
     * inside the fused q|k|v rows). The three pointers must be distinct objects (they may share memory): the
     * offsets travel as their positions.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     FloatPointer a, long aOffset, int lda, FloatPointer b, long bOffset, int ldb,
                     float beta, FloatPointer c, long cOffset, int ldc) {
        if (a == b || a == c || b == c) throw new IllegalArgumentException("gemm needs three distinct pointer objects");
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a.position(aOffset), lda, b.position(bOffset), ldb, beta, c.position(cOffset), ldc);
        a.position(0);
        b.position(0);
        c.position(0);
    }

    /** c[n, width] = beta c + (every row) bias: a rank-1 product with a column of ones (at least n of them). */
    static void biasRows(FloatPointer c, FloatPointer bias, FloatPointer ones, int n, int width, float beta) {
        gemm(false, false, n, width, 1, 1f, ones, 0, 1, bias, 0, width, beta, c, 0, width);
    }

    /** out[width] = the column sums of a[n, width]: a^T times a column of ones (at least n of them). */
    static void columnSums(FloatPointer a, FloatPointer ones, int n, int width, FloatPointer out) {
        cblas_sgemv(CblasRowMajor, CblasTrans, n, width, 1f, a, width, ones, 1, 0f, out, 1);
    }
}
