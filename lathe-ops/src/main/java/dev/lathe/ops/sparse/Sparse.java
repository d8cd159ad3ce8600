package dev.lathe.ops.sparse;

import dev.lathe.ir.DType;
import dev.lathe.te.Tensor;

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
}
