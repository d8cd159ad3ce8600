package dev.lathe.graph;

import dev.lathe.runtime.NDArray;

import java.util.Arrays;

/**
 * A constant tensor (an initializer, or a value folded at compile time). The array is copied on
 * construction and never written afterwards; {@link #data()} hands out that array for reading only
 * (kernels take it as an input argument), {@link #copy()} a private copy.
 */
public record Constant(NDArray data) {
    public Constant {
        data = data.copy();
    }

    public TensorType type() {
        return TensorType.of(data.dtype(), data.shape());
    }

    public NDArray copy() {
        return data.copy();
    }

    /** The elements as longs (integer and boolean tensors: shapes, axes, indices). */
    public long[] longs() {
        return data.dtype().isFloat()
                ? Arrays.stream(data.toDoubleArray()).mapToLong(d -> (long) d).toArray()
                : data.toLongArray();
    }

    @Override
    public String toString() {
        long n = data.size();
        if (n > 8) {
            return type() + " {...}";
        }
        StringBuilder sb = new StringBuilder(type().toString()).append(" {");
        for (long i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ");
            sb.append(data.dtype().isFloat() ? Double.toString(data.getDouble(i)) : Long.toString(data.getLong(i)));
        }
        return sb.append('}').toString();
    }
}
