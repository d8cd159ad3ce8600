package dev.lathe.graph;

import dev.lathe.ir.DType;

import java.util.List;
import java.util.stream.Collectors;

/** The type of a value: element type and shape. A rank-0 shape is a scalar. */
public record TensorType(DType dtype, List<Dim> shape) {
    public TensorType {
        if (dtype == null) {
            throw new IllegalArgumentException("tensor type without an element type");
        }
        shape = List.copyOf(shape);
    }

    public static TensorType of(DType dtype, long... dims) {
        return new TensorType(dtype, java.util.Arrays.stream(dims).mapToObj(Dim::of).toList());
    }

    public int rank() {
        return shape.size();
    }

    /** Whether every dimension is a literal. */
    public boolean isStatic() {
        return shape.stream().allMatch(d -> d instanceof Dim.Known);
    }

    /** The literal shape; throws if some dimension is symbolic. */
    public long[] staticShape() {
        long[] out = new long[shape.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(shape.get(i) instanceof Dim.Known(long v))) {
                throw new IllegalStateException("shape " + this + " is not static");
            }
            out[i] = v;
        }
        return out;
    }

    /** Number of elements, or -1 when the shape is symbolic. */
    public long elementCount() {
        if (!isStatic()) {
            return -1;
        }
        long n = 1;
        for (long d : staticShape()) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return dtype.label() + shape.stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]"));
    }
}
