package dev.lathe.te;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Promote;
import dev.lathe.ir.TensorRead;

import java.util.ArrayList;
import java.util.List;

/** One output of an operation. */
public record Tensor(Operation op, int valueIndex) {
    public Tensor {
        if (valueIndex < 0 || valueIndex >= op.numOutputs()) {
            throw new IllegalArgumentException("operation " + op.name() + " has no output " + valueIndex);
        }
    }

    /** The operation's name, suffixed with {@code _v<index>} for outputs of a multi-output compute. */
    public String name() {
        return op.numOutputs() == 1 ? op.name() : op.name() + "_v" + valueIndex;
    }

    public List<Expr> shape() {
        return op.shape();
    }

    public int ndim() {
        return op.shape().size();
    }

    public DType dtype() {
        return op.dtype(valueIndex);
    }

    /** Reads an element; indices may be Java integers or integer expressions. */
    public Expr get(Object... indices) {
        List<Expr> idx = new ArrayList<>(indices.length);
        for (Object o : indices) {
            idx.add(Promote.literal(o, DType.INT64));
        }
        return new TensorRead(this, idx);
    }

    /** Reads an element at a list of indices. */
    public Expr get(List<? extends Expr> indices) {
        return new TensorRead(this, List.copyOf(indices));
    }

    @Override
    public String toString() {
        return name();
    }
}
