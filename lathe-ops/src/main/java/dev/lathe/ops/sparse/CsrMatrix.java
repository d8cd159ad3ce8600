package dev.lathe.ops.sparse;

import dev.lathe.runtime.NDArray;
import dev.lathe.te.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A compressed sparse row matrix held in Java arrays, validated, in the layout of
 * {@link CsrTensors}: {@code data[nnz]}, {@code indices[nnz]} (columns, strictly increasing within
 * a row) and {@code indptr[rows + 1]}. Empty rows and an empty matrix are allowed.
 */
public record CsrMatrix(int rows, int cols, float[] data, int[] indices, int[] indptr) {
    public CsrMatrix {
        Structure.check("CSR", rows, cols, indices, indptr);
        if (data.length != indices.length) {
            throw new IllegalArgumentException("CSR: data and indices must have the same length (nnz), got "
                    + data.length + " and " + indices.length);
        }
        data = data.clone();
        indices = indices.clone();
        indptr = indptr.clone();
    }

    /**
     * Prunes a dense row-major matrix to {@code sparsity} (the fraction of entries dropped),
     * keeping the {@code round(rows · cols · (1 - sparsity))} entries of largest magnitude.
     */
    public static CsrMatrix fromDense(float[] dense, int rows, int cols, double sparsity) {
        return BsrMatrix.fromDense(dense, rows, cols, 1, 1, sparsity).toCsr();
    }

    /** Keeps every non-zero entry. */
    public static CsrMatrix fromDense(float[] dense, int rows, int cols) {
        return BsrMatrix.fromDense(dense, rows, cols, 1, 1).toCsr();
    }

    public int nnz() {
        return indices.length;
    }

    @Override
    public float[] data() {
        return data.clone();
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int[] indptr() {
        return indptr.clone();
    }

    public NDArray dataArray() {
        return NDArray.of(data, data.length);
    }

    public NDArray indicesArray() {
        return NDArray.of(indices, indices.length);
    }

    public NDArray indptrArray() {
        return NDArray.of(indptr, indptr.length);
    }

    /** The same matrix as BSR with 1 × 1 blocks. */
    public BsrMatrix toBsr() {
        return new BsrMatrix(rows, cols, 1, 1, data, indices, indptr);
    }

    public float[] toDense() {
        return toBsr().toDense();
    }

    /** This matrix's arrays for the placeholders {@code t}, checked against their declared shapes. */
    public Map<Tensor, NDArray> bind(CsrTensors t) {
        return Sparse.bind("CSR", List.of(t.data(), t.indices(), t.indptr()),
                List.of(dataArray(), indicesArray(), indptrArray()), t.rows(), t.cols(), rows, cols);
    }

    /** Saves as {@code <prefix>_data.npy}, {@code <prefix>_indices.npy}, {@code <prefix>_indptr.npy} in {@code dir}. */
    public void save(Path dir, String prefix) throws IOException {
        Sparse.save(dir, prefix, dataArray(), indicesArray(), indptrArray());
    }

    /** Loads a triplet written by {@link #save} (or by NumPy from a SciPy {@code csr_matrix}), validating it. */
    public static CsrMatrix load(Path dir, String prefix, int cols) throws IOException {
        Sparse.Triplet t = Sparse.load(dir, prefix);
        if (t.data().ndim() != 1) {
            throw new IllegalArgumentException("CSR: " + prefix + "_data.npy must be 1-D [nnz], got " + t.data());
        }
        return new CsrMatrix(t.indptr().length - 1, cols, t.data().toFloatArray(), t.indices(), t.indptr());
    }
}
