package dev.lathe.ir;

import java.util.List;

/** A call of a math intrinsic; the result has the type of the arguments. */
public record Call(Intrinsic fn, List<Expr> args) implements Expr {
    public Call {
        args = List.copyOf(args);
        if (args.size() != fn.arity()) {
            throw new MalformedExpressionException(fn.label() + " takes " + fn.arity() + " argument(s), got " + args.size());
        }
        DType t = args.getFirst().dtype();
        for (Expr e : args) {
            if (e.dtype() != t) {
                throw new MalformedExpressionException("mismatched dtypes in " + fn.label() + args + "; cast the arguments to one type");
            }
        }
        if (!t.isFloat() && !(fn == Intrinsic.ABS && t.isInt())) {
            throw new MalformedExpressionException(fn.label() + " needs float arguments, got " + t + "; cast first");
        }
    }

    @Override
    public DType dtype() {
        return args.getFirst().dtype();
    }

    @Override
    public String toString() {
        return Printer.expr(this);
    }
}
