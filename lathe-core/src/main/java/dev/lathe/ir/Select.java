package dev.lathe.ir;

/** {@code cond ? then : otherwise}; only the chosen branch's value matters (reads in the other are not performed). */
public record Select(Expr cond, Expr then, Expr otherwise) implements Expr {
    public Select {
        if (!cond.dtype().isBool()) {
            throw new MalformedExpressionException("select/if_then_else needs a bool condition, got " + cond.dtype()
                    + " (" + cond + ")");
        }
        if (then.dtype() != otherwise.dtype()) {
            throw new MalformedExpressionException("mismatched dtypes " + then.dtype() + " and " + otherwise.dtype()
                    + " in the branches of select(" + cond + ", " + then + ", " + otherwise + ")");
        }
    }

    @Override
    public DType dtype() {
        return then.dtype();
    }

    @Override
    public String toString() {
        return Printer.expr(this);
    }
}
