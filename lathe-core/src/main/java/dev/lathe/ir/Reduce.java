package dev.lathe.ir;

import java.util.List;

/**
 * A reduction of {@code sources} over the reduce axes with a reducer, keeping the points where
 * {@code condition} holds. A multi-value reducer yields one {@code Reduce} per value, sharing
 * everything but {@code valueIndex}. A reduction may appear only at the top of a compute's body.
 */
public record Reduce(Reducer reducer, List<Expr> sources, List<IterVar> axes, Expr condition, int valueIndex)
        implements Expr {

    public Reduce {
        sources = List.copyOf(sources);
        axes = List.copyOf(axes);
        if (sources.size() != reducer.arity()) {
            throw new MalformedExpressionException("reducer " + reducer.name() + " takes " + reducer.arity()
                    + " value(s), got " + sources.size());
        }
        for (int i = 0; i < sources.size(); i++) {
            Expr s = sources.get(i);
            if (s.dtype() != reducer.types().get(i)) {
                throw new MalformedExpressionException("reducer " + reducer.name() + " value " + i + " has type "
                        + reducer.types().get(i) + " but its source " + s + " has type " + s.dtype());
            }
            if (Exprs.containsReduce(s)) {
                throw new MalformedExpressionException("a reduction inside a reduction (" + s
                        + "); compute the inner reduction in a tensor of its own");
            }
        }
        if (!condition.dtype().isBool() || Exprs.containsReduce(condition)) {
            throw new MalformedExpressionException("a reduction's condition must be a bool expression without reductions: "
                    + condition);
        }
        for (IterVar a : axes) {
            if (a.kind() != IterKind.REDUCE) {
                throw new MalformedExpressionException("axis " + a.name() + " of a reduction must be a reduce axis");
            }
        }
        if (valueIndex < 0 || valueIndex >= sources.size()) {
            throw new MalformedExpressionException("value index " + valueIndex + " out of range for reducer " + reducer.name());
        }
    }

    @Override
    public DType dtype() {
        return reducer.types().get(valueIndex);
    }

    @Override
    public String toString() {
        return Printer.expr(this);
    }
}
