/**
 * Compute declarations over sparse matrices in CSR and BSR form. A sparse matrix is a bundle of
 * placeholders ({@link dev.lathe.ops.sparse.CsrTensors}, {@link dev.lathe.ops.sparse.BsrTensors}):
 * the stored values, their column (or block-column) indices and the row pointers, with int32
 * indices as SciPy stores them. The reductions run over {@code [indptr[r], indptr[r+1])}, bounds
 * read from the row pointers at run time, so the sparsity pattern is data: a kernel is compiled
 * once per shape and nnz, and tuned with the real index arrays as task inputs.
 * {@link dev.lathe.ops.sparse.CsrMatrix} and {@link dev.lathe.ops.sparse.BsrMatrix} hold a
 * validated structure in Java arrays (pruned from a dense array, saved as {@code .npy}
 * triplets) and bind it to the placeholders. See docs/sparse.md.
 */
package dev.lathe.ops.sparse;
