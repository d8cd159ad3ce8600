package dev.lathe.examples;

import dev.lathe.runtime.NDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A block sparse row matrix held in Java arrays, in the layout of
 * {@link dev.lathe.ops.sparse.BsrTensors}, drawn block by block with a probability (the way the
 * benchmark's S1 structure is made; {@link dev.lathe.ops.sparse.BsrMatrix} is the library's
 * validated format, which this converts to): {@code data[nnzb, blockRows, blockCols]},
 * {@code indices[nnzb]} (block columns), {@code indptr[rows / blockRows + 1]}.
 */
public record BsrMatrix(int rows, int cols, int blockRows, int blockCols, float[] data, int[] indices, int[] indptr) {
    public BsrMatrix {
        if (rows % blockRows != 0 || cols % blockCols != 0) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix does not divide into "
                    + blockRows + " x " + blockCols + " blocks");
        }
        if (indptr.length != rows / blockRows + 1 || data.length != indices.length * blockRows * blockCols
                || indptr[indptr.length - 1] != indices.length) {
            throw new IllegalArgumentException("inconsistent BSR arrays: indptr " + indptr.length + ", indices "
                    + indices.length + ", data " + data.length);
        }
    }

    /**
     * A random matrix in which each block is present with probability {@code density}, its values
     * uniform in [-1, 1); block columns ascend within a block row.
     */
    public static BsrMatrix random(int rows, int cols, int blockRows, int blockCols, double density, Random rng) {
        if (density < 0 || density > 1) {
            throw new IllegalArgumentException("density must be in [0, 1], got " + density);
        }
        int blockSize = blockRows * blockCols;
        int[] indptr = new int[rows / blockRows + 1];
        List<Integer> indices = new ArrayList<>();
        for (int br = 0; br < rows / blockRows; br++) {
            for (int bc = 0; bc < cols / blockCols; bc++) {
                if (rng.nextDouble() < density) {
                    indices.add(bc);
                }
            }
            indptr[br + 1] = indices.size();
        }
        float[] data = new float[indices.size() * blockSize];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextFloat() * 2 - 1;
        }
        return new BsrMatrix(rows, cols, blockRows, blockCols, data,
                indices.stream().mapToInt(Integer::intValue).toArray(), indptr);
    }

    /** Blocks stored. */
    public int nnzBlocks() {
        return indices.length;
    }

    /** The same matrix as a validated {@link dev.lathe.ops.sparse.BsrMatrix} (the library's format). */
    public dev.lathe.ops.sparse.BsrMatrix matrix() {
        return new dev.lathe.ops.sparse.BsrMatrix(rows, cols, blockRows, blockCols, data, indices, indptr);
    }

    public NDArray dataArray() {
        return matrix().dataArray();
    }

    public NDArray indicesArray() {
        return matrix().indicesArray();
    }

    public NDArray indptrArray() {
        return matrix().indptrArray();
    }

    /** The dense {@code rows × cols} matrix, row-major. */
    public float[] toDense() {
        return matrix().toDense();
    }
}
