package dev.lathe.arith;

import dev.lathe.ir.Binary;
import dev.lathe.ir.Call;
import dev.lathe.ir.Cast;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.FloatImm;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Printer;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Select;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Unary;
import dev.lathe.ir.Var;

import java.util.Comparator;
import java.util.List;

/**
 * The canonical order of terms: structural, so it is the same on every run. Variables order by
 * creation ({@link Var#id()}), and come before compound terms; constants come first.
 */
final class ExprOrder implements Comparator<Expr> {
    static final ExprOrder INSTANCE = new ExprOrder();

    private ExprOrder() {
    }

    @Override
    public int compare(Expr a, Expr b) {
        if (a == b) {
            return 0;
        }
        int c = Integer.compare(rank(a), rank(b));
        if (c != 0) {
            return c;
        }
        c = a.dtype().compareTo(b.dtype());
        if (c != 0) {
            return c;
        }
        c = switch (a) {
            case IntImm x -> Long.compare(x.value(), ((IntImm) b).value());
            case FloatImm x -> Double.compare(x.value(), ((FloatImm) b).value());
            case Var x -> {
                Var y = (Var) b;
                int k = Long.compare(x.id(), y.id());
                yield k != 0 ? k : x.name().compareTo(y.name());
            }
            case Binary x -> x.op().compareTo(((Binary) b).op());
            case Unary x -> x.op().compareTo(((Unary) b).op());
            case Call x -> x.fn().compareTo(((Call) b).fn());
            case Cast _, Select _ -> 0;
            case TensorRead x -> x.tensor().name().compareTo(((TensorRead) b).tensor().name());
            case Reduce x -> Printer.expr(x).compareTo(Printer.expr(b));
        };
        if (c != 0) {
            return c;
        }
        List<Expr> ca = Exprs.children(a);
        List<Expr> cb = Exprs.children(b);
        c = Integer.compare(ca.size(), cb.size());
        for (int i = 0; c == 0 && i < ca.size(); i++) {
            c = compare(ca.get(i), cb.get(i));
        }
        if (c == 0 && !a.equals(b)) {
            // Distinct nodes that print alike (two tensors of one name): any consistent order will do.
            c = Integer.compare(a.hashCode(), b.hashCode());
            c = c != 0 ? c : Integer.compare(System.identityHashCode(a), System.identityHashCode(b));
        }
        return c;
    }

    private static int rank(Expr e) {
        return switch (e) {
            case IntImm _ -> 0;
            case FloatImm _ -> 1;
            case Var _ -> 2;
            case TensorRead _ -> 3;
            case Binary _ -> 4;
            case Unary _ -> 5;
            case Cast _ -> 6;
            case Call _ -> 7;
            case Select _ -> 8;
            case Reduce _ -> 9;
        };
    }
}
