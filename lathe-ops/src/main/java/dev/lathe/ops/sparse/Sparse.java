package dev.lathe.ops.sparse;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.Tensor;

import java.util.Arrays;

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
}
