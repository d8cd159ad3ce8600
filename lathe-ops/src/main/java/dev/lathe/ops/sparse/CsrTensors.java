package dev.lathe.ops.sparse;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ops.Dims;
import dev.lathe.te.Shapes;
import dev.lathe.te.Tensor;

import java.util.List;

import static dev.lathe.te.Te.placeholder;

/**
 * A {@code rows × cols} matrix in compressed sparse row form: the non-zeros of row {@code r} are
 * {@code data[k]} at column {@code indices[k]} for {@code k ∈ [indptr[r], indptr[r+1])}.
 * {@code data[nnz]}, {@code indices[nnz]} (int32) and {@code indptr[rows+1]} (int32).
 */
public record CsrTensors(Tensor data, Tensor indices, Tensor indptr, Expr rows, Expr cols) {
    public CsrTensors {
        Sparse.requireIndexArray(indices, "CSR indices");
        Sparse.requireIndexArray(indptr, "CSR indptr");
        if (data.ndim() != 1) {
            throw new IllegalArgumentException("CSR data must be 1-D [nnz], but " + data.name() + " has shape " + data.shape());
        }
        Dims.requireSame(data.shape().getFirst(), indices.shape().getFirst(), "the lengths of CSR data and indices (nnz)");
        Dims.requireSame(Dims.plus(rows, 1), indptr.shape().getFirst(), "CSR indptr's length and rows + 1");
    }

    /** Placeholders {@code <prefix>_data}, {@code <prefix>_indices}, {@code <prefix>_indptr}, float32 values. */
    public static CsrTensors placeholders(Object rows, Object cols, Object nnz, String prefix) {
        return placeholders(rows, cols, nnz, DType.FLOAT32, prefix);
    }

    /** As {@link #placeholders(Object, Object, Object, String)} with values of {@code dtype}. Sizes are numbers or size variables. */
    public static CsrTensors placeholders(Object rows, Object cols, Object nnz, DType dtype, String prefix) {
        List<Expr> dims = Shapes.of(List.of(rows, cols, nnz));
        Expr r = dims.get(0);
        Tensor data = placeholder(List.of(dims.get(2)), dtype, prefix + "_data");
        Tensor indices = placeholder(List.of(dims.get(2)), DType.INT32, prefix + "_indices");
        Tensor indptr = placeholder(List.of(Dims.plus(r, 1)), DType.INT32, prefix + "_indptr");
        return new CsrTensors(data, indices, indptr, r, dims.get(1));
    }

    /** The shape of the dense matrix this represents. */
    public List<Expr> shape() {
        return List.of(rows, cols);
    }
}
