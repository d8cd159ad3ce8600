package dev.lathe.ir;

/** A floating-point constant; float32 and float16 values are rounded to their type when built. */
public record FloatImm(double value, DType dtype) implements Expr {
    public FloatImm {
        if (!dtype.isFloat()) {
            throw new IllegalArgumentException("FloatImm needs a float dtype, not " + dtype);
        }
        if (dtype == DType.FLOAT32) {
            value = (float) value;
        } else if (dtype == DType.FLOAT16) {
            value = Float.float16ToFloat(Float.floatToFloat16((float) value));
        }
    }

    @Override
    public String toString() {
        return Printer.expr(this);
    }
}
