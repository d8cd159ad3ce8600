package dev.lathe.lower;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Range;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Reducer;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Var;
import dev.lathe.schedule.ComputeLocation;
import dev.lathe.schedule.Extents;
import dev.lathe.schedule.Iter;
import dev.lathe.schedule.IterAnnotation;
import dev.lathe.schedule.Relation;
import dev.lathe.schedule.ScheduleException;
import dev.lathe.schedule.Stage;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.Operation;
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
import java.util.Optional;

/**
 * Lowers a scheduled DAG to a loop nest. Each stage computed at root gets its loops in its leaf
 * order; a stage computed at a loop of its consumer is nested there, over the region of its
 * output that the consumer's inner loops read (bound inference), with storage of that region's
 * size; inlined stages are substituted. A reduction's accumulators are initialised just
 * outside its outermost reduce loop. Non-divisible splits get guards.
 */
public final class ScheduleLowering {
    private final State state;
    private final Inliner inliner;
    /** Producer stages computed at each (consumer stage, iterator id). */
    private final Map<Integer, Map<Integer, List<Integer>>> attached = new HashMap<>();
    private final Map<Operation, Integer> stageOf = new HashMap<>();
    /** For tensors stored over a region only: the region's start, subtracted from every index. */
    private final Map<Operation, List<Expr>> regionMin = new HashMap<>();

    private ScheduleLowering(State state) {
        this.state = state;
        this.inliner = new Inliner(state);
        List<Stage> stages = state.stages();
        for (int s = 0; s < stages.size(); s++) {
            stageOf.put(stages.get(s).op(), s);
            if (stages.get(s).location() instanceof ComputeLocation.At at) {
                attached.computeIfAbsent(at.stage(), k -> new HashMap<>())
                        .computeIfAbsent(at.iter(), k -> new ArrayList<>()).add(s);
            }
        }
    }

    public static PrimFunc lower(State state, String name) {
        return new ScheduleLowering(state).run(name);
    }

    private PrimFunc run(String name) {
        ComputeDag dag = state.dag();
        List<Tensor> params = dag.arguments();
        List<Stage> stages = state.stages();
        List<Stmt> nests = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            Stage st = stages.get(s);
            if (!st.isPlaceholder() && st.location() instanceof ComputeLocation.Root) {
                nests.add(stageNest(s, fullDomain(st.compute())));
            }
        }
        Stmt body = Seq.of(nests);
        for (int s = 0; s < stages.size(); s++) {
            if (!stages.get(s).storageAligns().isEmpty() && state.isOutput(s)) {
                throw new ScheduleException("storage_align of stage " + stages.get(s).name() + ": it is an output, "
                        + "stored in the caller's array; only intermediate stages can be aligned");
            }
        }
        for (int s = stages.size() - 1; s >= 0; s--) {
            Stage st = stages.get(s);
            if (st.isPlaceholder() || !(st.location() instanceof ComputeLocation.Root)) {
                continue;
            }
            for (int v = st.op().numOutputs() - 1; v >= 0; v--) {
                Tensor t = st.op().output(v);
                if (!params.contains(t)) {
                    body = new Allocate(t, StorageAlign.apply(st, t.shape()), body);
                }
            }
        }
        return new PrimFunc(name, params, dag.sizeVars(), LoopKinds.normalize(Simplify.stmt(GuardPartition.apply(Simplify.stmt(body)))));
    }

    private static List<Range> fullDomain(ComputeOp op) {
        List<Range> out = new ArrayList<>();
        for (IterVar a : op.axes()) {
            out.add(a.dom());
        }
        return out;
    }

    /** What one stage computes, given the ranges of its space axes (its whole domain, or a region). */
    private Stmt stageNest(int s, List<Range> spaceRanges) {
        return new StageLowering(s, spaceRanges).lower();
    }

    /** The loop nest of one stage. */
    private final class StageLowering {
        private final int index;
        private final Stage st;
        private final ComputeOp op;
        private final List<Iter> leaves;
        private final Map<Integer, Expr> ext;
        private final List<Range> roots = new ArrayList<>();
        private final Map<Integer, Var> loopVar = new HashMap<>();
        private final List<Expr> bodies;
        private final int firstReduce;
        /** Regions of the stages computed at this stage's loops, by stage index. */
        private final Map<Integer, List<Range>> regions = new HashMap<>();

        StageLowering(int index, List<Range> spaceRanges) {
            this.index = index;
            this.st = state.stage(index);
            this.op = st.compute();
            this.leaves = st.leafIters();
            List<IterVar> all = ComputeDag.iterators(op);
            Map<Var, Expr> axisValue = new HashMap<>();
            // Space roots cover the given ranges; reduce roots cover their domain, which may depend on space axes.
            for (int r = 0; r < op.axes().size(); r++) {
                roots.add(spaceRanges.get(r));
            }
            for (Iter leaf : leaves) {
                loopVar.put(leaf.id(), Var.of(leaf.name().replace('@', '_')));
            }
            // Space values first: the ranges of reduce axes may depend on them (k in [indptr[i], indptr[i + 1])).
            List<Expr> rawExtents = new ArrayList<>();
            roots.forEach(x -> rawExtents.add(x.extent()));
            for (int r = op.axes().size(); r < all.size(); r++) {
                rawExtents.add(all.get(r).dom().extent());
            }
            Map<Integer, Expr> spaceExt = Extents.all(st, rawExtents);
            for (int r = 0; r < op.axes().size(); r++) {
                axisValue.put(all.get(r).var(), roots.get(r).min().add(Extents.value(st, r, loopVar, spaceExt)));
            }
            Map<Var, Range> leafRanges = new HashMap<>();
            for (Iter leaf : leaves) {
                if (leaf.kind() == dev.lathe.ir.IterKind.SPACE) {
                    leafRanges.put(loopVar.get(leaf.id()), Range.fromExtent(Simplify.expr(spaceExt.get(leaf.id()))));
                }
            }
            List<Expr> rootExtents = new ArrayList<>();
            roots.forEach(x -> rootExtents.add(x.extent()));
            for (int r = op.axes().size(); r < all.size(); r++) {
                Range dom = all.get(r).dom();
                Range range = new Range(Simplify.expr(Exprs.substitute(dom.min(), axisValue), leafRanges),
                        Simplify.expr(Exprs.substitute(dom.extent(), axisValue), leafRanges));
                roots.add(range);
                rootExtents.add(range.extent());
            }
            this.ext = Extents.all(st, rootExtents);
            for (int r = op.axes().size(); r < all.size(); r++) {
                axisValue.put(all.get(r).var(), roots.get(r).min().add(Extents.value(st, r, loopVar, ext)));
            }
            List<Expr> bs = new ArrayList<>();
            for (Expr b : inliner.bodies(op)) {
                bs.add(substituteAxes(b, axisValue));
            }
            this.bodies = bs;
            int fr = -1;
            for (int k = 0; k < leaves.size(); k++) {
                if (leaves.get(k).kind() == dev.lathe.ir.IterKind.REDUCE) {
                    fr = k;
                    break;
                }
            }
            this.firstReduce = op.reduction().isPresent() ? fr : -1;
            validateAnnotations();
        }

        /** Substitutes axis values, also inside a reduction's axes and sources (the Reduce node is kept as a marker). */
        private Expr substituteAxes(Expr b, Map<Var, Expr> axisValue) {
            return Exprs.substitute(b, axisValue);
        }

        private void validateAnnotations() {
            for (int k = 0; k < leaves.size(); k++) {
                Iter it = leaves.get(k);
                if (it.annotation() == IterAnnotation.VECTORIZE && k != leaves.size() - 1) {
                    throw new ScheduleException("stage " + st.name() + ": vectorized loop " + it.name()
                            + " is not the innermost loop (loops are " + leaves + "); reorder it innermost");
                }
                if (it.annotation() == IterAnnotation.PARALLEL && firstReduce >= 0 && k > firstReduce) {
                    throw new ScheduleException("stage " + st.name() + ": parallel loop " + it.name() + " is inside "
                            + "reduce loop " + leaves.get(firstReduce).name() + "; a parallel loop may not be nested in a "
                            + "reduction");
                }
            }
        }

        Stmt lower() {
            // Regions first: reads in the innermost body are shifted by them. Producers this stage reads
            // come first; then those read by a stage computed at one of its loops (e.g. a packed copy of B
            // computed per column panel for the accumulator tile computed per row block inside it).
            for (boolean direct : new boolean[]{true, false}) {
                for (int k = 0; k < leaves.size(); k++) {
                    Iter leaf = leaves.get(k);
                    for (int p : attached.getOrDefault(index, Map.of()).getOrDefault(leaf.id(), List.of())) {
                        ComputeOp producer = state.stage(p).compute();
                        if (reads(bodies, producer) != direct) {
                            continue;
                        }
                        List<Range> region = direct ? region(producer, varyingInside(k))
                                : regionThroughConsumer(producer, varyingInside(k));
                        regions.put(p, region);
                        regionMin.put(producer, region.stream().map(Range::min).toList());
                    }
                }
            }
            Stmt nest = Unroll.auto(levels(0), st.autoUnrollMaxStep());
            return st.unrollExplicit() ? Unroll.explicit(nest) : nest;
        }

        /** The loops inside leaf position {@code k}, each over its range. */
        private Map<Var, Interval> varyingInside(int pos) {
            Map<Var, Interval> varying = new HashMap<>();
            for (int k = pos + 1; k < leaves.size(); k++) {
                Iter it = leaves.get(k);
                varying.put(loopVar.get(it.id()), new Interval(IntImm.of(0), Simplify.expr(ext.get(it.id()).sub(1))));
            }
            return varying;
        }

        /** Loops from leaf position {@code k} inwards. */
        private Stmt levels(int k) {
            if (k == leaves.size()) {
                return guarded(innermost(), false);
            }
            Iter leaf = leaves.get(k);
            Stmt inner = levels(k + 1);
            Stmt loop = withAttached(leaf, inner);
            loop = new For(loopVar.get(leaf.id()), IntImm.of(0), Simplify.expr(ext.get(leaf.id())), kind(leaf), loop);
            if (k == firstReduce) {
                return Seq.of(initNest(), loop);
            }
            return loop;
        }

        private ForKind kind(Iter it) {
            return switch (it.annotation()) {
                case NONE -> ForKind.SERIAL;
                case PARALLEL -> ForKind.PARALLEL;
                case VECTORIZE -> ForKind.VECTORIZED;
                case UNROLL -> ForKind.UNROLLED;
            };
        }

        /** Storage index of this stage's output at the current point (relative to its region, if it has one). */
        private List<Expr> storeIndex(Map<Integer, ? extends Expr> leafValue) {
            List<Expr> idx = new ArrayList<>();
            for (int r = 0; r < op.axes().size(); r++) {
                Expr v = Extents.value(st, r, leafValue, ext);
                if (!regionMin.containsKey(op)) {
                    v = roots.get(r).min().add(v);
                }
                idx.add(Simplify.expr(v));
            }
            return idx;
        }

        private Stmt innermost() {
            List<Expr> index = storeIndex(loopVar);
            if (op.reduction().isEmpty()) {
                List<Stmt> stores = new ArrayList<>();
                for (int v = 0; v < op.numOutputs(); v++) {
                    stores.add(new Store(op.output(v), index, rewriteReads(bodies.get(v))));
                }
                return Seq.of(stores);
            }
            return reductionUpdate(index);
        }

        private Stmt reductionUpdate(List<Expr> index) {
            Reduce red = (Reduce) bodies.getFirst();
            Reducer r = red.reducer();
            int n = r.arity();
            List<Expr> sources = red.sources().stream().map(this::rewriteReads).toList();
            if (n == 1) {
                Expr update = Exprs.substitute(r.combiner().getFirst(), Map.of(
                        r.lhs().getFirst(), new TensorRead(op.output(0), index),
                        r.rhs().getFirst(), sources.getFirst()));
                return condition(red, new Store(op.output(0), index, update));
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
                next.add(Var.of(op.name() + "_acc" + v, x.dtype()));
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
                body = new LetStmt(rhs.get(v), sources.get(v), body);
            }
            for (int v = n - 1; v >= 0; v--) {
                body = new LetStmt(lhs.get(v), new TensorRead(op.output(v), index), body);
            }
            return condition(red, body);
        }

        private Stmt condition(Reduce red, Stmt body) {
            return red.condition() instanceof IntImm c && c.value() == 1 ? body
                    : IfThenElse.of(rewriteReads(red.condition()), body);
        }

        /** Stores the reducer's identity, over the space loops that lie inside the outermost reduce loop. */
        private Stmt initNest() {
            Reducer r = ((Reduce) bodies.getFirst()).reducer();
            Map<Integer, Expr> values = new HashMap<>();
            List<Iter> inner = new ArrayList<>();
            for (int k = 0; k < leaves.size(); k++) {
                Iter leaf = leaves.get(k);
                if (k < firstReduce) {
                    values.put(leaf.id(), loopVar.get(leaf.id()));
                } else if (leaf.kind() == dev.lathe.ir.IterKind.SPACE) {
                    Var fresh = Var.of(leaf.name().replace('@', '_'));
                    values.put(leaf.id(), fresh);
                    inner.add(leaf);
                }
            }
            List<Expr> index = storeIndex(values);
            List<Stmt> stores = new ArrayList<>();
            for (int v = 0; v < op.numOutputs(); v++) {
                stores.add(new Store(op.output(v), index, r.identity().get(v)));
            }
            Stmt body = guardedWith(Seq.of(stores), values, true);
            for (int k = inner.size() - 1; k >= 0; k--) {
                Iter leaf = inner.get(k);
                ForKind kind = k == inner.size() - 1 || leaf.annotation() != IterAnnotation.VECTORIZE ? kind(leaf)
                        : ForKind.SERIAL;
                body = new For((Var) values.get(leaf.id()), IntImm.of(0), Simplify.expr(ext.get(leaf.id())), kind, body);
            }
            return body;
        }

        private Stmt guarded(Stmt body, boolean spaceOnly) {
            return guardedWith(body, loopVar, spaceOnly);
        }

        /** Wraps a body in the conditions of non-divisible splits: {@code parent < extent(parent)}. */
        private Stmt guardedWith(Stmt body, Map<Integer, ? extends Expr> leafValue, boolean spaceOnly) {
            Expr cond = null;
            for (Relation rel : st.relations()) {
                if (!(rel instanceof Relation.Split sp)) {
                    continue;
                }
                if (spaceOnly && st.iter(sp.parent()).kind() != dev.lathe.ir.IterKind.SPACE) {
                    continue;
                }
                Expr parentExtent = Simplify.expr(ext.get(sp.parent()));
                if (divides(sp.factor(), parentExtent)) {
                    continue;
                }
                Expr c = Simplify.expr(Extents.value(st, sp.parent(), leafValue, ext)).lt(parentExtent);
                cond = cond == null ? c : cond.and(c);
            }
            if (regionMin.containsKey(op)) {
                // Computed over a region of its consumer's needs: keep to the operation's own domain.
                for (int r = 0; r < op.axes().size(); r++) {
                    Expr at = Simplify.expr(roots.get(r).min().add(Extents.value(st, r, leafValue, ext)));
                    Expr c = at.ge(0).and(at.lt(op.shape().get(r)));
                    cond = cond == null ? c : cond.and(c);
                }
            }
            return cond == null ? body : IfThenElse.of(cond, body);
        }

        private boolean divides(Expr factor, Expr extent) {
            return factor instanceof IntImm f && extent instanceof IntImm e && e.value() % f.value() == 0;
        }

        /** The loop's body with the stages computed at this loop placed first, in storage of their region's size. */
        private Stmt withAttached(Iter leaf, Stmt inner) {
            List<Integer> producers = attached.getOrDefault(index, Map.of()).getOrDefault(leaf.id(), List.of());
            if (producers.isEmpty()) {
                return inner;
            }
            List<Stmt> parts = new ArrayList<>();
            List<Allocate> allocs = new ArrayList<>();
            for (int p : producers) {
                ComputeOp producer = state.stage(p).compute();
                List<Range> region = regions.get(p);
                parts.add(stageNest(p, region));
                List<Expr> storage = new ArrayList<>();
                for (int d = 0; d < region.size(); d++) {
                    storage.add(constantUpperBound(region.get(d).extent(), producer.shape().get(d)));
                }
                for (int v = 0; v < producer.numOutputs(); v++) {
                    allocs.add(new Allocate(producer.output(v), StorageAlign.apply(state.stage(p), storage), Seq.of()));
                }
            }
            parts.add(inner);
            Stmt body = Seq.of(parts);
            for (int a = allocs.size() - 1; a >= 0; a--) {
                body = new Allocate(allocs.get(a).tensor(), allocs.get(a).extents(), body);
            }
            return body;
        }

        /** The part of {@code producer}'s output this stage reads while the given loops vary, clamped to its shape. */
        private List<Range> region(ComputeOp producer, Map<Var, Interval> varying) {
            return regionOf(producer, accesses(bodies, producer), varying);
        }

        /**
         * The region of a producer read by a stage computed at one of this stage's loops: that
         * consumer's reads, with its axes over its own region and its reduce axes over their domains.
         */
        private List<Range> regionThroughConsumer(ComputeOp producer, Map<Var, Interval> varying) {
            for (Map.Entry<Integer, List<Integer>> at : attached.getOrDefault(index, Map.of()).entrySet()) {
                for (int q : at.getValue()) {
                    ComputeOp consumer = state.stage(q).compute();
                    List<Expr> qBodies = inliner.bodies(consumer);
                    if (!reads(qBodies, producer) || !regions.containsKey(q)) {
                        continue;
                    }
                    Map<Var, Interval> ranges = new HashMap<>(varying);
                    Map<Var, Expr> axisValue = new HashMap<>();
                    List<Range> qRegion = regions.get(q);
                    for (int d = 0; d < consumer.axes().size(); d++) {
                        Var local = consumer.axes().get(d).var().copy();
                        ranges.put(local, new Interval(IntImm.of(0), Simplify.expr(qRegion.get(d).extent().sub(1))));
                        axisValue.put(consumer.axes().get(d).var(), qRegion.get(d).min().add(local));
                    }
                    for (IterVar r : consumer.reduceAxes()) {
                        ranges.put(r.var(), new Interval(r.dom().min(), Simplify.expr(r.dom().min().add(r.dom().extent()).sub(1))));
                    }
                    List<List<Expr>> accesses = new ArrayList<>();
                    for (List<Expr> idx : accesses(qBodies, producer)) {
                        accesses.add(idx.stream().map(e -> Simplify.expr(Exprs.substitute(e, axisValue))).toList());
                    }
                    return regionOf(producer, accesses, ranges);
                }
            }
            throw new ScheduleException("stage " + producer.name() + " is computed at a loop of " + st.name()
                    + ", which neither reads it nor has a stage reading it computed at its loops");
        }

        private static boolean reads(List<Expr> bodies, ComputeOp producer) {
            return !accesses(bodies, producer).isEmpty();
        }

        private static List<List<Expr>> accesses(List<Expr> bodies, ComputeOp producer) {
            List<List<Expr>> accesses = new ArrayList<>();
            for (Expr b : bodies) {
                Exprs.forEach(b, n -> {
                    if (n instanceof TensorRead r && r.tensor().op() == producer) {
                        accesses.add(r.indices());
                    }
                });
            }
            return accesses;
        }

        private List<Range> regionOf(ComputeOp producer, List<List<Expr>> accesses, Map<Var, Interval> varying) {
            List<Range> out = new ArrayList<>();
            for (int d = 0; d < producer.axes().size(); d++) {
                Expr full = producer.shape().get(d);
                Expr lo = null;
                Expr hi = null;
                boolean known = !accesses.isEmpty();
                for (List<Expr> idx : accesses) {
                    Optional<Interval> iv = Interval.of(idx.get(d), varying);
                    if (iv.isEmpty() || dependsOnData(idx.get(d))) {
                        known = false;
                        break;
                    }
                    lo = lo == null ? iv.get().lo() : lo.min(iv.get().lo());
                    hi = hi == null ? iv.get().hi() : hi.max(iv.get().hi());
                }
                if (!known) {
                    out.add(Range.fromExtent(full));
                    continue;
                }
                // Unclamped, so that a tile's region has the tile's constant extent; where it reaches past
                // the producer's domain (a last, partial tile), the producer's guards skip those points.
                out.add(new Range(Simplify.expr(lo), Simplify.expr(hi.sub(lo).add(1))));
            }
            return out;
        }

        private static boolean dependsOnData(Expr e) {
            boolean[] found = {false};
            Exprs.forEach(e, n -> found[0] |= n instanceof TensorRead);
            return found[0];
        }

        /** A constant bound of a region's extent for its storage, or the full dimension when none is known. */
        private Expr constantUpperBound(Expr extent, Expr full) {
            Expr e = Simplify.expr(extent);
            if (e instanceof IntImm) {
                return e;
            }
            Map<Var, Range> ranges = new HashMap<>();
            for (Iter leaf : leaves) {
                ranges.put(loopVar.get(leaf.id()), Range.fromExtent(Simplify.expr(ext.get(leaf.id()))));
            }
            return Simplify.upperBound(e, ranges).<Expr>map(IntImm::of).orElse(full);
        }

        /** Reads of producers stored over a region are shifted by the region's start. */
        private Expr rewriteReads(Expr e) {
            if (regionMin.isEmpty()) {
                return e;
            }
            return Exprs.rewrite(e, n -> {
                if (n instanceof TensorRead r && regionMin.containsKey(r.tensor().op())) {
                    List<Expr> mins = regionMin.get(r.tensor().op());
                    List<Expr> idx = new ArrayList<>();
                    for (int d = 0; d < mins.size(); d++) {
                        idx.add(Simplify.expr(r.indices().get(d).sub(mins.get(d))));
                    }
                    return new TensorRead(r.tensor(), idx);
                }
                return n;
            });
        }
    }
}
