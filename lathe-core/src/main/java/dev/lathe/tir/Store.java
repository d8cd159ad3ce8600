package dev.lathe.tir;

import dev.lathe.ir.Expr;
import dev.lathe.te.Tensor;

import java.util.List;

/** {@code tensor[indices] = value}. */
public record Store(Tensor tensor, List<Expr> indices, Expr value) implements Stmt {
    public Store {
        indices = List.copyOf(indices);
        if (indices.size() != tensor.ndim()) {
            throw new IllegalArgumentException("store to " + tensor.name() + " with " + indices.size()
                    + " indices; it has " + tensor.ndim() + " dimensions");
        }
        if (value.dtype() != tensor.dtype()) {
            throw new IllegalArgumentException("store of a " + value.dtype() + " value into " + tensor.name()
                    + " of type " + tensor.dtype());
        }
    }

    @Override
    public String toString() {
        return TirPrinter.print(this);
    }
}
