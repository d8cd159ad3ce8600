package dev.lathe.ops.sparse;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IterVar;
import dev.lathe.ops.Dims;
import dev.lathe.te.Tensor;

import java.util.List;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.sum;

/** Products of a CSR matrix with dense operands. */
public final class Csr {
    private Csr() {
    }

    /** {@code y[i] = Σ_{k ∈ [indptr[i], indptr[i+1])} data[k] · x[indices[k]]} for a dense {@code x[cols]}. */
    public static Tensor csrMv(CsrTensors a, Tensor x) {
        return csrMv(a, x, "csr_mv");
    }

    public static Tensor csrMv(CsrTensors a, Tensor x, String name) {
        Dims.requireRank(x, 1, "csrMv: the dense vector");
        Dims.requireSameDtype(a.data(), x, "csrMv");
        Dims.requireSame(a.cols(), x.shape().getFirst(), "csrMv: the matrix's cols and the vector's length");
        return compute(List.of(a.rows()), i -> {
            IterVar k = rowRange(a, i);
            return sum(a.data().get(k.var()).mul(x.get(column(a, k))), k);
        }, name);
    }

    /** {@code Y[i, j] = Σ_{k ∈ [indptr[i], indptr[i+1])} data[k] · X[indices[k], j]} for a dense {@code X[cols, N]}. */
    public static Tensor csrMm(CsrTensors a, Tensor x) {
        return csrMm(a, x, "csr_mm");
    }

    public static Tensor csrMm(CsrTensors a, Tensor x, String name) {
        Dims.requireRank(x, 2, "csrMm: the dense matrix");
        Dims.requireSameDtype(a.data(), x, "csrMm");
        Dims.requireSame(a.cols(), x.shape().getFirst(), "csrMm: the sparse matrix's cols and the dense matrix's rows");
        return compute(List.of(a.rows(), x.shape().get(1)), (i, j) -> {
            IterVar k = rowRange(a, i);
            return sum(a.data().get(k.var()).mul(x.get(column(a, k), j)), k);
        }, name);
    }

    /** The reduce axis over the stored elements of row {@code i}: its bounds are read from indptr. */
    private static IterVar rowRange(CsrTensors a, Expr i) {
        return reduceAxis(a.indptr().get(i).cast(DType.INT64), a.indptr().get(i.add(1)).cast(DType.INT64), "k");
    }

    private static Expr column(CsrTensors a, IterVar k) {
        return a.indices().get(k.var()).cast(DType.INT64);
    }
}
