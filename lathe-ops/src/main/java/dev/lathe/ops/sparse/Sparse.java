package dev.lathe.ops.sparse;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.Tensor;

import dev.lathe.runtime.Npy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks shared by the sparse formats. */
final class Sparse {
    private Sparse() {
    }

    static void requireIndexArray(Tensor t, String what) {
        if (t.ndim() != 1 || t.dtype() != DType.INT32) {
            throw new IllegalArgumentException(what + " must be a 1-D int32 tensor, but " + t.name() + " is "
                    + t.dtype() + " of shape " + t.shape());
        }
    }

    /** An array bound to a placeholder must have its dtype and, where the placeholder's extents are literal, its shape. */
    static void requireShape(Tensor t, NDArray a, String what) {
        boolean fits = a.dtype() == t.dtype() && a.ndim() == t.ndim();
        for (int d = 0; fits && d < t.ndim(); d++) {
            fits = !(t.shape().get(d) instanceof IntImm i) || i.value() == a.dim(d);
        }
        if (!fits) {
            throw new IllegalArgumentException(what + ": the placeholder " + t.name() + " is " + t.dtype() + t.shape()
                    + " but the matrix gives " + a.dtype() + Arrays.toString(a.shape())
                    + "; declare the placeholders with this matrix's rows, cols, block shape and nnz");
        }
    }

    static void requireExtent(Expr declared, int actual, String what) {
        if (declared instanceof IntImm i && i.value() != actual) {
            throw new IllegalArgumentException(what + ": declared " + i.value() + " but the matrix has " + actual);
        }
    }

    static int[] ints(NDArray a, String what) {
        if (a.ndim() != 1 || (a.dtype() != DType.INT32 && a.dtype() != DType.INT64)) {
            throw new IllegalArgumentException(what + " must be a 1-D int32 or int64 array, got " + a);
        }
        return Arrays.stream(a.toLongArray()).mapToInt(Math::toIntExact).toArray();
    }

    /** The arrays of a structure for its placeholders (data, indices, indptr), each checked against its declared shape. */
    static Map<Tensor, NDArray> bind(String format, List<Tensor> placeholders, List<NDArray> arrays, Expr rows,
                                     Expr cols, int actualRows, int actualCols) {
        String[] names = {"data", "indices", "indptr"};
        Map<Tensor, NDArray> out = new LinkedHashMap<>();
        for (int k = 0; k < 3; k++) {
            requireShape(placeholders.get(k), arrays.get(k), format + " " + names[k]);
            out.put(placeholders.get(k), arrays.get(k));
        }
        requireExtent(rows, actualRows, format + " rows");
        requireExtent(cols, actualCols, format + " cols");
        return out;
    }

    /** Writes {@code <prefix>_data.npy}, {@code <prefix>_indices.npy}, {@code <prefix>_indptr.npy}. */
    static void save(Path dir, String prefix, NDArray data, NDArray indices, NDArray indptr) throws IOException {
        Npy.write(data, dir.resolve(prefix + "_data.npy"));
        Npy.write(indices, dir.resolve(prefix + "_indices.npy"));
        Npy.write(indptr, dir.resolve(prefix + "_indptr.npy"));
    }

    /** The triplet's data array and its index arrays as ints (int32 or int64 on disk). */
    record Triplet(NDArray data, int[] indices, int[] indptr) {
    }

    static Triplet load(Path dir, String prefix) throws IOException {
        NDArray data = Npy.read(dir.resolve(prefix + "_data.npy"));
        int[] indices = ints(Npy.read(dir.resolve(prefix + "_indices.npy")), prefix + "_indices.npy");
        int[] indptr = ints(Npy.read(dir.resolve(prefix + "_indptr.npy")), prefix + "_indptr.npy");
        return new Triplet(data, indices, indptr);
    }
}
