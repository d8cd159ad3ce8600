package dev.lathe.schedule;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterKind;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.TensorRead;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;

/** What each step does to a state, and the rules that make it valid. */
final class Primitives {
    private Primitives() {
    }

    static State apply(State s, Step step) {
        switch (step) {
            case Step.CacheRead c -> {
                return DataflowRewrite.cacheRead(s, c);
            }
            case Step.CacheWrite c -> {
                return DataflowRewrite.cacheWrite(s, c);
            }
            case Step.Rfactor r -> {
                return DataflowRewrite.rfactor(s, r);
            }
            default -> {
                return applyToStage(s, step);
            }
        }
    }

    private static State applyToStage(State s, Step step) {
        Stage stage = s.stage(step.stage());
        List<Stage> stages = new ArrayList<>(s.stages());
        Stage updated = switch (step) {
            case Step.Split sp -> split(stage, sp);
            case Step.SplitParts sp -> splitParts(stage, sp);
            case Step.Fuse f -> fuse(stage, f);
            case Step.Reorder r -> reorder(stage, r);
            case Step.Annotate a -> annotate(stage, a);
            case Step.ComputeAt c -> computeAt(s, stage, c);
            case Step.ComputeInline c -> computeInline(s, stage, c);
            case Step.ComputeRoot c -> {
                stage.compute();
                yield stage.withLocation(ComputeLocation.ROOT);
            }
            case Step.Pragma p -> pragma(stage, p);
            case Step.StorageAlign a -> storageAlign(stage, a);
            case Step.CacheRead _, Step.CacheWrite _, Step.Rfactor _ ->
                    throw new IllegalStateException("dataflow steps are applied to the whole state");
        };
        stages.set(step.stage(), updated);
        followAttachments(stages, step, stage, updated);
        return s.with(stages, s.outputs(), step);
    }

    /**
     * Stages computed at a loop that a split or fuse replaced move to the loop that runs once per
     * iteration of the old one: the innermost part of a split, or the fused loop. The region they
     * compute per iteration stays the same.
     */
    private static void followAttachments(List<Stage> stages, Step step, Stage before, Stage after) {
        Map<Integer, Integer> moved = new HashMap<>();
        switch (step) {
            case Step.Split _, Step.SplitParts _ -> {
                for (int id : before.leaves()) {
                    if (!after.leaves().contains(id)) {
                        int pos = before.leaves().indexOf(id);
                        int added = after.leaves().size() - before.leaves().size();
                        moved.put(id, after.leaves().get(pos + added));
                    }
                }
            }
            case Step.Fuse f -> {
                int fused = after.leaves().get(before.leaves().indexOf(f.iters().getFirst()));
                for (int id : f.iters()) {
                    moved.put(id, fused);
                }
            }
            default -> { }
        }
        if (moved.isEmpty()) {
            return;
        }
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).location() instanceof ComputeLocation.At at && at.stage() == step.stage()
                    && moved.containsKey(at.iter())) {
                stages.set(i, stages.get(i).withLocation(new ComputeLocation.At(at.stage(), moved.get(at.iter()))));
            }
        }
    }

    // ---- loop structure

    private static Stage split(Stage st, Step.Split sp) {
        Iter it = leafById(st, sp.iter(), "split");
        if (sp.factors().isEmpty()) {
            throw new ScheduleException("split of " + st.name() + "." + it.name() + " needs at least one factor");
        }
        for (long f : sp.factors()) {
            if (f <= 0) {
                throw new ScheduleException("split of " + st.name() + "." + it.name() + ": factor " + f
                        + " is not positive");
            }
        }
        // Inner extents are products of factors; an overflow would make a zero or negative extent.
        long product = 1;
        for (long f : sp.factors()) {
            if (product > (1L << 62) / f) {
                throw new ScheduleException("split of " + st.name() + "." + it.name() + ": the product of factors "
                        + sp.factors() + " exceeds 2^62");
            }
            product *= f;
        }
        requireStaticExtent(st, it, "split");
        List<Iter> iters = new ArrayList<>(st.iters());
        List<Relation> rels = new ArrayList<>(st.relations());
        int n = sp.factors().size();
        List<Integer> produced = new ArrayList<>();
        int parent = it.id();
        for (int level = 0; level < n; level++) {
            long rest = 1;
            for (int k = level; k < n; k++) {
                rest *= sp.factors().get(k);
            }
            Iter outer = newIter(iters, it.name() + "." + level, it.kind());
            Iter inner = level == n - 1 ? newIter(iters, it.name() + "." + n, it.kind())
                    : newIter(iters, it.name() + ".r" + (level + 1), it.kind());
            rels.add(new Relation.Split(parent, outer.id(), inner.id(), IntImm.of(rest)));
            produced.add(outer.id());
            if (level == n - 1) {
                produced.add(inner.id());
            }
            parent = inner.id();
        }
        return st.with(iters, rels, replaceLeaf(st.leaves(), it.id(), produced));
    }

    private static Stage splitParts(Stage st, Step.SplitParts sp) {
        Iter it = leafById(st, sp.iter(), "split");
        if (sp.parts() <= 0) {
            throw new ScheduleException("split of " + st.name() + "." + it.name() + " into " + sp.parts()
                    + " parts: the number of parts must be positive");
        }
        requireStaticExtent(st, it, "split");
        Expr extent = Extents.of(st, it.id());
        Expr factor = extent.add(sp.parts() - 1).floordiv(sp.parts());
        if (extent instanceof IntImm e) {
            factor = IntImm.of(Math.max(1, (e.value() + sp.parts() - 1) / sp.parts()));
        }
        List<Iter> iters = new ArrayList<>(st.iters());
        List<Relation> rels = new ArrayList<>(st.relations());
        Iter outer = newIter(iters, it.name() + ".0", it.kind());
        Iter inner = newIter(iters, it.name() + ".1", it.kind());
        rels.add(new Relation.Split(it.id(), outer.id(), inner.id(), factor));
        return st.with(iters, rels, replaceLeaf(st.leaves(), it.id(), List.of(outer.id(), inner.id())));
    }

    private static Stage fuse(Stage st, Step.Fuse f) {
        if (f.iters().size() < 2) {
            if (f.iters().size() == 1) {
                leafById(st, f.iters().getFirst(), "fuse");
                return st;
            }
            throw new ScheduleException("fuse in stage " + st.name() + " needs at least one iterator");
        }
        for (int id : f.iters()) {
            leafById(st, id, "fuse"); // before any message below names the iterators
        }
        int first = st.leaves().indexOf(f.iters().getFirst());
        for (int k = 0; k < f.iters().size(); k++) {
            Iter it = leafById(st, f.iters().get(k), "fuse");
            if (st.leaves().indexOf(it.id()) != first + k) {
                throw new ScheduleException("fuse in stage " + st.name() + ": iterators " + names(st, f.iters())
                        + " are not adjacent loops in order (loops are " + names(st, st.leaves())
                        + "); reorder them first");
            }
            requireStaticExtent(st, it, "fuse");
            if (it.kind() != st.iter(f.iters().getFirst()).kind()) {
                throw new ScheduleException("fuse in stage " + st.name() + ": cannot fuse space and reduce iterators "
                        + names(st, f.iters()));
            }
        }
        List<Iter> iters = new ArrayList<>(st.iters());
        List<Relation> rels = new ArrayList<>(st.relations());
        int acc = f.iters().getFirst();
        String name = st.iter(acc).name();
        for (int k = 1; k < f.iters().size(); k++) {
            Iter inner = st.iter(f.iters().get(k));
            name = name + "@" + inner.name();
            Iter fused = newIter(iters, name, inner.kind());
            rels.add(new Relation.Fuse(acc, inner.id(), fused.id()));
            acc = fused.id();
        }
        List<Integer> leaves = new ArrayList<>(st.leaves());
        for (int k = 0; k < f.iters().size(); k++) {
            leaves.remove(first);
        }
        leaves.add(first, acc);
        return st.with(iters, rels, leaves);
    }

    private static Stage reorder(Stage st, Step.Reorder r) {
        if (r.order().size() != st.leaves().size() || !new HashSet<>(r.order()).equals(new HashSet<>(st.leaves()))) {
            throw new ScheduleException("reorder of stage " + st.name() + " must list each of its loops "
                    + names(st, st.leaves()) + " exactly once; got " + r.order());
        }
        checkRangeDependencies(st, r.order());
        return st.withLeaves(r.order());
    }

    /**
     * A loop whose range depends on other loops (e.g. {@code k in [indptr[i], indptr[i+1])}) must
     * stay inside them. The dependence is taken on the loops themselves: after splitting i by 16,
     * a range over {@code indptr[floordiv(i, 16)]} depends on i.0 only.
     */
    private static void checkRangeDependencies(Stage st, List<Integer> order) {
        List<IterVar> axes = dev.lathe.te.ComputeDag.iterators(st.compute());
        Map<Integer, Expr> ext = Extents.all(st, Extents.rootExtents(st));
        Map<Integer, dev.lathe.ir.Var> leafVar = new HashMap<>();
        Map<dev.lathe.ir.Var, dev.lathe.ir.Range> ranges = new HashMap<>();
        for (int id : order) {
            dev.lathe.ir.Var v = dev.lathe.ir.Var.of(st.iter(id).name().replace('@', '_'));
            leafVar.put(id, v);
            if (ext.get(id) instanceof IntImm) {
                ranges.put(v, dev.lathe.ir.Range.fromExtent(ext.get(id)));
            }
        }
        Map<dev.lathe.ir.Var, Expr> axisValue = new HashMap<>();
        for (int r = 0; r < axes.size(); r++) {
            if (axes.get(r).kind() == IterKind.SPACE) {
                axisValue.put(axes.get(r).var(), Extents.value(st, r, leafVar, ext));
            }
        }
        for (int pos = 0; pos < order.size(); pos++) {
            for (int root : Extents.rootsOf(st, order.get(pos))) {
                IterVar axis = axes.get(root);
                Set<dev.lathe.ir.Var> uses = new HashSet<>();
                for (Expr bound : List.of(axis.dom().min(), axis.dom().extent())) {
                    Expr inLoops = dev.lathe.arith.Simplifier.simplify(Exprs.substitute(bound, axisValue), ranges);
                    uses.addAll(Exprs.vars(inLoops));
                }
                for (int later = pos + 1; later < order.size(); later++) {
                    if (uses.contains(leafVar.get(order.get(later)))) {
                        throw new ScheduleException("reorder of stage " + st.name() + ": the range of loop "
                                + st.iter(order.get(pos)).name() + " (" + axis.dom() + ") depends on loop "
                                + st.iter(order.get(later)).name() + ", so it must stay inside it");
                    }
                }
            }
        }
    }

    private static Stage annotate(Stage st, Step.Annotate a) {
        Iter it = leafById(st, a.iter(), a.annotation().label());
        switch (a.annotation()) {
            case VECTORIZE -> {
                requireStaticExtent(st, it, "vectorize");
                if (it.kind() == IterKind.REDUCE) {
                    throw new ScheduleException("vectorize " + st.name() + "." + it.name() + ": it is a reduce loop; "
                            + "lanes would race on one accumulator (rfactor it into a space axis first)");
                }
            }
            case PARALLEL -> {
                if (it.kind() == IterKind.REDUCE) {
                    throw new ScheduleException("parallel " + st.name() + "." + it.name() + ": it is a reduce loop; "
                            + "threads would race on one accumulator (parallelize a space loop, or rfactor)");
                }
                for (int id : st.leaves()) {
                    if (id == it.id()) {
                        break;
                    }
                    if (st.iter(id).kind() == IterKind.REDUCE) {
                        throw new ScheduleException("parallel " + st.name() + "." + it.name() + ": it is inside reduce "
                                + "loop " + st.iter(id).name() + "; a parallel loop may not be nested in a reduction");
                    }
                }
            }
            case UNROLL, NONE -> { }
        }
        return st.withIter(it.withAnnotation(a.annotation()));
    }

    private static Stage pragma(Stage st, Step.Pragma p) {
        st.compute();
        return switch (p.key()) {
            case "auto_unroll_max_step" -> {
                if (p.value() < 0) {
                    throw new ScheduleException("pragma auto_unroll_max_step of stage " + st.name() + " must be >= 0");
                }
                yield st.withPragmas(p.value(), st.unrollExplicit());
            }
            case "unroll_explicit" -> st.withPragmas(st.autoUnrollMaxStep(), p.value() != 0);
            default -> throw new ScheduleException("unknown pragma '" + p.key() + "' on stage " + st.name()
                    + "; known: auto_unroll_max_step, unroll_explicit");
        };
    }

    private static Stage storageAlign(Stage st, Step.StorageAlign a) {
        int rank = st.compute().axes().size();
        if (a.axis() < 0 || a.axis() >= rank - 1) {
            throw new ScheduleException("storage_align of stage " + st.name() + ": axis " + a.axis() + " must name a "
                    + "dimension with a stride, 0.." + (rank - 2));
        }
        if (a.factor() <= 0 || a.offset() < 0 || a.offset() >= a.factor()) {
            throw new ScheduleException("storage_align of stage " + st.name() + ": need factor > 0 and 0 <= offset < "
                    + "factor, got factor " + a.factor() + ", offset " + a.offset());
        }
        return st.withStorageAlign(new Stage.StorageAlign(a.axis(), a.factor(), a.offset()));
    }

    // ---- compute locations

    private static Stage computeAt(State s, Stage st, Step.ComputeAt c) {
        st.compute();
        if (c.target() == c.stage()) {
            throw new ScheduleException("compute_at of stage " + st.name() + " into itself");
        }
        Stage target = s.stage(c.target());
        if (s.isOutput(c.stage())) {
            throw new ScheduleException("compute_at of stage " + st.name() + ": it is an output of the DAG and must be "
                    + "computed at root");
        }
        if (!readsThroughInlined(s, target, st) && !consumersComputedAt(s, st, c.target())) {
            throw new ScheduleException("compute_at of stage " + st.name() + " into stage " + target.name()
                    + ": " + target.name() + " does not read " + st.name() + " (nor is a stage reading it computed at "
                    + "one of " + target.name() + "'s loops)");
        }
        if (target.location() instanceof ComputeLocation.Inlined) {
            throw new ScheduleException("compute_at of stage " + st.name() + " into stage " + target.name()
                    + ", which is inlined and has no loops");
        }
        leafById(target, c.targetIter(), "compute_at target");
        for (int k = 0; k < s.stages().size(); k++) {
            Stage other = s.stage(k);
            if (k != c.target() && !(other.location() instanceof ComputeLocation.Inlined)
                    && readsThroughInlined(s, other, st) && !computedAt(other, c.target())) {
                throw new ScheduleException("compute_at of stage " + st.name() + " into " + target.name() + ": stage "
                        + other.name() + " reads it too; compute_at needs a single consumer");
            }
        }
        return st.withLocation(new ComputeLocation.At(c.target(), c.targetIter()));
    }

    private static Stage computeInline(State s, Stage st, Step.ComputeInline c) {
        if (st.compute().reduction().isPresent()) {
            throw new ScheduleException("compute_inline of stage " + st.name() + ": it is a reduction; only stages "
                    + "without reductions can be inlined");
        }
        if (s.isOutput(c.stage())) {
            throw new ScheduleException("compute_inline of stage " + st.name() + ": it is an output of the DAG");
        }
        if (st.op().numOutputs() > 1) {
            throw new ScheduleException("compute_inline of stage " + st.name() + ": it has several outputs");
        }
        for (Stage other : s.stages()) {
            if (other.location() instanceof ComputeLocation.At at && s.stage(at.stage()) == st) {
                throw new ScheduleException("compute_inline of stage " + st.name() + ": stage " + other.name()
                        + " is computed at one of its loops");
            }
        }
        return st.withLocation(ComputeLocation.INLINED);
    }

    /** True if every stage reading {@code producer} is computed at a loop of stage {@code target}. */
    private static boolean consumersComputedAt(State s, Stage producer, int target) {
        boolean any = false;
        for (Stage other : s.stages()) {
            if (!(other.location() instanceof ComputeLocation.Inlined) && readsThroughInlined(s, other, producer)) {
                if (!computedAt(other, target)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    private static boolean computedAt(Stage st, int target) {
        return st.location() instanceof ComputeLocation.At at && at.stage() == target;
    }

    /**
     * Whether {@code consumer} reads {@code producer} directly or through stages inlined into it
     * (after inlining, their reads of the producer are the consumer's own).
     */
    static boolean readsThroughInlined(State s, Stage consumer, Stage producer) {
        if (consumes(consumer, producer)) {
            return true;
        }
        if (consumer.isPlaceholder()) {
            return false;
        }
        for (Tensor t : consumer.op().inputs()) {
            for (Stage mid : s.stages()) {
                if (mid.op() == t.op() && mid.location() instanceof ComputeLocation.Inlined
                        && readsThroughInlined(s, mid, producer)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean consumes(Stage consumer, Stage producer) {
        return consumer.reads(producer);
    }

    // ---- helpers

    private static Iter leafById(Stage st, int id, String primitive) {
        st.compute();
        if (id < 0 || id >= st.iters().size()) {
            throw new ScheduleException(primitive + " in stage " + st.name() + ": no iterator with id " + id);
        }
        if (!st.leaves().contains(id)) {
            throw new ScheduleException(primitive + " in stage " + st.name() + ": iterator " + st.iter(id).name()
                    + " is no longer a loop (it was split or fused); loops are " + names(st, st.leaves()));
        }
        return st.iter(id);
    }

    private static void requireStaticExtent(Stage st, Iter it, String primitive) {
        for (int root : Extents.rootsOf(st, it.id())) {
            IterVar axis = st.rootAxis(root);
            if (dataDependent(axis.dom().min()) || dataDependent(axis.dom().extent())) {
                throw new ScheduleException(primitive + " " + st.name() + "." + it.name() + ": its extent depends on "
                        + "tensor data (" + axis.name() + " in " + axis.dom() + "); loops of data-dependent extent "
                        + "cannot be " + (primitive.endsWith("e") ? primitive + "d" : primitive));
            }
        }
    }

    static boolean dataDependent(Expr e) {
        boolean[] found = {false};
        Exprs.forEach(e, n -> found[0] |= n instanceof TensorRead);
        return found[0];
    }

    private static Iter newIter(List<Iter> iters, String name, IterKind kind) {
        Iter it = new Iter(iters.size(), name, kind, IterAnnotation.NONE);
        iters.add(it);
        return it;
    }

    private static List<Integer> replaceLeaf(List<Integer> leaves, int old, List<Integer> with) {
        List<Integer> out = new ArrayList<>();
        for (int id : leaves) {
            if (id == old) {
                out.addAll(with);
            } else {
                out.add(id);
            }
        }
        return out;
    }

    private static List<String> names(Stage st, List<Integer> ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(st.iter(id).name());
        }
        return out;
    }

    static Set<Integer> leafSet(Stage st) {
        return new HashSet<>(st.leaves());
    }
}
