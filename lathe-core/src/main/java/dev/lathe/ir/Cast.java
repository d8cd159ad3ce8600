package dev.lathe.ir;

/**
 * A type conversion with C semantics: float to integer truncates toward zero, integer to a
 * narrower integer wraps, anything to bool tests for non-zero.
 */
public record Cast(DType dtype, Expr value) implements Expr {
    @Override
    public String toString() {
        return Printer.expr(this);
    }
}
