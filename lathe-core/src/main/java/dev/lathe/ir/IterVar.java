package dev.lathe.ir;

/** An iterator of a compute: a variable, its domain, and whether it is a space or a reduce axis. */
public record IterVar(Var var, Range dom, IterKind kind) {
    public IterVar {
        if (!var.dtype().isInt()) {
            throw new MalformedExpressionException("iterator " + var.name() + " must have an integer type, not " + var.dtype());
        }
        if (Exprs.containsReduce(dom.min()) || Exprs.containsReduce(dom.extent())) {
            throw new MalformedExpressionException("the bound of iterator " + var.name() + " contains a reduction ("
                    + dom + "); compute the bound in a tensor of its own first");
        }
    }

    public String name() {
        return var.name();
    }

    @Override
    public String toString() {
        return var.name();
    }
}
