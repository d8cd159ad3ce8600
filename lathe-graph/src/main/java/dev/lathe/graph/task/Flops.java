package dev.lathe.graph.task;

import dev.lathe.ir.Binary;
import dev.lathe.ir.Call;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Unary;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.ComputeOp;

import java.util.List;
import java.util.OptionalLong;

/**
 * Floating-point operations of one run of a DAG: per compute, its elements times the float
 * arithmetic of its body, the reduction's source and combiner counted once per reduce point.
 * The task scheduler only compares tasks by it, so an estimate is enough. 0 when a shape is symbolic.
 */
public final class Flops {
    private Flops() {
    }

    public static double of(ComputeDag dag) {
        double total = 0;
        for (ComputeOp c : dag.computes()) {
            OptionalLong space = product(c.axes());
            if (space.isEmpty()) {
                return 0;
            }
            double perPoint = 0;
            for (Expr body : c.bodies()) {
                long all = arithmetic(body);
                if (c.reduction().isPresent()) {
                    Reduce r = c.reduction().get();
                    OptionalLong points = product(r.axes());
                    if (points.isEmpty()) {
                        return 0;
                    }
                    long src = r.sources().stream().mapToLong(Flops::arithmetic).sum();
                    perPoint += (all - src) + (double) points.getAsLong() * (src + 1);
                } else {
                    perPoint += all;
                }
            }
            total += space.getAsLong() * perPoint;
        }
        return total;
    }

    private static OptionalLong product(List<IterVar> axes) {
        long n = 1;
        for (IterVar a : axes) {
            OptionalLong e = Exprs.asConst(a.dom().extent());
            if (e.isEmpty()) {
                return OptionalLong.empty();
            }
            n *= e.getAsLong();
        }
        return OptionalLong.of(n);
    }

    private static long arithmetic(Expr e) {
        long[] n = {0};
        Exprs.forEach(e, x -> {
            boolean op = x instanceof Binary || x instanceof Unary || x instanceof Call;
            if (op && x.dtype().isFloat()) {
                n[0]++;
            }
        });
        return n[0];
    }
}
