package dev.lathe.ir;

/** A binary operation on two operands of the same type. */
public record Binary(BinaryOp op, Expr a, Expr b) implements Expr {
    public Binary {
        DType ta = a.dtype();
        DType tb = b.dtype();
        if (ta != tb) {
            throw new MalformedExpressionException("mismatched dtypes " + ta + " and " + tb + " in " + op.symbol()
                    + " (" + a + ", " + b + "); insert a cast so both operands have one type");
        }
        if (op.isLogical() && !ta.isBool()) {
            throw new MalformedExpressionException(op.symbol() + " needs bool operands, got " + ta);
        }
        if (!op.isLogical() && !op.isComparison() && ta.isBool()) {
            throw new MalformedExpressionException("arithmetic " + op.symbol() + " on bool operands; cast them first");
        }
        if (op == BinaryOp.DIV && !ta.isFloat()) {
            throw new MalformedExpressionException("'/' on integers is ambiguous (" + a + " / " + b
                    + "); use floordiv or truncdiv");
        }
        if (op.isIntegerDivision() && !ta.isInt()) {
            throw new MalformedExpressionException(op.symbol() + " needs integer operands, got " + ta);
        }
    }

    @Override
    public DType dtype() {
        return op.isComparison() ? DType.BOOL : a.dtype();
    }

    @Override
    public String toString() {
        return Printer.expr(this);
    }
}
