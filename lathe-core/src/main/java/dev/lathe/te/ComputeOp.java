package dev.lathe.te;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.MalformedExpressionException;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.TensorRead;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A tensor defined element-wise: for every point of the space axes, each output's value is its
 * body. A body is either free of reductions or is a single top-level {@link Reduce}; a
 * multi-value reduction has one body per value, all sharing one reducer, axes and condition.
 */
public final class ComputeOp implements Operation {
    private final String name;
    private final List<IterVar> axes;
    private final List<Expr> bodies;
    private final List<Expr> shape;

    ComputeOp(String name, List<IterVar> axes, List<Expr> bodies) {
        this.name = Names.check(name);
        this.axes = List.copyOf(axes);
        this.bodies = List.copyOf(bodies);
        this.shape = Shapes.check(axes.stream().map(a -> a.dom().extent()).toList(), name);
        validate();
    }

    /** A compute over the given space axes; used by schedule steps that add stages (cache, rfactor). */
    public static ComputeOp of(String name, List<IterVar> axes, List<Expr> bodies) {
        return new ComputeOp(name, axes, bodies);
    }

    /** The same compute (name and axes) with other bodies, e.g. reading a cache stage instead of the original. */
    public ComputeOp withBodies(List<Expr> newBodies) {
        return new ComputeOp(name, axes, newBodies);
    }

    private void validate() {
        if (bodies.isEmpty()) {
            throw new MalformedExpressionException("compute " + name + " has no body");
        }
        Optional<Reduce> first = reduction();
        for (int i = 0; i < bodies.size(); i++) {
            Expr body = bodies.get(i);
            if (first.isEmpty()) {
                if (Exprs.containsReduce(body)) {
                    throw new MalformedExpressionException("compute " + name + ": a reduction may only be the whole "
                            + "body (found one nested in " + body + "); compute it as a tensor of its own");
                }
                continue;
            }
            if (!(body instanceof Reduce r)) {
                throw new MalformedExpressionException("compute " + name + ": when one output is a reduction, all "
                        + "outputs must be values of that reduction; output " + i + " is " + body);
            }
            Reduce f = first.get();
            if (!r.reducer().equals(f.reducer()) || !r.sources().equals(f.sources()) || !r.axes().equals(f.axes())
                    || !r.condition().equals(f.condition()) || r.valueIndex() != i) {
                throw new MalformedExpressionException("compute " + name + ": output " + i + " must be value " + i
                        + " of the same reduction as output 0");
            }
        }
        if (first.isPresent() && bodies.size() != first.get().reducer().arity()) {
            throw new MalformedExpressionException("compute " + name + ": reducer " + first.get().reducer().name()
                    + " yields " + first.get().reducer().arity() + " values but the compute has " + bodies.size()
                    + " outputs");
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The space axes, one per output dimension, each over {@code [0, shape[d])}. */
    public List<IterVar> axes() {
        return axes;
    }

    public List<Expr> bodies() {
        return bodies;
    }

    public Expr body(int valueIndex) {
        return bodies.get(valueIndex);
    }

    /** The reduction, when the body is one. */
    public Optional<Reduce> reduction() {
        return bodies.getFirst() instanceof Reduce r ? Optional.of(r) : Optional.empty();
    }

    /** The reduce axes (empty when the body is no reduction). */
    public List<IterVar> reduceAxes() {
        return reduction().map(Reduce::axes).orElse(List.of());
    }

    @Override
    public List<Expr> shape() {
        return shape;
    }

    @Override
    public int numOutputs() {
        return bodies.size();
    }

    @Override
    public DType dtype(int valueIndex) {
        return bodies.get(valueIndex).dtype();
    }

    @Override
    public List<Tensor> inputs() {
        Set<Tensor> seen = new LinkedHashSet<>();
        for (Expr b : bodies) {
            Exprs.forEach(b, n -> {
                if (n instanceof TensorRead r) {
                    seen.add(r.tensor());
                }
            });
        }
        return new ArrayList<>(seen);
    }

    @Override
    public String toString() {
        return name + axes + " = " + bodies;
    }
}
