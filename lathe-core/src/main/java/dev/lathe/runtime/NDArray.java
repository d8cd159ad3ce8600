package dev.lathe.runtime;

import dev.lathe.ir.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;

/**
 * An n-dimensional array in native memory: a shape, a dtype and a 64-byte-aligned, row-major
 * {@link MemorySegment}. Memory is released when the array becomes unreachable.
 */
public final class NDArray {
    /** Alignment of every array's data, in bytes (one AVX-512 register, one cache line). */
    public static final long ALIGNMENT = 64;

    private final DType dtype;
    private final long[] shape;
    private final MemorySegment data;

    private NDArray(DType dtype, long[] shape, MemorySegment data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /** A zero-filled array. */
    public static NDArray zeros(DType dtype, long... shape) {
        long n = checkedSize(shape);
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(1, n * dtype.bytes()), ALIGNMENT);
        return new NDArray(dtype, shape.clone(), seg);
    }

    /**
     * An array over existing native memory (not copied): {@code data} must hold exactly the
     * elements of {@code shape} and be {@link #ALIGNMENT}-aligned. The array does not own the
     * memory; it stays valid while the segment's arena is alive.
     */
    public static NDArray wrap(DType dtype, MemorySegment data, long... shape) {
        long n = checkedSize(shape);
        if (data.byteSize() != Math.max(1, n * dtype.bytes()) && data.byteSize() != n * dtype.bytes()) {
            throw new IllegalArgumentException("a segment of " + data.byteSize() + " bytes does not hold " + dtype
                    + Arrays.toString(shape));
        }
        if (data.address() % ALIGNMENT != 0) {
            throw new IllegalArgumentException("array data must be " + ALIGNMENT + "-byte aligned, got address 0x"
                    + Long.toHexString(data.address()));
        }
        return new NDArray(dtype, shape.clone(), data);
    }

    private static long checkedSize(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public static NDArray of(float[] values, long... shape) {
        NDArray a = sized(DType.FLOAT32, values.length, shape);
        MemorySegment.copy(values, 0, a.data, ValueLayout.JAVA_FLOAT, 0, values.length);
        return a;
    }

    public static NDArray of(double[] values, long... shape) {
        NDArray a = sized(DType.FLOAT64, values.length, shape);
        MemorySegment.copy(values, 0, a.data, ValueLayout.JAVA_DOUBLE, 0, values.length);
        return a;
    }

    public static NDArray of(int[] values, long... shape) {
        NDArray a = sized(DType.INT32, values.length, shape);
        MemorySegment.copy(values, 0, a.data, ValueLayout.JAVA_INT, 0, values.length);
        return a;
    }

    public static NDArray of(long[] values, long... shape) {
        NDArray a = sized(DType.INT64, values.length, shape);
        MemorySegment.copy(values, 0, a.data, ValueLayout.JAVA_LONG, 0, values.length);
        return a;
    }

    /** An array of any dtype from doubles, each converted as a store of that dtype would. */
    public static NDArray fromDoubles(DType dtype, double[] values, long... shape) {
        NDArray a = sized(dtype, values.length, shape);
        for (int i = 0; i < values.length; i++) {
            a.setDouble(i, values[i]);
        }
        return a;
    }

    private static NDArray sized(DType dtype, long count, long[] shape) {
        if (checkedSize(shape) != count) {
            throw new IllegalArgumentException(count + " values do not fill shape " + Arrays.toString(shape));
        }
        return zeros(dtype, shape);
    }

    /**
     * Random values: floats uniform in [-1, 1), integers uniform in [-100, 100) (unsigned: [0, 200)),
     * bools fair coin flips.
     */
    public static NDArray random(DType dtype, Random rng, long... shape) {
        NDArray a = zeros(dtype, shape);
        long n = a.size();
        for (long i = 0; i < n; i++) {
            switch (dtype) {
                case FLOAT32, FLOAT64, FLOAT16 -> a.setDouble(i, rng.nextDouble() * 2 - 1);
                case BOOL -> a.setLong(i, rng.nextBoolean() ? 1 : 0);
                case UINT8 -> a.setLong(i, rng.nextInt(200));
                default -> a.setLong(i, rng.nextInt(200) - 100);
            }
        }
        return a;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int ndim() {
        return shape.length;
    }

    public long dim(int d) {
        return shape[d];
    }

    /** Number of elements. */
    public long size() {
        return checkedSize(shape);
    }

    /** The native data (row-major, 64-byte aligned). */
    public MemorySegment segment() {
        return data;
    }

    /** Element {@code i} (flat, row-major) as a double. */
    public double getDouble(long i) {
        return switch (dtype) {
            case FLOAT32 -> data.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            case FLOAT64 -> data.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            case FLOAT16 -> Float.float16ToFloat(data.getAtIndex(ValueLayout.JAVA_SHORT, i));
            default -> getLong(i);
        };
    }

    /** Element {@code i} as a long; floats are truncated toward zero. */
    public long getLong(long i) {
        return switch (dtype) {
            case INT8 -> data.getAtIndex(ValueLayout.JAVA_BYTE, i);
            case UINT8, BOOL -> data.getAtIndex(ValueLayout.JAVA_BYTE, i) & 0xFF;
            case INT32 -> data.getAtIndex(ValueLayout.JAVA_INT, i);
            case INT64 -> data.getAtIndex(ValueLayout.JAVA_LONG, i);
            default -> (long) getDouble(i);
        };
    }

    /** Stores a double at flat index {@code i}, converted to the dtype (integers truncate toward zero, bools test non-zero). */
    public void setDouble(long i, double v) {
        switch (dtype) {
            case FLOAT32 -> data.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
            case FLOAT64 -> data.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
            case FLOAT16 -> data.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16((float) v));
            case BOOL -> setLong(i, v != 0 ? 1 : 0);
            default -> setLong(i, (long) v);
        }
    }

    /** Stores a long at flat index {@code i}, wrapped to the dtype's range. */
    public void setLong(long i, long v) {
        switch (dtype) {
            case INT8, UINT8, BOOL -> data.setAtIndex(ValueLayout.JAVA_BYTE, i, (byte) dtype.wrap(v));
            case INT32 -> data.setAtIndex(ValueLayout.JAVA_INT, i, (int) v);
            case INT64 -> data.setAtIndex(ValueLayout.JAVA_LONG, i, v);
            default -> setDouble(i, v);
        }
    }

    /** Flat row-major index of a multi-dimensional index. */
    public long flatIndex(long... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " dimensions, array has " + shape.length);
        }
        long flat = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is outside shape "
                        + Arrays.toString(shape));
            }
            flat = flat * shape[d] + index[d];
        }
        return flat;
    }

    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    public double[] toDoubleArray() {
        double[] out = new double[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    public long[] toLongArray() {
        long[] out = new long[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /** A deep copy. */
    public NDArray copy() {
        NDArray c = zeros(dtype, shape);
        MemorySegment.copy(data, 0, c.data, 0, size() * dtype.bytes());
        return c;
    }

    @Override
    public String toString() {
        return "NDArray(" + dtype + ", " + Arrays.toString(shape) + ")";
    }
}
