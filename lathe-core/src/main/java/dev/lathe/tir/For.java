package dev.lathe.tir;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Var;

/** {@code for (var = min; var < min + extent; var++) body}. */
public record For(Var var, Expr min, Expr extent, ForKind kind, Stmt body) implements Stmt {
    public For {
        if (var.dtype() != DType.INT64 || min.dtype() != DType.INT64 || extent.dtype() != DType.INT64) {
            throw new IllegalArgumentException("loop " + var + " must have int64 variable and bounds");
        }
    }

    @Override
    public String toString() {
        return TirPrinter.print(this);
    }
}
