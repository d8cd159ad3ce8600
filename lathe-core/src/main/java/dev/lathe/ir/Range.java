package dev.lathe.ir;

/** The half-open integer interval {@code [min, min + extent)}. Both bounds may depend on outer variables and tensor values. */
public record Range(Expr min, Expr extent) {
    public Range {
        if (!min.dtype().isInt() || !extent.dtype().isInt()) {
            throw new MalformedExpressionException("a range needs integer bounds, got [" + min + " : " + min.dtype()
                    + ", extent " + extent + " : " + extent.dtype() + ")");
        }
        if (min.dtype() != DType.INT64) {
            min = min.cast(DType.INT64);
        }
        if (extent.dtype() != DType.INT64) {
            extent = extent.cast(DType.INT64);
        }
    }

    public static Range of(long min, long extent) {
        return new Range(IntImm.of(min), IntImm.of(extent));
    }

    /** {@code [0, extent)}. */
    public static Range fromExtent(Expr extent) {
        return new Range(IntImm.of(0), extent);
    }

    @Override
    public String toString() {
        return "[" + min + ", extent " + extent + ")";
    }
}
