package dev.lathe.tir;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Var;

/** Binds {@code var} to {@code value} (evaluated once) within {@code body}. */
public record LetStmt(Var var, Expr value, Stmt body) implements Stmt {
    public LetStmt {
        if (var.dtype() != value.dtype()) {
            throw new IllegalArgumentException("let " + var + " : " + var.dtype() + " bound to a " + value.dtype() + " value");
        }
    }

    @Override
    public String toString() {
        return TirPrinter.print(this);
    }
}
