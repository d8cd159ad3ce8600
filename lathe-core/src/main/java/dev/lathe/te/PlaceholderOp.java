package dev.lathe.te;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** An input tensor, bound to a user's array when a kernel is called. */
public final class PlaceholderOp implements Operation {
    private static final AtomicLong NEXT = new AtomicLong();

    /** Declaration order: kernels take their inputs in the order the placeholders were declared. */
    private final long sequence = NEXT.incrementAndGet();
    private final String name;
    private final List<Expr> shape;
    private final DType dtype;

    PlaceholderOp(String name, List<Expr> shape, DType dtype) {
        this.name = Names.check(name);
        this.shape = Shapes.check(shape, name);
        this.dtype = dtype;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Expr> shape() {
        return shape;
    }

    @Override
    public int numOutputs() {
        return 1;
    }

    @Override
    public DType dtype(int valueIndex) {
        return dtype;
    }

    long sequence() {
        return sequence;
    }

    @Override
    public List<Tensor> inputs() {
        return List.of();
    }

    @Override
    public String toString() {
        return name + " = placeholder(" + dtype + ", " + shape + ")";
    }
}
