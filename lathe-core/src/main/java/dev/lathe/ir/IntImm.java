package dev.lathe.ir;

/** An integer or boolean constant. The value is kept wrapped to the type's range. */
public record IntImm(long value, DType dtype) implements Expr {
    public IntImm {
        if (!dtype.isInt() && !dtype.isBool()) {
            throw new IllegalArgumentException("IntImm needs an integer or bool dtype, not " + dtype);
        }
        value = dtype.wrap(value);
    }

    public static final IntImm TRUE = new IntImm(1, DType.BOOL);
    public static final IntImm FALSE = new IntImm(0, DType.BOOL);

    /** An index-typed (int64) constant. */
    public static IntImm of(long value) {
        return new IntImm(value, DType.INT64);
    }

    @Override
    public String toString() {
        return Printer.expr(this);
    }
}
