package dev.lathe.graph;

import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Printer;
import dev.lathe.te.Te;

/** One dimension of a tensor type: a literal extent or a symbolic one (an expression over size variables). */
public sealed interface Dim {

    /** A dimension of known extent. */
    record Known(long value) implements Dim {
        public Known {
            if (value < 0) {
                throw new IllegalArgumentException("negative dimension " + value);
            }
        }

        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** A dimension known only as an expression over size variables (e.g. {@code N} or {@code N + 2}). */
    record Sym(Expr extent) implements Dim {
        @Override
        public String toString() {
            return Printer.expr(extent);
        }
    }

    static Dim of(long value) {
        return new Known(value);
    }

    /** A symbolic dimension named by a fresh size variable. */
    static Dim sym(String name) {
        return new Sym(Te.sizeVar(name));
    }

    /** The dimension an extent expression denotes: literal when the expression is a constant. */
    static Dim of(Expr extent) {
        return extent instanceof IntImm(long v, var unused) ? new Known(v) : new Sym(extent);
    }

    /** This dimension as an extent expression. */
    default Expr extent() {
        return switch (this) {
            case Known(long v) -> IntImm.of(v);
            case Sym(Expr e) -> e;
        };
    }
}
