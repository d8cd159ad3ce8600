package dev.lathe.ops.sparse;

import dev.lathe.runtime.NDArray;
import dev.lathe.te.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A block sparse row matrix held in Java arrays, validated, in the layout of {@link BsrTensors}:
 * {@code data[nnzb, blockRows, blockCols]} (row-major), {@code indices[nnzb]} (block columns,
 * strictly increasing within a block row) and {@code indptr[rows / blockRows + 1]}. Any block
 * shape, empty block rows and an empty matrix are allowed. {@link #bind} gives the task inputs of
 * a kernel declared over {@link BsrTensors}.
 */
public record BsrMatrix(int rows, int cols, int blockRows, int blockCols, float[] data, int[] indices, int[] indptr) {
    public BsrMatrix {
        checkBlocks(rows, cols, blockRows, blockCols);
        Structure.check("BSR", rows / blockRows, cols / blockCols, indices, indptr);
        if ((long) data.length != (long) indices.length * blockRows * blockCols) {
            throw new IllegalArgumentException("BSR: data must hold nnzb * blockRows * blockCols = " + indices.length
                    + " * " + blockRows + " * " + blockCols + " values, got " + data.length);
        }
        data = data.clone();
        indices = indices.clone();
        indptr = indptr.clone();
    }

    /**
     * Prunes a dense row-major matrix to {@code sparsity} (the fraction of blocks dropped): keeps
     * the {@code round(blocks · (1 - sparsity))} blocks of largest magnitude (L2 norm).
     */
    public static BsrMatrix fromDense(float[] dense, int rows, int cols, int blockRows, int blockCols, double sparsity) {
        if (dense.length != (long) rows * cols) {
            throw new IllegalArgumentException("BSR.fromDense: a " + rows + " x " + cols + " matrix needs "
                    + (long) rows * cols + " values, got " + dense.length);
        }
        checkBlocks(rows, cols, blockRows, blockCols);
        int nbr = rows / blockRows;
        int nbc = cols / blockCols;
        double[] norm = new double[nbr * nbc];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = dense[r * cols + c];
                norm[(r / blockRows) * nbc + c / blockCols] += v * v;
            }
        }
        boolean[] kept = Structure.largest(norm, Structure.kept(norm.length, sparsity));
        return ofKept(dense, rows, cols, blockRows, blockCols, kept);
    }

    /** Keeps every block with a non-zero value (no pruning). */
    public static BsrMatrix fromDense(float[] dense, int rows, int cols, int blockRows, int blockCols) {
        return fromDense(dense, rows, cols, blockRows, blockCols, 0).dropZeroBlocks();
    }

    /** A random matrix: exactly {@code round(blocks · (1 - sparsity))} blocks, values uniform in [-1, 1). */
    public static BsrMatrix random(int rows, int cols, int blockRows, int blockCols, double sparsity, Random rng) {
        float[] dense = new float[rows * cols];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = rng.nextFloat() * 2 - 1;
        }
        return fromDense(dense, rows, cols, blockRows, blockCols, sparsity);
    }

    private static BsrMatrix ofKept(float[] dense, int rows, int cols, int blockRows, int blockCols, boolean[] kept) {
        int nbr = rows / blockRows;
        int nbc = cols / blockCols;
        List<Integer> indices = new ArrayList<>();
        int[] indptr = new int[nbr + 1];
        for (int br = 0; br < nbr; br++) {
            for (int bc = 0; bc < nbc; bc++) {
                if (kept[br * nbc + bc]) {
                    indices.add(bc);
                }
            }
            indptr[br + 1] = indices.size();
        }
        int bs = blockRows * blockCols;
        float[] data = new float[indices.size() * bs];
        for (int br = 0; br < nbr; br++) {
            for (int b = indptr[br]; b < indptr[br + 1]; b++) {
                for (int r = 0; r < blockRows; r++) {
                    for (int c = 0; c < blockCols; c++) {
                        data[b * bs + r * blockCols + c] =
                                dense[(br * blockRows + r) * cols + indices.get(b) * blockCols + c];
                    }
                }
            }
        }
        return new BsrMatrix(rows, cols, blockRows, blockCols, data,
                indices.stream().mapToInt(Integer::intValue).toArray(), indptr);
    }

    private BsrMatrix dropZeroBlocks() {
        int bs = blockRows * blockCols;
        boolean[] kept = new boolean[(rows / blockRows) * (cols / blockCols)];
        for (int br = 0; br < rows / blockRows; br++) {
            for (int b = indptr[br]; b < indptr[br + 1]; b++) {
                for (int e = 0; e < bs; e++) {
                    kept[br * (cols / blockCols) + indices[b]] |= data[b * bs + e] != 0;
                }
            }
        }
        return ofKept(toDense(), rows, cols, blockRows, blockCols, kept);
    }

    private static void checkBlocks(int rows, int cols, int blockRows, int blockCols) {
        if (blockRows <= 0 || blockCols <= 0) {
            throw new IllegalArgumentException("BSR: block extents must be positive, got " + blockRows + " x " + blockCols);
        }
        if (rows < 0 || cols < 0 || rows % blockRows != 0 || cols % blockCols != 0) {
            throw new IllegalArgumentException("BSR: a " + rows + " x " + cols + " matrix does not divide into "
                    + blockRows + " x " + blockCols + " blocks; rows and cols must be multiples of the block extents");
        }
    }

    /** Blocks stored. */
    public int nnzBlocks() {
        return indices.length;
    }

    /** Values stored (zeros inside stored blocks count). */
    public long nnz() {
        return (long) data.length;
    }

    /** The fraction of blocks stored. */
    public double density() {
        long blocks = (long) (rows / blockRows) * (cols / blockCols);
        return blocks == 0 ? 0 : (double) nnzBlocks() / blocks;
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
        return NDArray.of(data, indices.length, blockRows, blockCols);
    }

    public NDArray indicesArray() {
        return NDArray.of(indices, indices.length);
    }

    public NDArray indptrArray() {
        return NDArray.of(indptr, indptr.length);
    }

    /** The same matrix in CSR: each stored block's values become entries (zeros inside blocks are kept). */
    public CsrMatrix toCsr() {
        if (blockRows == 1 && blockCols == 1) {
            return new CsrMatrix(rows, cols, data, indices, indptr);
        }
        int bs = blockRows * blockCols;
        int[] ptr = new int[rows + 1];
        int[] idx = new int[data.length];
        float[] val = new float[data.length];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            int br = r / blockRows;
            for (int b = indptr[br]; b < indptr[br + 1]; b++) {
                for (int c = 0; c < blockCols; c++) {
                    idx[k] = indices[b] * blockCols + c;
                    val[k++] = data[b * bs + (r % blockRows) * blockCols + c];
                }
            }
            ptr[r + 1] = k;
        }
        return new CsrMatrix(rows, cols, val, idx, ptr);
    }

    /** The dense {@code rows × cols} matrix, row-major. */
    public float[] toDense() {
        float[] d = new float[rows * cols];
        int bs = blockRows * blockCols;
        for (int br = 0; br < rows / blockRows; br++) {
            for (int b = indptr[br]; b < indptr[br + 1]; b++) {
                for (int r = 0; r < blockRows; r++) {
                    for (int c = 0; c < blockCols; c++) {
                        d[(br * blockRows + r) * cols + indices[b] * blockCols + c] = data[b * bs + r * blockCols + c];
                    }
                }
            }
        }
        return d;
    }

    /**
     * This matrix's arrays for the placeholders {@code t}, checked against their declared shapes
     * (rows, cols, block shape and nnzb): the task inputs of a kernel reading {@code t}.
     */
    public Map<Tensor, NDArray> bind(BsrTensors t) {
        return Sparse.bind("BSR", List.of(t.data(), t.indices(), t.indptr()),
                List.of(dataArray(), indicesArray(), indptrArray()), t.rows(), t.cols(), rows, cols);
    }

    /**
     * Saves as the triplet {@code <prefix>_data.npy}, {@code <prefix>_indices.npy},
     * {@code <prefix>_indptr.npy} in {@code dir} (SciPy's {@code bsr_matrix((data, indices, indptr))}
     * reads the same arrays; the shape is recovered from the arrays and {@code cols}).
     */
    public void save(Path dir, String prefix) throws IOException {
        Sparse.save(dir, prefix, dataArray(), indicesArray(), indptrArray());
    }

    /** Loads a triplet written by {@link #save} (or by NumPy), validating the structure. */
    public static BsrMatrix load(Path dir, String prefix, int cols) throws IOException {
        Sparse.Triplet t = Sparse.load(dir, prefix);
        if (t.data().ndim() != 3) {
            throw new IllegalArgumentException("BSR: " + prefix + "_data.npy must be 3-D [nnzb, blockRows, blockCols], got "
                    + t.data());
        }
        int br = (int) t.data().dim(1);
        int bc = (int) t.data().dim(2);
        return new BsrMatrix((t.indptr().length - 1) * br, cols, br, bc, t.data().toFloatArray(), t.indices(), t.indptr());
    }
}
