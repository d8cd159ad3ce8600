package dev.lathe.te;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.MalformedExpressionException;
import dev.lathe.ir.Promote;
import dev.lathe.ir.TensorRead;

import java.util.ArrayList;
import java.util.List;

/** Shapes: lists of int64 expressions over size variables. */
public final class Shapes {
    private Shapes() {
    }

    /** Converts numbers and expressions to a shape. */
    public static List<Expr> of(List<?> dims) {
        List<Expr> out = new ArrayList<>(dims.size());
        for (Object d : dims) {
            out.add(Promote.literal(d, DType.INT64));
        }
        return List.copyOf(out);
    }

    static List<Expr> check(List<Expr> shape, String owner) {
        List<Expr> out = new ArrayList<>();
        for (Expr d : shape) {
            if (!d.dtype().isInt()) {
                throw new MalformedExpressionException("dimension " + d + " of " + owner + " has type " + d.dtype()
                        + "; shape dimensions must be integers");
            }
            Exprs.forEach(d, n -> {
                if (n instanceof TensorRead r) {
                    throw new MalformedExpressionException("dimension " + d + " of " + owner + " reads tensor "
                            + r.tensor().name() + "; shapes may depend on size variables only");
                }
            });
            if (Exprs.containsReduce(d)) {
                throw new MalformedExpressionException("dimension " + d + " of " + owner + " contains a reduction");
            }
            if (d instanceof IntImm i && i.value() < 0) {
                throw new MalformedExpressionException("dimension " + i.value() + " of " + owner + " is negative");
            }
            out.add(d.cast(DType.INT64));
        }
        return List.copyOf(out);
    }
}
