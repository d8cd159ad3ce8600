package dev.lathe.autoschedule;

import dev.lathe.autoschedule.SketchRule.Condition;
import dev.lathe.autoschedule.SketchRule.Result;
import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterKind;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Var;
import dev.lathe.schedule.Extents;
import dev.lathe.schedule.Iter;
import dev.lathe.schedule.Stage;
import dev.lathe.schedule.State;
import dev.lathe.schedule.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The default rule for a reduction over a data-dependent range (a sparse row's stored entries or
 * blocks, bounds read from {@code indptr}): the sparse loop is never split; the space axes its
 * range reads ("row" axes) stay outside it, except the part inside a block
 * ({@code floordiv(row, B)} in the bound: the row is split by B and the in-block part may go
 * inside); every other space axis is tiled in four tuned levels around it:
 * <pre>
 * rows.0, dense.0, dense.1, sparse, block cols, dense.2, {rows.1, dense.3 | dense.3, rows.1}
 * </pre>
 * with the output's innermost axis last, so that the vectorized loop is contiguous in the output
 * (the block's rows of a sparse fully-connected layer, the dense columns of a BSR × dense product).
 */
final class SparseTiling {
    private SparseTiling() {
    }

    static final String NAME = "multi-level-tiling-sparse";

    static final SketchRule RULE = new SketchRules.Builtin(NAME,
            (sk, i, a) -> SketchRules.untouched(sk, i) && SketchRules.info(sk, i, a)
                    .filter(o -> o.dataDependent() && o.hasReduction() && o.spaceSize() > 0).isPresent()
                    && plan(sk.state().stage(i)) != null ? Condition.APPLY_AND_SKIP_REST : Condition.SKIP,
            (sk, i, a) -> {
                List<Result> out = new ArrayList<>();
                Sketch cached = withCacheWrite(sk, i);
                if (cached != null) {
                    out.add(new Result(cached, i - 1));
                }
                out.add(new Result(apply(sk, i), i - 1));
                return out;
            });

    /** How the stage's root axes take part: the sparse reduce axes, and each row axis's block (1: whole). */
    record Plan(Set<Integer> sparse, List<Long> rowBlock) {
    }

    /** The plan, or null when the stage is not a reduction over a data-dependent range this rule can tile. */
    static Plan plan(Stage st) {
        List<IterVar> axes = dev.lathe.te.ComputeDag.iterators(st.compute());
        Set<Integer> sparse = new HashSet<>();
        List<Long> block = new ArrayList<>();
        for (int r = 0; r < axes.size(); r++) {
            block.add(0L);
        }
        for (int r = 0; r < axes.size(); r++) {
            IterVar ax = axes.get(r);
            boolean dd = readsTensor(ax.dom().min()) || readsTensor(ax.dom().extent());
            if (ax.kind() == IterKind.REDUCE && dd) {
                sparse.add(r);
                for (Expr bound : List.of(ax.dom().min(), ax.dom().extent())) {
                    for (int s = 0; s < axes.size(); s++) {
                        if (axes.get(s).kind() != IterKind.SPACE || !Exprs.vars(bound).contains(axes.get(s).var())) {
                            continue;
                        }
                        long b = blockOf(bound, axes.get(s).var());
                        long prev = block.get(s);
                        block.set(s, prev == 0 || prev == b ? b : 1);
                    }
                }
            } else if (ax.kind() == IterKind.REDUCE && !(ax.dom().extent() instanceof IntImm)) {
                return null;
            }
        }
        for (int r = 0; r < axes.size(); r++) {
            if (axes.get(r).kind() == IterKind.SPACE && Extents.constant(st, r) < 0) {
                return null;
            }
            long b = block.get(r);
            if (b > 1 && Extents.constant(st, r) % b != 0) {
                block.set(r, 1L);
            }
        }
        return sparse.isEmpty() ? null : new Plan(sparse, block);
    }

    /**
     * What the static mode needs to size a sparse stage's register tile: the stage (by name), the
     * rows of one block that the tile holds whole (the product of the row axes' blocks; 1 for CSR),
     * and whether those rows are the output's innermost axis, hence the vectorized loop.
     */
    record RegisterTile(String stage, long blockRows, boolean rowsInnermost) {
    }

    /**
     * The tiles of {@code sk} that this rule made, by tile index: a tile belongs to a sparse stage
     * when one of its split steps cuts a stage with a plan (the accumulator of the cache-write
     * variant, or the stage itself). Empty for sketches this rule did not touch.
     */
    static Map<Integer, RegisterTile> registerTiles(Sketch sk) {
        Map<Integer, RegisterTile> out = new HashMap<>();
        if (!sk.rules().contains(NAME)) {
            return out;
        }
        List<Step> steps = sk.state().steps();
        for (Sketch.Slot slot : sk.slots()) {
            if (out.containsKey(slot.tile()) || !(steps.get(slot.step()) instanceof Step.Split split)) {
                continue;
            }
            // The stage as the split saw it: later cache stages may have shifted the indices.
            Stage st = State.replay(sk.state().original(), steps.subList(0, slot.step())).stage(split.stage());
            Plan plan = plan(st);
            if (plan == null) {
                continue;
            }
            long rows = 1;
            int lastSpace = -1;
            List<IterVar> axes = dev.lathe.te.ComputeDag.iterators(st.compute());
            for (int r = 0; r < axes.size(); r++) {
                if (axes.get(r).kind() == IterKind.SPACE) {
                    lastSpace = r;
                    rows *= Math.max(1, plan.rowBlock().get(r));
                }
            }
            boolean innermost = lastSpace >= 0 && plan.rowBlock().get(lastSpace) > 1;
            out.put(slot.tile(), new RegisterTile(st.name(), rows, innermost));
        }
        return out;
    }

    /** B if {@code v} occurs in {@code e} only as {@code floordiv(v, B)} with one literal B, else 1. */
    private static long blockOf(Expr e, Var v) {
        long[] b = {0};
        boolean[] bare = {false};
        scan(e, v, b, bare);
        return bare[0] || b[0] <= 0 ? 1 : b[0];
    }

    private static void scan(Expr e, Var v, long[] b, boolean[] bare) {
        if (e instanceof Binary bin && bin.op() == BinaryOp.FLOORDIV && bin.a().equals(v) && bin.b() instanceof IntImm k) {
            b[0] = b[0] == 0 || b[0] == k.value() ? k.value() : -1;
            return;
        }
        if (e.equals(v)) {
            bare[0] = true;
            return;
        }
        for (Expr child : Exprs.children(e)) {
            scan(child, v, b, bare);
        }
    }

    private static boolean readsTensor(Expr e) {
        boolean[] found = {false};
        Exprs.forEach(e, n -> found[0] |= n instanceof dev.lathe.ir.TensorRead);
        return found[0];
    }

    /**
     * The variant with a register accumulator: a {@code local} cache-write stage computed at the
     * output's second dense level, covering whole block rows, with the sparse structure inside:
     * <pre>
     * out: rows.0, dense.0, dense.1, {rows.1, dense.23 | dense.23, rows.1} =>
     *     local: rows, dense.rest, sparse, block cols, dense.2, {rows.1, dense.3 | dense.3, rows.1}
     * </pre>
     * Null when the op has no dense axis to tile (the accumulator would be the whole output).
     */
    static Sketch withCacheWrite(Sketch sk, int i) {
        Plan plan = plan(sk.state().stage(i));
        List<Sketch.Tile> tiles = new ArrayList<>(sk.tiles());
        List<Sketch.Slot> slots = new ArrayList<>(sk.slots());
        State[] s = {sk.state().apply(new Step.CacheWrite(i, "local"))};
        int out = i + 1;
        List<Iter> outSpace = List.copyOf(s[0].stage(out).leafIters());
        List<Integer> cRows = new ArrayList<>();
        List<Integer> cRowsInner = new ArrayList<>();
        List<List<Integer>> cDense = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Integer> tileOf = new ArrayList<>();
        boolean outRowInnermost = false;
        for (int d = 0; d < outSpace.size(); d++) {
            int id = outSpace.get(d).id();
            long block = plan.rowBlock().get(d);
            long ext = Extents.constant(s[0].stage(out), id);
            tileOf.add(-1);
            if (block == 1) {
                cRows.add(id);
            } else if (block > 1) {
                int pos = s[0].stage(out).leaves().indexOf(id);
                s[0] = s[0].apply(new Step.Split(out, id, List.of(block)));
                cRows.add(s[0].stage(out).leaves().get(pos));
                cRowsInner.add(s[0].stage(out).leaves().get(pos + 1));
                outRowInnermost |= d == outSpace.size() - 1;
            } else if (ext > 1) {
                tiles.add(new Sketch.Tile(ext, SketchRules.SPACE_LEVELS));
                tileOf.set(d, tiles.size() - 1);
                List<Integer> parts = SketchRules.splitSlot(tiles, slots, s, out, id, tiles.size() - 1,
                        List.of(List.of(1), List.of(2, 3)));
                for (int l = 0; l < 3; l++) {
                    cDense.get(l).add(parts.get(l));
                }
            } else {
                cRows.add(id);
            }
        }
        if (cDense.get(1).isEmpty()) {
            return null;
        }
        List<Integer> cOrder = new ArrayList<>(cRows);
        cOrder.addAll(cDense.get(0));
        cOrder.addAll(cDense.get(1));
        // The copy out of the accumulator vectorizes its innermost loop: the output's innermost axis.
        if (outRowInnermost) {
            cOrder.addAll(cDense.get(2));
            cOrder.addAll(cRowsInner);
        } else {
            cOrder.addAll(cRowsInner);
            cOrder.addAll(cDense.get(2));
        }
        s[0] = s[0].apply(new Step.Reorder(out, cOrder));
        s[0] = s[0].apply(new Step.ComputeAt(i, out, cDense.get(1).getLast()));

        List<Integer> rowsOuter = new ArrayList<>();
        List<Integer> rowsInner = new ArrayList<>();
        List<Integer> denseOuter = new ArrayList<>();
        List<Integer> dense2 = new ArrayList<>();
        List<Integer> dense3 = new ArrayList<>();
        List<Integer> sparse = new ArrayList<>();
        List<Integer> blockReduce = new ArrayList<>();
        boolean rowInnermost = false;
        int d = 0;
        for (Iter it : List.copyOf(s[0].stage(i).leafIters())) {
            int id = it.id();
            if (it.kind() == IterKind.REDUCE) {
                (plan.sparse().contains(id) ? sparse : blockReduce).add(id);
                continue;
            }
            long block = plan.rowBlock().get(d);
            if (tileOf.get(d) >= 0) {
                List<Integer> parts = SketchRules.splitSlot(tiles, slots, s, i, id, tileOf.get(d),
                        List.of(List.of(2), List.of(3)));
                denseOuter.add(parts.get(0));
                dense2.add(parts.get(1));
                dense3.add(parts.get(2));
            } else if (block > 1) {
                int pos = s[0].stage(i).leaves().indexOf(id);
                s[0] = s[0].apply(new Step.Split(i, id, List.of(block)));
                rowsOuter.add(s[0].stage(i).leaves().get(pos));
                rowsInner.add(s[0].stage(i).leaves().get(pos + 1));
                rowInnermost |= d == outSpace.size() - 1;
            } else {
                rowsOuter.add(id);
            }
            d++;
        }
        List<Integer> order = new ArrayList<>(rowsOuter);
        order.addAll(denseOuter);
        order.addAll(sparse);
        order.addAll(blockReduce);
        order.addAll(dense2);
        if (rowInnermost) {
            order.addAll(dense3);
            order.addAll(rowsInner);
        } else {
            order.addAll(rowsInner);
            order.addAll(dense3);
        }
        s[0] = s[0].apply(new Step.Reorder(i, order));
        List<String> rules = new ArrayList<>(sk.rules());
        rules.add("add-cache-write");
        rules.add(NAME);
        return new Sketch(s[0], tiles, slots, rules);
    }

    static Sketch apply(Sketch sk, int i) {
        List<Sketch.Tile> tiles = new ArrayList<>(sk.tiles());
        List<Sketch.Slot> slots = new ArrayList<>(sk.slots());
        State[] s = {sk.state()};
        Plan plan = plan(s[0].stage(i));
        List<Integer> rowsOuter = new ArrayList<>();
        List<Integer> rowsInner = new ArrayList<>();
        List<Integer> sparse = new ArrayList<>();
        List<Integer> blockReduce = new ArrayList<>();
        List<List<Integer>> dense = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int lastSpace = -1;
        for (Iter it : s[0].stage(i).leafIters()) {
            if (it.kind() == IterKind.SPACE) {
                lastSpace = it.id();
            }
        }
        boolean rowInnermost = false;
        for (Iter it : List.copyOf(s[0].stage(i).leafIters())) {
            int id = it.id();
            long ext = Extents.constant(s[0].stage(i), id);
            if (plan.sparse().contains(id)) {
                sparse.add(id);
            } else if (it.kind() == IterKind.REDUCE) {
                blockReduce.add(id);
            } else if (plan.rowBlock().get(id) == 1) {
                rowsOuter.add(id);
            } else if (plan.rowBlock().get(id) > 1) {
                int pos = s[0].stage(i).leaves().indexOf(id);
                s[0] = s[0].apply(new Step.Split(i, id, List.of(plan.rowBlock().get(id))));
                rowsOuter.add(s[0].stage(i).leaves().get(pos));
                rowsInner.add(s[0].stage(i).leaves().get(pos + 1));
                rowInnermost |= id == lastSpace;
            } else if (ext > 1) {
                tiles.add(new Sketch.Tile(ext, SketchRules.SPACE_LEVELS));
                List<Integer> parts = SketchRules.splitSlot(tiles, slots, s, i, id, tiles.size() - 1,
                        List.of(List.of(1), List.of(2), List.of(3)));
                for (int l = 0; l < parts.size(); l++) {
                    dense.get(l).add(parts.get(l));
                }
            } else {
                dense.getFirst().add(id);
            }
        }
        List<Integer> order = new ArrayList<>(rowsOuter);
        order.addAll(dense.get(0));
        order.addAll(dense.get(1));
        order.addAll(sparse);
        order.addAll(blockReduce);
        order.addAll(dense.get(2));
        if (rowInnermost) {
            order.addAll(dense.get(3));
            order.addAll(rowsInner);
        } else {
            order.addAll(rowsInner);
            order.addAll(dense.get(3));
        }
        s[0] = s[0].apply(new Step.Reorder(i, order));
        List<String> rules = new ArrayList<>(sk.rules());
        rules.add(NAME);
        return new Sketch(s[0], tiles, slots, rules);
    }
}
