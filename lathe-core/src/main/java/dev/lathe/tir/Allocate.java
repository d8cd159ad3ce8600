package dev.lathe.tir;

import dev.lathe.ir.Expr;
import dev.lathe.te.Tensor;

import java.util.List;

/**
 * Storage for a tensor that is not a kernel argument, live in {@code body}. {@code extents} is
 * the shape of the stored region; reads and stores inside the body index it from zero.
 */
public record Allocate(Tensor tensor, List<Expr> extents, Stmt body) implements Stmt {
    public Allocate {
        extents = List.copyOf(extents);
    }

    @Override
    public String toString() {
        return TirPrinter.print(this);
    }
}
