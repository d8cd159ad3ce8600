package dev.lathe.graph;

import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ops.Dims;
import dev.lathe.ops.Elementwise;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Index arithmetic shared by the lowerings: broadcasting, axes, guarded reads, linear indices. */
final class Indexing {
    private Indexing() {
    }

    /** The multidirectional (numpy) broadcast of several shapes. */
    static List<Expr> broadcastShape(List<Tensor> ts) {
        List<Expr> shape = ts.getFirst().shape();
        for (int i = 1; i < ts.size(); i++) {
            shape = Elementwise.broadcastShape(shape, ts.get(i).shape());
        }
        return shape;
    }

    /** Reads {@code t} at a point of a broadcast output of rank {@code out.size()}. */
    static Expr bread(Tensor t, List<? extends Expr> out) {
        int offset = out.size() - t.ndim();
        List<Expr> idx = new ArrayList<>(t.ndim());
        for (int d = 0; d < t.ndim(); d++) {
            idx.add(Dims.is(t.shape().get(d), 1) ? IntImm.of(0) : out.get(offset + d));
        }
        return t.get(idx);
    }

    /**
     * An element-wise computation over the broadcast of the inputs; a dimension of extent 1 in an input
     * and the output is read at the output's index, so the read stays element-wise (see
     * {@link Elementwise#broadcastIndex(List, List, List)}).
     */
    static Tensor broadcast(List<Tensor> ins, Function<List<Expr>, Expr> fn, String name) {
        List<Expr> shape = broadcastShape(ins);
        return Te.computeN(shape, v -> fn.apply(ins.stream()
                .map(t -> t.get(Elementwise.broadcastIndex(t.shape(), v, shape))).toList()), name);
    }

    /** An axis attribute normalized to {@code [0, rank)}. */
    static int axis(LowerContext ctx, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1)) {
            throw new IllegalArgumentException(ctx.node().label() + ": axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /** {@code i} clamped into {@code [0, extent)}: an always-valid index for reads guarded by a select. */
    static Expr clamp(Expr i, Expr extent) {
        return i.max(0).min(extent.sub(1));
    }

    /** {@code cond ? t[clamped idx] : fill}: a read that never leaves the tensor. */
    static Expr guardedRead(Tensor t, List<Expr> idx, Expr cond, Expr fill) {
        List<Expr> safe = new ArrayList<>(idx.size());
        for (int d = 0; d < idx.size(); d++) {
            safe.add(clamp(idx.get(d), t.shape().get(d)));
        }
        return Te.ifThenElse(cond, t.get(safe), fill);
    }

    /** The row-major linear index of a point of a shape. */
    static Expr linear(List<? extends Expr> idx, List<Expr> shape) {
        Expr lin = IntImm.of(0);
        for (int d = 0; d < idx.size(); d++) {
            lin = d == 0 ? idx.get(0) : lin.mul(shape.get(d)).add(idx.get(d));
        }
        return lin;
    }

    /** The point of a shape at a row-major linear index. */
    static List<Expr> unlinear(Expr lin, List<Expr> shape) {
        List<Expr> idx = new ArrayList<>(shape.size());
        Expr rest = lin;
        for (int d = shape.size() - 1; d >= 0; d--) {
            idx.addFirst(d == 0 ? rest : rest.floormod(shape.get(d)));
            rest = rest.floordiv(shape.get(d));
        }
        return idx;
    }

    static Expr product(List<Expr> dims) {
        Expr p = IntImm.of(1);
        for (Expr d : dims) {
            p = Dims.times(p, d);
        }
        return p;
    }

    /** The value of a static dimension; unsupported when it is symbolic. */
    static long constDim(LowerContext ctx, Expr dim, String what) {
        return Dims.constant(dim).orElseThrow(() -> ctx.unsupported(what + " must have a static extent, got " + dim));
    }
}
