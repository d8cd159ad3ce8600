package dev.lathe.ops.sparse;

import java.util.Arrays;

/**
 * Checks of a compressed row structure (CSR, or BSR counted in blocks): the messages name the
 * first offending position, so a malformed structure is rejected before any kernel reads it.
 */
final class Structure {
    private Structure() {
    }

    /**
     * {@code indptr} has {@code rows + 1} entries, starts at 0, never decreases and ends at
     * {@code indices.length}; each row's {@code indices} are in {@code [0, cols)} and strictly increasing.
     */
    static void check(String format, int rows, int cols, int[] indices, int[] indptr) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(format + ": rows and cols must be >= 0, got " + rows + " x " + cols);
        }
        if (indptr.length != rows + 1) {
            throw new IllegalArgumentException(format + ": indptr must have rows + 1 = " + (rows + 1)
                    + " entries, got " + indptr.length);
        }
        if (indptr[0] != 0) {
            throw new IllegalArgumentException(format + ": indptr[0] must be 0, got " + indptr[0]);
        }
        for (int r = 0; r < rows; r++) {
            if (indptr[r + 1] < indptr[r]) {
                throw new IllegalArgumentException(format + ": indptr must not decrease, but indptr[" + r + "] = "
                        + indptr[r] + " > indptr[" + (r + 1) + "] = " + indptr[r + 1]);
            }
        }
        if (indptr[rows] != indices.length) {
            throw new IllegalArgumentException(format + ": indptr[" + rows + "] = " + indptr[rows]
                    + " must equal the number of stored entries (indices.length = " + indices.length + ")");
        }
        for (int r = 0; r < rows; r++) {
            for (int k = indptr[r]; k < indptr[r + 1]; k++) {
                if (indices[k] < 0 || indices[k] >= cols) {
                    throw new IllegalArgumentException(format + ": indices[" + k + "] = " + indices[k] + " (row " + r
                            + ") is out of range [0, " + cols + ")");
                }
                if (k > indptr[r] && indices[k] <= indices[k - 1]) {
                    throw new IllegalArgumentException(format + ": the indices of row " + r + " must be strictly "
                            + "increasing, but indices[" + (k - 1) + "] = " + indices[k - 1] + " and indices[" + k
                            + "] = " + indices[k] + "; sort each row and merge duplicates");
                }
            }
        }
    }

    static void requireSparsity(double sparsity) {
        if (!(sparsity >= 0 && sparsity <= 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1], got " + sparsity);
        }
    }

    /**
     * The positions of the {@code keep} largest {@code magnitude}s (ties broken by position),
     * ascending: the entries a pruning to a target sparsity keeps.
     */
    static boolean[] largest(double[] magnitude, long keep) {
        Integer[] order = new Integer[magnitude.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> magnitude[a] != magnitude[b] ? Double.compare(magnitude[b], magnitude[a])
                : Integer.compare(a, b));
        boolean[] kept = new boolean[magnitude.length];
        for (int i = 0; i < keep; i++) {
            kept[order[i]] = true;
        }
        return kept;
    }

    /** The number of entries kept out of {@code total} at a sparsity (the fraction dropped), rounded. */
    static long kept(long total, double sparsity) {
        requireSparsity(sparsity);
        return Math.round(total * (1 - sparsity));
    }
}
