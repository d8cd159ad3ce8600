package dev.lathe.ir;

/** Negation of a number or logical not of a bool. */
public record Unary(UnaryOp op, Expr value) implements Expr {
    public Unary {
        DType t = value.dtype();
        if (op == UnaryOp.NOT && !t.isBool()) {
            throw new MalformedExpressionException("logical not needs a bool operand, got " + t + " (" + value + ")");
        }
        if (op == UnaryOp.NEG && t.isBool()) {
            throw new MalformedExpressionException("negation of a bool (" + value + "); use not()");
        }
    }

    @Override
    public DType dtype() {
        return value.dtype();
    }

    @Override
    public String toString() {
        return Printer.expr(this);
    }
}
