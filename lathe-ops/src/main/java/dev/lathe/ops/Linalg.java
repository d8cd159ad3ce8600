package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IterVar;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.computeN;
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

    /**
     * {@code Y = alpha · op(A) · op(B) + beta · C} with {@code op} the transpose where asked:
     * {@code op(A)} is {@code [M, K]}, {@code op(B)} is {@code [K, N]}, and {@code c} (null for
     * none) broadcasts to {@code [M, N]} (rank 0, 1 or 2). Stages: {@code <name>_product} and
     * {@code <name>} when there is a C or an alpha other than 1, else just {@code <name>}.
     */
    public static Tensor gemm(Tensor a, Tensor b, Tensor c, double alpha, double beta, boolean transA, boolean transB,
                              String name) {
        checkOperands(a, b, 2, a.dtype(), "gemm");
        Dims.requireFloat(a, "gemm");
        Expr m = a.shape().get(transA ? 1 : 0);
        Expr kA = a.shape().get(transA ? 0 : 1);
        Expr kB = b.shape().get(transB ? 1 : 0);
        Expr n = b.shape().get(transB ? 0 : 1);
        Dims.requireSame(kA, kB, "gemm: the inner dimensions of op(A) and op(B)");
        IterVar k = reduceAxis(0, kA, "k");
        boolean epilogue = c != null || alpha != 1;
        Tensor product = compute(List.of(m, n), (i, j) -> sum(
                (transA ? a.get(k.var(), i) : a.get(i, k.var())).mul(transB ? b.get(j, k.var()) : b.get(k.var(), j)), k),
                epilogue ? name + "_product" : name);
        if (!epilogue) {
            return product;
        }
        if (c != null) {
            Dims.requireSameDtype(a, c, "gemm");
            if (c.ndim() > 2) {
                throw new IllegalArgumentException("gemm: C must have rank <= 2 to broadcast to [M, N], but "
                        + c.name() + " has shape " + c.shape());
            }
            List<Expr> out = Elementwise.broadcastShape(List.of(m, n), c.shape());
            Dims.requireSame(out.get(0), m, "gemm: C's rows broadcast against M; the dimensions");
            Dims.requireSame(out.get(1), n, "gemm: C's columns broadcast against N; the dimensions");
        }
        return compute(List.of(m, n), (i, j) -> {
            Expr y = alpha == 1 ? product.get(i, j) : product.get(i, j).mul(alpha);
            return c == null ? y : y.add(scaled(c.get(Elementwise.broadcastIndex(c, List.of(i, j))), beta));
        }, name);
    }

    private static Expr scaled(Expr e, double factor) {
        return factor == 1 ? e : e.mul(factor);
    }

    /**
     * The matrix product of N-d operands as in NumPy's {@code matmul}: the last two dimensions
     * multiply as matrices and the leading (batch) dimensions broadcast. A 1-d {@code a} is a row
     * {@code [1, K]} and a 1-d {@code b} a column {@code [K, 1]}; the inserted dimension is dropped
     * from the result.
     */
    public static Tensor matmulNd(Tensor a, Tensor b, String name) {
        if (a.ndim() == 0 || b.ndim() == 0) {
            throw new IllegalArgumentException("matmulNd needs operands of rank >= 1, but got " + a.name() + " "
                    + a.shape() + " and " + b.name() + " " + b.shape());
        }
        Dims.requireSameDtype(a, b, "matmulNd");
        Dims.requireNumeric(a, "matmulNd");
        boolean rowVector = a.ndim() == 1;
        boolean colVector = b.ndim() == 1;
        int ra = a.ndim();
        int rb = b.ndim();
        Expr kA = a.shape().get(ra - 1);
        Expr kB = b.shape().get(colVector ? 0 : rb - 2);
        Dims.requireSame(kA, kB, "matmulNd: the inner dimensions (A's last, B's " + (colVector ? "only" : "second to last") + ")");
        List<Expr> batchA = rowVector ? List.of() : a.shape().subList(0, ra - 2);
        List<Expr> batchB = colVector ? List.of() : b.shape().subList(0, rb - 2);
        List<Expr> batch = Elementwise.broadcastShape(batchA, batchB);
        List<Expr> shape = new ArrayList<>(batch);
        if (!rowVector) {
            shape.add(a.shape().get(ra - 2));
        }
        if (!colVector) {
            shape.add(b.shape().get(rb - 1));
        }
        int nb = batch.size();
        IterVar k = reduceAxis(0, kA, "k");
        return computeN(shape, v -> {
            List<Expr> ia = new ArrayList<>();
            List<Expr> ib = new ArrayList<>();
            if (!rowVector) {
                ia.addAll(Elementwise.broadcastIndex(batchA, v.subList(0, nb)));
                ia.add(v.get(nb));
            }
            ia.add(k.var());
            ib.addAll(Elementwise.broadcastIndex(batchB, v.subList(0, nb)));
            ib.add(k.var());
            if (!colVector) {
                ib.add(v.getLast());
            }
            return sum(a.get(ia).mul(b.get(ib)), k);
        }, name);
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
