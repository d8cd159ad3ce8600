package dev.lathe.tir;

import java.util.ArrayList;
import java.util.List;

/** Statements run in order. */
public record Seq(List<Stmt> stmts) implements Stmt {
    public Seq {
        stmts = List.copyOf(stmts);
    }

    /** A sequence with nested sequences flattened; a single statement is returned as itself. */
    public static Stmt of(List<Stmt> stmts) {
        List<Stmt> flat = new ArrayList<>();
        for (Stmt s : stmts) {
            if (s instanceof Seq q) {
                flat.addAll(q.stmts());
            } else {
                flat.add(s);
            }
        }
        return flat.size() == 1 ? flat.getFirst() : new Seq(flat);
    }

    public static Stmt of(Stmt... stmts) {
        return of(List.of(stmts));
    }

    @Override
    public String toString() {
        return TirPrinter.print(this);
    }
}
