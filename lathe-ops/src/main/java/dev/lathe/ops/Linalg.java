package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IterVar;
import dev.lathe.te.Tensor;

import java.util.List;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.sum;

/**
 * Matrix products. Each accumulates in the output dtype, which by default is the operands'
 * dtype; pass a wider one (e.g. int32 for int8 operands) to have both operands cast before the
 * multiply.
 */
public final class Linalg {
    private Linalg() {
    }

    /** {@code C[M, N] = Σk A[M, K] · B[K, N]}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, "matmul");
    }

    public static Tensor matmul(Tensor a, Tensor b, String name) {
        return matmul(a, b, a.dtype(), name);
    }

    /** {@link #matmul(Tensor, Tensor)} accumulating in {@code outDtype}. */
    public static Tensor matmul(Tensor a, Tensor b, DType outDtype, String name) {
        checkOperands(a, b, 2, outDtype, "matmul");
        Dims.requireSame(a.shape().get(1), b.shape().get(0), "matmul: the inner dimensions (A's dim 1, B's dim 0)");
        IterVar k = reduceAxis(0, a.shape().get(1), "k");
        return compute(List.of(a.shape().get(0), b.shape().get(1)),
                (i, j) -> sum(a.get(i, k.var()).cast(outDtype).mul(b.get(k.var(), j).cast(outDtype)), k), name);
    }

    /** {@code Y[M, N] = Σk X[M, K] · W[N, K]}: a dense (fully connected) layer with the weight stored row per output. */
    public static Tensor matmulTransposedB(Tensor x, Tensor w) {
        return matmulTransposedB(x, w, "dense");
    }

    public static Tensor matmulTransposedB(Tensor x, Tensor w, String name) {
        return matmulTransposedB(x, w, x.dtype(), name);
    }

    public static Tensor matmulTransposedB(Tensor x, Tensor w, DType outDtype, String name) {
        checkOperands(x, w, 2, outDtype, "matmulTransposedB");
        Dims.requireSame(x.shape().get(1), w.shape().get(1), "matmulTransposedB: the reduced dimensions (X's dim 1, W's dim 1)");
        IterVar k = reduceAxis(0, x.shape().get(1), "k");
        return compute(List.of(x.shape().get(0), w.shape().get(0)),
                (i, j) -> sum(x.get(i, k.var()).cast(outDtype).mul(w.get(j, k.var()).cast(outDtype)), k), name);
    }

    /** {@code C[b, M, N] = Σk A[b, M, K] · B[b, K, N]}. */
    public static Tensor batchMatmul(Tensor a, Tensor b) {
        return batchMatmul(a, b, "batch_matmul");
    }

    public static Tensor batchMatmul(Tensor a, Tensor b, String name) {
        return batchMatmul(a, b, a.dtype(), name);
    }

    public static Tensor batchMatmul(Tensor a, Tensor b, DType outDtype, String name) {
        checkOperands(a, b, 3, outDtype, "batchMatmul");
        Dims.requireSame(a.shape().get(0), b.shape().get(0), "batchMatmul: the batch dimensions");
        Dims.requireSame(a.shape().get(2), b.shape().get(1), "batchMatmul: the inner dimensions (A's dim 2, B's dim 1)");
        IterVar k = reduceAxis(0, a.shape().get(2), "k");
        List<Expr> shape = List.of(a.shape().get(0), a.shape().get(1), b.shape().get(2));
        return compute(shape, (n, i, j) -> sum(a.get(n, i, k.var()).cast(outDtype).mul(b.get(n, k.var(), j).cast(outDtype)), k), name);
    }

    private static void checkOperands(Tensor a, Tensor b, int rank, DType outDtype, String what) {
        Dims.requireRank(a, rank, what + ": the first operand");
        Dims.requireRank(b, rank, what + ": the second operand");
        Dims.requireSameDtype(a, b, what);
        Dims.requireNumeric(a, what);
        if (outDtype == DType.BOOL) {
            throw new IllegalArgumentException(what + " cannot accumulate in bool; choose a numeric output dtype");
        }
    }
}
