package dev.lathe.schedule;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterKind;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Range;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Var;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.Operation;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Steps that change the dataflow — cache_read, cache_write, rfactor — add a stage and make
 * readers use new tensors. Operations are immutable, so every stage downstream of a change gets
 * a rebuilt operation with the same axes (its schedule stays valid).
 */
final class DataflowRewrite {
    private static final Set<String> SCOPES = Set.of("global", "local", "shared");

    private DataflowRewrite() {
    }

    static State cacheRead(State s, Step.CacheRead c) {
        Stage producer = s.stage(c.stage());
        checkScope(c.scope(), producer);
        if (producer.op().numOutputs() != 1) {
            throw new ScheduleException("cache_read of stage " + producer.name() + ": it has several outputs");
        }
        if (c.readers().isEmpty()) {
            throw new ScheduleException("cache_read of stage " + producer.name() + " needs at least one reader stage");
        }
        for (int r : c.readers()) {
            if (r <= c.stage() || !Primitives.consumes(s.stage(r), producer)) {
                throw new ScheduleException("cache_read of stage " + producer.name() + ": stage " + s.stage(r).name()
                        + " does not read it");
            }
        }
        Tensor src = producer.op().output(0);
        List<IterVar> axes = freshSpaceAxes(src.shape(), "ax");
        List<Expr> idx = axes.stream().map(a -> (Expr) a.var()).toList();
        ComputeOp cache = ComputeOp.of(producer.name() + "." + c.scope(), axes, List.of(src.get(idx)));
        List<Stage> stages = insert(s.stages(), c.stage() + 1, Stage.initial(cache));
        Map<Tensor, Tensor> repl = Map.of(src, cache.output(0));
        List<Integer> readers = c.readers().stream().map(r -> r + 1).toList();
        return rebuild(s, stages, repl, readers, c);
    }

    static State cacheWrite(State s, Step.CacheWrite c) {
        Stage st = s.stage(c.stage());
        ComputeOp op = st.compute();
        checkScope(c.scope(), st);
        requireUntransformed(st, "cache_write");
        List<IterVar> axes = copiesOf(op.axes());
        Map<Var, Expr> toNew = new HashMap<>();
        for (int d = 0; d < axes.size(); d++) {
            toNew.put(op.axes().get(d).var(), axes.get(d).var());
        }
        List<Expr> bodies = new ArrayList<>();
        for (Expr b : op.bodies()) {
            bodies.add(Exprs.substitute(b, toNew));
        }
        ComputeOp cache = ComputeOp.of(op.name() + "." + c.scope(), axes, bodies);
        List<Expr> idx = op.axes().stream().map(a -> (Expr) a.var()).toList();
        List<Expr> copies = new ArrayList<>();
        for (int v = 0; v < op.numOutputs(); v++) {
            copies.add(cache.output(v).get(idx));
        }
        ComputeOp copy = ComputeOp.of(op.name(), op.axes(), copies);
        return replaceStage(s, c.stage(), cache, copy, c);
    }

    static State rfactor(State s, Step.Rfactor r) {
        Stage st = s.stage(r.stage());
        ComputeOp op = st.compute();
        Reduce red = op.reduction().orElseThrow(() -> new ScheduleException("rfactor of stage " + st.name()
                + ": it is not a reduction"));
        Iter it = st.iter(checkedIter(st, r.iter()));
        if (it.kind() != IterKind.REDUCE || !st.leaves().contains(it.id())) {
            throw new ScheduleException("rfactor of stage " + st.name() + ": " + it.name() + " is not a reduce loop");
        }
        if (r.factorAxis() < 0 || r.factorAxis() > op.axes().size()) {
            throw new ScheduleException("rfactor of stage " + st.name() + ": factor axis " + r.factorAxis()
                    + " must be in 0.." + op.axes().size());
        }
        // The reduce root behind the factored loop, and how its value splits into the factored and remaining parts.
        int root = Extents.rootsOf(st, it.id()).getFirst();
        IterVar axis = st.rootAxis(root);
        if (Primitives.dataDependent(axis.dom().min()) || Primitives.dataDependent(axis.dom().extent())) {
            throw new ScheduleException("rfactor of stage " + st.name() + ": " + axis.name() + " has a data-dependent range");
        }
        Var kf = Var.of(it.name().replace('.', '_'));
        Expr kValue;
        Expr factoredExtent;
        List<IterVar> remaining = new ArrayList<>();
        Expr cond = red.condition();
        if (it.id() == root) {
            kValue = axis.dom().min().add(kf);
            factoredExtent = axis.dom().extent();
        } else {
            Relation.Split sp = splitOf(st, it.id(), root);
            boolean inner = sp.inner() == it.id();
            Iter other = st.iter(inner ? sp.outer() : sp.inner());
            Expr otherExtent = Extents.of(st, other.id());
            Var ko = Var.of(other.name().replace('.', '_'));
            remaining.add(new IterVar(ko, Range.fromExtent(otherExtent), IterKind.REDUCE));
            factoredExtent = inner ? sp.factor() : Extents.of(st, sp.outer());
            kValue = inner ? ko.mul(sp.factor()).add(kf) : kf.mul(sp.factor()).add(ko);
            kValue = axis.dom().min().add(kValue);
            if (!(axis.dom().extent() instanceof IntImm e && sp.factor() instanceof IntImm f && e.value() % f.value() == 0)) {
                cond = cond.and(kValue.sub(axis.dom().min()).lt(axis.dom().extent()));
            }
        }
        for (IterVar a : red.axes()) {
            if (a != axis) {
                remaining.add(a);
            }
        }
        List<IterVar> rfAxes = new ArrayList<>(op.axes());
        IterVar factored = new IterVar(kf, Range.fromExtent(factoredExtent), IterKind.SPACE);
        rfAxes.add(r.factorAxis(), factored);
        Map<Var, Expr> sub = Map.of(axis.var(), kValue);
        List<Expr> sources = red.sources().stream().map(e -> Exprs.substitute(e, sub)).toList();
        Expr rfCond = Exprs.substitute(cond, sub);
        List<Expr> rfBodies;
        if (remaining.isEmpty()) {
            // The whole reduction was factored: partial results are the sources themselves (or the identity where masked).
            rfBodies = new ArrayList<>();
            for (int v = 0; v < sources.size(); v++) {
                Expr src = sources.get(v);
                rfBodies.add(rfCond instanceof IntImm t && t.value() == 1 ? src
                        : new dev.lathe.ir.Select(rfCond, src, red.reducer().identity().get(v)));
            }
        } else {
            rfBodies = new ArrayList<>();
            for (int v = 0; v < sources.size(); v++) {
                rfBodies.add(new Reduce(red.reducer(), sources, remaining, rfCond, v));
            }
        }
        ComputeOp rf = ComputeOp.of(op.name() + ".rf", rfAxes, rfBodies);
        IterVar kr = new IterVar(Var.of(it.name().replace('.', '_') + "_r"), Range.fromExtent(factoredExtent),
                IterKind.REDUCE);
        List<Expr> idx = new ArrayList<>();
        for (IterVar a : op.axes()) {
            idx.add(a.var());
        }
        idx.add(r.factorAxis(), kr.var());
        List<Expr> partials = new ArrayList<>();
        for (int v = 0; v < rf.numOutputs(); v++) {
            partials.add(rf.output(v).get(idx));
        }
        List<Expr> finalBodies = new ArrayList<>();
        for (int v = 0; v < partials.size(); v++) {
            finalBodies.add(new Reduce(red.reducer(), partials, List.of(kr), IntImm.TRUE, v));
        }
        ComputeOp fin = ComputeOp.of(op.name(), op.axes(), finalBodies);
        return replaceStage(s, r.stage(), rf, fin, r);
    }

    private static Relation.Split splitOf(Stage st, int iter, int root) {
        for (Relation rel : st.relations()) {
            if (rel instanceof Relation.Split sp && sp.parent() == root && (sp.inner() == iter || sp.outer() == iter)
                    && st.leaves().contains(sp.inner()) && st.leaves().contains(sp.outer())) {
                return sp;
            }
        }
        throw new ScheduleException("rfactor of stage " + st.name() + ": " + st.iter(iter).name() + " must be a reduce "
                + "axis or one of the two loops of a single split of one");
    }

    private static int checkedIter(Stage st, int id) {
        if (id < 0 || id >= st.iters().size()) {
            throw new ScheduleException("stage " + st.name() + " has no iterator with id " + id);
        }
        return id;
    }

    private static void checkScope(String scope, Stage st) {
        if (!SCOPES.contains(scope)) {
            throw new ScheduleException("cache stage of " + st.name() + ": unknown scope '" + scope + "'; use one of "
                    + SCOPES);
        }
    }

    private static void requireUntransformed(Stage st, String primitive) {
        if (!st.relations().isEmpty() || !st.leaves().equals(Stage.initial(st.op()).leaves())) {
            throw new ScheduleException(primitive + " of stage " + st.name() + ": apply it before splitting, fusing or "
                    + "reordering the stage's loops");
        }
    }

    private static List<IterVar> freshSpaceAxes(List<Expr> shape, String prefix) {
        List<IterVar> out = new ArrayList<>();
        for (int d = 0; d < shape.size(); d++) {
            out.add(new IterVar(Var.of(prefix + d), Range.fromExtent(shape.get(d)), IterKind.SPACE));
        }
        return out;
    }

    private static List<IterVar> copiesOf(List<IterVar> axes) {
        return axes.stream().map(a -> new IterVar(a.var().copy(), a.dom(), a.kind())).toList();
    }

    /** Replaces stage {@code index} by two: {@code first} (new, inserted before) and {@code second} (taking its place). */
    private static State replaceStage(State s, int index, ComputeOp first, ComputeOp second, Step step) {
        Stage old = s.stage(index);
        List<Stage> stages = insert(s.stages(), index, Stage.initial(first));
        stages.set(index + 1, Stage.initial(second).withLocation(old.location()));
        Map<Tensor, Tensor> repl = new HashMap<>();
        for (int v = 0; v < old.op().numOutputs(); v++) {
            repl.put(old.op().output(v), second.output(v));
        }
        return rebuild(s, stages, repl, null, step);
    }

    /** Inserts a stage, shifting compute_at references to the stages after it. */
    private static List<Stage> insert(List<Stage> stages, int at, Stage stage) {
        List<Stage> out = new ArrayList<>();
        for (Stage st : stages) {
            if (st.location() instanceof ComputeLocation.At loc && loc.stage() >= at) {
                st = st.withLocation(new ComputeLocation.At(loc.stage() + 1, loc.iter()));
            }
            out.add(st);
        }
        out.add(at, stage);
        return out;
    }

    /**
     * Makes stages read the replacement tensors: the given readers only (cache_read), or every
     * stage (null). Stages whose operation changes get a rebuilt operation, and so on downstream.
     */
    private static State rebuild(State s, List<Stage> stages, Map<Tensor, Tensor> replacements, List<Integer> readers,
                                 Step step) {
        Map<Tensor, Tensor> repl = new HashMap<>(replacements);
        Set<Operation> fresh = new java.util.HashSet<>();
        for (Tensor t : replacements.values()) {
            fresh.add(t.op());
        }
        for (int i = 0; i < stages.size(); i++) {
            Stage st = stages.get(i);
            if (st.isPlaceholder() || fresh.contains(st.op())) {
                continue;
            }
            Map<Tensor, Tensor> use = repl;
            if (readers != null && !readers.contains(i)) {
                use = new HashMap<>(repl);
                use.keySet().removeAll(replacements.keySet());
            }
            ComputeOp op = st.compute();
            List<Expr> bodies = rewriteReads(op.bodies(), use);
            if (bodies != op.bodies()) {
                ComputeOp rebuilt = op.withBodies(bodies);
                for (int v = 0; v < op.numOutputs(); v++) {
                    repl.put(op.output(v), rebuilt.output(v));
                }
                stages.set(i, st.withOp(rebuilt));
            }
        }
        List<Tensor> outputs = new ArrayList<>();
        for (Tensor t : s.outputs()) {
            outputs.add(repl.getOrDefault(t, t));
        }
        ComputeDag.of(outputs);
        return s.with(stages, outputs, step);
    }

    private static List<Expr> rewriteReads(List<Expr> bodies, Map<Tensor, Tensor> repl) {
        if (repl.isEmpty()) {
            return bodies;
        }
        return Exprs.rewriteAll(bodies, n -> n instanceof TensorRead r && repl.containsKey(r.tensor())
                ? new TensorRead(repl.get(r.tensor()), r.indices()) : n);
    }
}
