package dev.lathe.tir;

import dev.lathe.ir.Expr;

import java.util.Optional;

/** A conditional statement. */
public record IfThenElse(Expr cond, Stmt then, Optional<Stmt> otherwise) implements Stmt {
    public IfThenElse {
        if (!cond.dtype().isBool()) {
            throw new IllegalArgumentException("if needs a bool condition: " + cond);
        }
    }

    public static IfThenElse of(Expr cond, Stmt then) {
        return new IfThenElse(cond, then, Optional.empty());
    }

    @Override
    public String toString() {
        return TirPrinter.print(this);
    }
}
