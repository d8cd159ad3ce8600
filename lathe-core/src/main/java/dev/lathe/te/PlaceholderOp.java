package dev.lathe.te;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;

import java.util.List;

/** An input tensor, bound to a user's array when a kernel is called. */
public final class PlaceholderOp implements Operation {
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

    @Override
    public List<Tensor> inputs() {
        return List.of();
    }

    @Override
    public String toString() {
        return name + " = placeholder(" + dtype + ", " + shape + ")";
    }
}
