package dev.lathe.ir;

import java.util.Locale;

/** Math intrinsics. All take float operands except {@code ABS}, which also takes integers. */
public enum Intrinsic {
    EXP(1), LOG(1), SQRT(1), RSQRT(1), TANH(1), SIGMOID(1), POW(2), ABS(1), ERF(1), FLOOR(1), CEIL(1),
    /** Round half to even, like C's {@code nearbyint} under the default rounding mode and NumPy's {@code round}. */
    ROUND(1);

    private final int arity;

    Intrinsic(int arity) {
        this.arity = arity;
    }

    public int arity() {
        return arity;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
