package dev.lossfloor.trainer;

import org.bytedeco.javacpp.FloatPointer;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

/**
 * Row-major single-precision matrix products through OpenBLAS, the BLAS that nd4j-native itself links, so the
 * thread count set through ND4J applies here too. Two flavours: Java arrays (whole, contiguous matrices) and
 * off-heap pointers with offsets and leading dimensions (strided sub-matrices, e.g. one attention head).
 */
final class Blas {
    private Blas() {}

    /** c[m,n] = alpha op(a) op(b) + beta c, where op(a) is [m,k] and op(b) is [k,n]; all contiguous. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                     float beta, float[] c) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, beta, c, n);
    }

    /**
     * The same on off-heap memory: each matrix starts at an element offset and has its own row stride. The three
     * pointers must be distinct objects (they may share memory): the offsets travel as their positions.
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
}
