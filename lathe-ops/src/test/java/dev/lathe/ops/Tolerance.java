package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;

import java.util.Arrays;
import java.util.Optional;

/**
 * How far a compiled result may be from the reference evaluator's: an element passes when
 * {@code |actual − expected| ≤ atol + rtol·|expected|}. Integers and bools must be equal
 * ({@code rtol = atol = 0}). NaN matches only NaN, an infinity only the same infinity.
 * The per-dtype defaults and the reasons for them are in {@code docs/testing.md}.
 */
public record Tolerance(double rtol, double atol) {
    /** Exact equality, for integers and bools. */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    public Tolerance {
        if (!(rtol >= 0) || !(atol >= 0)) {
            throw new IllegalArgumentException("tolerances must be non-negative, got rtol " + rtol + ", atol " + atol);
        }
    }

    /**
     * The default for a dtype: float32 {@code 1e-5, 1e-5}; float64 {@code 1e-12, 1e-12}; float16
     * {@code 1e-3, 1e-5} (one half-precision ulp); integers and bool exact.
     */
    public static Tolerance of(DType t) {
        return switch (t) {
            case FLOAT32 -> new Tolerance(1e-5, 1e-5);
            case FLOAT64 -> new Tolerance(1e-12, 1e-12);
            case FLOAT16 -> new Tolerance(1e-3, 1e-5);
            case INT8, UINT8, INT32, INT64, BOOL -> EXACT;
        };
    }

    /** Whether one element passes. */
    public boolean accepts(double actual, double expected) {
        return score(actual, expected) <= 1;
    }

    /** The error as a multiple of the allowed error: ≤ 1 passes, +∞ for a NaN or infinity mismatch. */
    double score(double actual, double expected) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (actual == expected) {
            return 0; // also equal infinities
        }
        double allowed = atol + rtol * Math.abs(expected);
        double err = Math.abs(actual - expected);
        return allowed == 0 || Double.isInfinite(err) ? Double.POSITIVE_INFINITY : err / allowed;
    }

    /**
     * Compares two arrays of one dtype and shape; empty when every element passes, otherwise a
     * description of the worst element: its flat and multi-dimensional index, both values, the
     * number of failing elements and this tolerance.
     */
    public Optional<String> mismatch(NDArray expected, NDArray actual) {
        if (expected.dtype() != actual.dtype() || !Arrays.equals(expected.shape(), actual.shape())) {
            return Optional.of("expected " + expected.dtype() + Arrays.toString(expected.shape()) + " but got "
                    + actual.dtype() + Arrays.toString(actual.shape()));
        }
        boolean integral = !expected.dtype().isFloat();
        long worst = -1;
        double worstScore = 0;
        long failures = 0;
        for (long i = 0; i < expected.size(); i++) {
            double s = integral
                    ? (expected.getLong(i) == actual.getLong(i) ? 0 : Double.POSITIVE_INFINITY)
                    : score(actual.getDouble(i), expected.getDouble(i));
            if (s > 1) {
                failures++;
                if (worst < 0 || s > worstScore) {
                    worst = i;
                    worstScore = s;
                }
            }
        }
        if (failures == 0) {
            return Optional.empty();
        }
        String e = integral ? Long.toString(expected.getLong(worst)) : Double.toString(expected.getDouble(worst));
        String a = integral ? Long.toString(actual.getLong(worst)) : Double.toString(actual.getDouble(worst));
        return Optional.of(failures + " of " + expected.size() + " elements differ; worst at flat index " + worst
                + " = " + Arrays.toString(unravel(worst, expected.shape())) + ": expected " + e + " but got " + a
                + (integral ? " (exact comparison)" : " (|diff| = " + Math.abs(actual.getDouble(worst)
                - expected.getDouble(worst)) + ", allowed " + this + ")"));
    }

    static long[] unravel(long flat, long[] shape) {
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    @Override
    public String toString() {
        return "atol " + atol + " + rtol " + rtol + "·|expected|";
    }
}
