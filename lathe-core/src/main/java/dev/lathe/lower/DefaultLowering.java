package dev.lathe.lower;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Reducer;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Var;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.Operation;
import dev.lathe.te.PlaceholderOp;
import dev.lathe.te.Tensor;
import dev.lathe.tir.Allocate;
import dev.lathe.tir.For;
import dev.lathe.tir.ForKind;
import dev.lathe.tir.IfThenElse;
import dev.lathe.tir.LetStmt;
import dev.lathe.tir.PrimFunc;
import dev.lathe.tir.Seq;
import dev.lathe.tir.Stmt;
import dev.lathe.tir.Store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers a ComputeDag under the default schedule: every operation computed at root, in its own
 * loop nest over its whole domain, in topological order; intermediates get storage of their
 * full shape for the whole kernel.
 */
public final class DefaultLowering {
    private DefaultLowering() {
    }

    public static PrimFunc lower(ComputeDag dag, String name) {
        List<Stmt> nests = new ArrayList<>();
        for (Operation op : dag.ops()) {
            if (op instanceof ComputeOp c) {
                nests.add(loopNest(c));
            }
        }
        Stmt body = Seq.of(nests);
        List<Tensor> params = dag.arguments();
        List<Operation> ops = dag.ops();
        for (int o = ops.size() - 1; o >= 0; o--) {
            Operation op = ops.get(o);
            if (op instanceof PlaceholderOp) {
                continue;
            }
            for (int v = op.numOutputs() - 1; v >= 0; v--) {
                Tensor t = op.output(v);
                if (!params.contains(t)) {
                    body = new Allocate(t, t.shape(), body);
                }
            }
        }
        return new PrimFunc(name, params, dag.sizeVars(), body);
    }

    /** The full loop nest computing one operation at root. */
    public static Stmt loopNest(ComputeOp op) {
        Stmt body = pointBody(op);
        List<IterVar> axes = op.axes();
        for (int d = axes.size() - 1; d >= 0; d--) {
            IterVar a = axes.get(d);
            body = new For(a.var(), a.dom().min(), a.dom().extent(), ForKind.SERIAL, body);
        }
        return body;
    }

    /** What one point of the output space does: stores the values, or initialises and runs the reduction. */
    public static Stmt pointBody(ComputeOp op) {
        List<Expr> index = op.axes().stream().map(a -> (Expr) a.var()).toList();
        if (op.reduction().isEmpty()) {
            List<Stmt> stores = new ArrayList<>();
            for (int v = 0; v < op.numOutputs(); v++) {
                stores.add(new Store(op.output(v), index, op.body(v)));
            }
            return Seq.of(stores);
        }
        return Seq.of(reductionInit(op, index), reductionLoops(op, index, reductionUpdate(op, index)));
    }

    /** Stores the reducer's identity into every output at {@code index}. */
    public static Stmt reductionInit(ComputeOp op, List<Expr> index) {
        Reducer r = op.reduction().orElseThrow().reducer();
        List<Stmt> init = new ArrayList<>();
        for (int v = 0; v < op.numOutputs(); v++) {
            init.add(new Store(op.output(v), index, r.identity().get(v)));
        }
        return Seq.of(init);
    }

    /** Wraps an update in loops over the reduce axes, in declaration order. */
    public static Stmt reductionLoops(ComputeOp op, List<Expr> index, Stmt update) {
        Stmt body = update;
        List<IterVar> raxes = op.reduceAxes();
        for (int d = raxes.size() - 1; d >= 0; d--) {
            IterVar a = raxes.get(d);
            body = new For(a.var(), a.dom().min(), a.dom().extent(), ForKind.SERIAL, body);
        }
        return body;
    }

    /**
     * One combine step at the current point of the reduce axes: reads the accumulators, binds the
     * reducer's operands to fresh variables, then stores every new value (all values are computed
     * before any is stored, as a multi-value reducer needs).
     */
    public static Stmt reductionUpdate(ComputeOp op, List<Expr> index) {
        Reduce red = op.reduction().orElseThrow();
        Reducer r = red.reducer();
        int n = r.arity();
        if (n == 1) {
            // One value: the combiner reads like the hand-written update, e.g. C[i, j] = C[i, j] + A[i, k] * B[k, j].
            Expr update = Exprs.substitute(r.combiner().getFirst(), Map.of(
                    r.lhs().getFirst(), new TensorRead(op.output(0), index),
                    r.rhs().getFirst(), red.sources().getFirst()));
            return guarded(red, new Store(op.output(0), index, update));
        }
        Map<Var, Expr> bind = new HashMap<>();
        List<Var> lhs = new ArrayList<>();
        List<Var> rhs = new ArrayList<>();
        List<Var> next = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            Var x = r.lhs().get(v).copy();
            Var y = r.rhs().get(v).copy();
            lhs.add(x);
            rhs.add(y);
            next.add(Var.of(op.name() + "_acc" + (n > 1 ? v : ""), x.dtype()));
            bind.put(r.lhs().get(v), x);
            bind.put(r.rhs().get(v), y);
        }
        List<Stmt> stores = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            stores.add(new Store(op.output(v), index, next.get(v)));
        }
        Stmt body = Seq.of(stores);
        for (int v = n - 1; v >= 0; v--) {
            body = new LetStmt(next.get(v), Exprs.substitute(r.combiner().get(v), bind), body);
        }
        for (int v = n - 1; v >= 0; v--) {
            body = new LetStmt(rhs.get(v), red.sources().get(v), body);
        }
        for (int v = n - 1; v >= 0; v--) {
            body = new LetStmt(lhs.get(v), new TensorRead(op.output(v), index), body);
        }
        return guarded(red, body);
    }

    private static Stmt guarded(Reduce red, Stmt body) {
        return red.condition() instanceof IntImm c && c.value() == 1 ? body : IfThenElse.of(red.condition(), body);
    }
}
