package dev.lathe.ops.sparse;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ops.Dims;
import dev.lathe.te.Shapes;
import dev.lathe.te.Tensor;

import java.util.List;

import static dev.lathe.te.Te.placeholder;

/**
 * A {@code rows × cols} matrix in block sparse row form with {@code blockRows × blockCols}
 * blocks: block row {@code br} holds the blocks {@code data[b]} (each {@code [blockRows, blockCols]},
 * row-major) at block column {@code indices[b]} for {@code b ∈ [indptr[br], indptr[br+1])}.
 * {@code data[nnzb, blockRows, blockCols]}, {@code indices[nnzb]} (int32),
 * {@code indptr[rows/blockRows + 1]} (int32). The block extents are literal; rows and cols must
 * be multiples of them.
 */
public record BsrTensors(Tensor data, Tensor indices, Tensor indptr, Expr rows, Expr cols) {
    public BsrTensors {
        Sparse.requireIndexArray(indices, "BSR indices");
        Sparse.requireIndexArray(indptr, "BSR indptr");
        if (data.ndim() != 3) {
            throw new IllegalArgumentException("BSR data must be 3-D [nnzb, blockRows, blockCols], but " + data.name()
                    + " has shape " + data.shape());
        }
        for (int d = 1; d <= 2; d++) {
            if (Dims.constant(data.shape().get(d)).isEmpty() || Dims.constant(data.shape().get(d)).getAsLong() <= 0) {
                throw new IllegalArgumentException("BSR block extents must be positive literals, but " + data.name()
                        + " has shape " + data.shape());
            }
        }
        Dims.requireSame(data.shape().getFirst(), indices.shape().getFirst(), "the lengths of BSR data and indices (nnzb)");
        long bsr = Dims.constant(data.shape().get(1)).getAsLong();
        long bsc = Dims.constant(data.shape().get(2)).getAsLong();
        Dims.requireDivisible(rows, bsr, "BSR rows (block rows " + bsr + ")");
        Dims.requireDivisible(cols, bsc, "BSR cols (block cols " + bsc + ")");
        Dims.requireSame(Dims.plus(Dims.floordiv(rows, bsr), 1), indptr.shape().getFirst(),
                "BSR indptr's length and rows / blockRows + 1");
    }

    /** Placeholders {@code <prefix>_data}, {@code <prefix>_indices}, {@code <prefix>_indptr}, float32 values. */
    public static BsrTensors placeholders(Object rows, Object cols, int blockRows, int blockCols, Object nnzBlocks,
                                          String prefix) {
        return placeholders(rows, cols, blockRows, blockCols, nnzBlocks, DType.FLOAT32, prefix);
    }

    public static BsrTensors placeholders(Object rows, Object cols, int blockRows, int blockCols, Object nnzBlocks,
                                          DType dtype, String prefix) {
        if (blockRows <= 0 || blockCols <= 0) {
            throw new IllegalArgumentException("BSR block extents must be positive, got " + blockRows + " x " + blockCols);
        }
        List<Expr> dims = Shapes.of(List.of(rows, cols, nnzBlocks));
        Expr r = dims.get(0);
        Dims.requireDivisible(r, blockRows, "BSR rows (block rows " + blockRows + ")");
        Tensor data = placeholder(List.of(dims.get(2), blockRows, blockCols), dtype, prefix + "_data");
        Tensor indices = placeholder(List.of(dims.get(2)), DType.INT32, prefix + "_indices");
        Tensor indptr = placeholder(List.of(Dims.plus(Dims.floordiv(r, blockRows), 1)), DType.INT32,
                prefix + "_indptr");
        return new BsrTensors(data, indices, indptr, r, dims.get(1));
    }

    public int blockRows() {
        return (int) Dims.constant(data.shape().get(1)).getAsLong();
    }

    public int blockCols() {
        return (int) Dims.constant(data.shape().get(2)).getAsLong();
    }

    /** The shape of the dense matrix this represents. */
    public List<Expr> shape() {
        return List.of(rows, cols);
    }
}
