package dev.lathe.ir;

import dev.lathe.te.Tensor;

import java.util.List;

/** An element of a tensor. Indices may be any integer expressions, including values read from other tensors. */
public record TensorRead(Tensor tensor, List<Expr> indices) implements Expr {
    public TensorRead {
        indices = List.copyOf(indices);
        if (indices.size() != tensor.ndim()) {
            throw new MalformedExpressionException("tensor " + tensor.name() + " has " + tensor.ndim()
                    + " dimension(s) but is indexed with " + indices.size() + ": " + indices);
        }
        for (int i = 0; i < indices.size(); i++) {
            Expr e = indices.get(i);
            if (!e.dtype().isInt()) {
                throw new MalformedExpressionException("index " + i + " of " + tensor.name() + " is " + e + " of type "
                        + e.dtype() + "; indices must be integers (cast a value used as an index)");
            }
        }
    }

    @Override
    public DType dtype() {
        return tensor.dtype();
    }

    @Override
    public String toString() {
        return Printer.expr(this);
    }
}
