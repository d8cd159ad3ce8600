package dev.lathe.autoschedule;

import dev.lathe.autoschedule.DagAnalysis.OpInfo;
import dev.lathe.autoschedule.SketchRule.Condition;
import dev.lathe.autoschedule.SketchRule.Result;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterKind;
import dev.lathe.schedule.ComputeLocation;
import dev.lathe.schedule.Extents;
import dev.lathe.schedule.Iter;
import dev.lathe.schedule.Stage;
import dev.lathe.schedule.State;
import dev.lathe.schedule.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The default sketch rules for CPU, in the order they run. */
public final class SketchRules {
    private SketchRules() {
    }

    /** Tiles per space axis in the CPU structure "SSRSRS": S0 S1 R0 S2 R1 S3. */
    static final int SPACE_LEVELS = 4;
    static final int REDUCE_LEVELS = 2;

    /** Inlines strictly inlinable (elementwise, non-output) stages. */
    public static final SketchRule ALWAYS_INLINE = rule("always-inline",
            (sk, i, a) -> info(sk, i, a).filter(OpInfo::strictInlinable).isPresent()
                    && sk.state().stage(i).location() instanceof ComputeLocation.Root
                    ? Condition.APPLY_AND_SKIP_REST : Condition.SKIP,
            (sk, i, a) -> List.of(new Result(step(sk, sk.state().apply(new Step.ComputeInline(i)), "always-inline"), i - 1)));

    /** Adds a cache-write stage to a tiled op without a fusible consumer, then tiles it fused into the copy. */
    public static final SketchRule ADD_CACHE_WRITE = rule("add-cache-write",
            (sk, i, a) -> untouched(sk, i) && info(sk, i, a).filter(o -> o.needsMultiLevelTiling()
                    && o.fusibleConsumer().isEmpty()).isPresent() ? Condition.APPLY : Condition.SKIP,
            (sk, i, a) -> {
                State s = sk.state().apply(new Step.CacheWrite(i, "local"));
                Sketch cached = step(sk, s, "add-cache-write");
                return List.of(new Result(tileFused(cached, i, i + 1, "multi-level-tiling-with-fusion"), i - 1));
            });

    /** Tiles an op into "SSRSRS" and fuses its elementwise consumer at the S1 level. */
    public static final SketchRule MULTI_LEVEL_TILING_WITH_FUSION = rule("multi-level-tiling-with-fusion",
            (sk, i, a) -> untouched(sk, i) && info(sk, i, a).filter(o -> o.needsMultiLevelTiling()
                    && o.fusibleConsumer().isPresent()).isPresent() ? Condition.APPLY_AND_SKIP_REST : Condition.SKIP,
            (sk, i, a) -> {
                int consumer = sk.state().stageIndex(info(sk, i, a).orElseThrow().fusibleConsumer().orElseThrow());
                return List.of(new Result(tileFused(sk, i, consumer, "multi-level-tiling-with-fusion"), i - 1));
            });

    /** Tiles an op that reuses data into "SSRSRS". */
    public static final SketchRule MULTI_LEVEL_TILING = rule("multi-level-tiling",
            (sk, i, a) -> untouched(sk, i) && info(sk, i, a).filter(OpInfo::needsMultiLevelTiling).isPresent()
                    ? Condition.APPLY_AND_SKIP_REST : Condition.SKIP,
            (sk, i, a) -> List.of(new Result(tile(sk, i), i - 1)));

    /** Factors a long reduction with little space parallelism into a stage of partial results. */
    public static final SketchRule ADD_RFACTOR = rule("add-rfactor",
            (sk, i, a) -> untouched(sk, i) && info(sk, i, a).filter(SketchRules::needsRfactor).isPresent()
                    && largestReduce(sk.state().stage(i)).isPresent() ? Condition.APPLY : Condition.SKIP,
            (sk, i, a) -> {
                List<Result> out = new ArrayList<>();
                for (boolean inner : new boolean[]{true, false}) {
                    out.add(new Result(rfactor(sk, i, inner), i - 1));
                }
                return out;
            });

    /**
     * Tiles the dense axes of a reduction over a data-dependent range around the sparse loop, which
     * is never split (see {@link SparseTiling}).
     */
    public static final SketchRule MULTI_LEVEL_TILING_SPARSE = SparseTiling.RULE;

    /** Leaves the stage as it is (annotation still tiles, parallelizes and vectorizes it). */
    public static final SketchRule SKIP = rule("skip",
            (sk, i, a) -> Condition.APPLY_AND_SKIP_REST,
            (sk, i, a) -> List.of(new Result(sk, i - 1)));

    /** The default rules, in order. */
    public static final List<SketchRule> DEFAULTS = List.of(ALWAYS_INLINE, ADD_CACHE_WRITE,
            MULTI_LEVEL_TILING_WITH_FUSION, MULTI_LEVEL_TILING, ADD_RFACTOR, MULTI_LEVEL_TILING_SPARSE, SKIP);

    // ---- the rules' bodies

    interface Cond {
        Condition test(Sketch sk, int stage, DagAnalysis a);
    }

    interface Apply {
        List<Result> apply(Sketch sk, int stage, DagAnalysis a);
    }

    record Builtin(String name, Cond cond, Apply body) implements SketchRule {
        @Override
        public Condition condition(Sketch sketch, int stage, DagAnalysis analysis) {
            return sketch.state().stage(stage).isPlaceholder() ? Condition.SKIP : cond.test(sketch, stage, analysis);
        }

        @Override
        public List<Result> apply(Sketch sketch, int stage, DagAnalysis analysis) {
            return body.apply(sketch, stage, analysis);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static SketchRule rule(String name, Cond cond, Apply apply) {
        return new Builtin(name, cond, apply);
    }

    static Optional<OpInfo> info(Sketch sk, int stage, DagAnalysis a) {
        return a.op(sk.state().stage(stage).name());
    }

    /** True if no step has changed the stage's loops or location yet. */
    static boolean untouched(Sketch sk, int stage) {
        Stage st = sk.state().stage(stage);
        return st.relations().isEmpty() && st.location() instanceof ComputeLocation.Root;
    }

    static boolean needsRfactor(OpInfo o) {
        return o.hasReduction() && !o.dataDependent() && !o.needsMultiLevelTiling() && o.spaceSize() >= 0
                && o.reduceSize() >= 64 && o.reduceSize() > o.spaceSize() && o.spaceSize() < 64;
    }

    private static Sketch step(Sketch sk, State s, String rule) {
        List<String> rules = new ArrayList<>(sk.rules());
        rules.add(rule);
        return new Sketch(s, sk.tiles(), sk.slots(), rules);
    }

    private static long staticExtent(Stage st, int id) {
        return Extents.of(st, id) instanceof IntImm e ? e.value() : -1;
    }

    /** Splits leaf {@code id} of stage {@code stage} with placeholder factors; returns the parts, outer to inner. */
    static List<Integer> splitSlot(List<Sketch.Tile> tiles, List<Sketch.Slot> slots, State[] s, int stage,
                                           int id, int tile, List<List<Integer>> levels) {
        Stage before = s[0].stage(stage);
        int pos = before.leaves().indexOf(id);
        slots.add(new Sketch.Slot(s[0].steps().size(), tile, levels));
        s[0] = s[0].apply(new Step.Split(stage, id, levels.stream().map(l -> 1L).toList()));
        return s[0].stage(stage).leaves().subList(pos, pos + levels.size() + 1);
    }

    /** "SSRSRS" on a stage at root. */
    static Sketch tile(Sketch sk, int i) {
        List<Sketch.Tile> tiles = new ArrayList<>(sk.tiles());
        List<Sketch.Slot> slots = new ArrayList<>(sk.slots());
        State[] s = {sk.state()};
        List<List<Integer>> space = levels(SPACE_LEVELS);
        List<List<Integer>> reduce = levels(REDUCE_LEVELS);
        List<Integer> fixedSpace = new ArrayList<>();
        List<Integer> fixedReduce = new ArrayList<>();
        List<List<Integer>> spaceGrid = emptyLevels(SPACE_LEVELS);
        List<List<Integer>> reduceGrid = emptyLevels(REDUCE_LEVELS);
        for (Iter it : s[0].stage(i).leafIters()) {
            long ext = staticExtent(s[0].stage(i), it.id());
            boolean isSpace = it.kind() == IterKind.SPACE;
            if (ext < 0) {
                (isSpace ? fixedSpace : fixedReduce).add(it.id());
                continue;
            }
            int levelCount = isSpace ? SPACE_LEVELS : REDUCE_LEVELS;
            tiles.add(new Sketch.Tile(ext, levelCount));
            List<Integer> parts = splitSlot(tiles, slots, s, i, it.id(), tiles.size() - 1,
                    (isSpace ? space : reduce).subList(1, levelCount));
            for (int l = 0; l < parts.size(); l++) {
                (isSpace ? spaceGrid : reduceGrid).get(l).add(parts.get(l));
            }
        }
        // S0 S1 R0 S2 R1 S3, with untiled space loops outermost and untiled reduce loops at R0.
        List<Integer> order = new ArrayList<>(fixedSpace);
        order.addAll(spaceGrid.get(0));
        order.addAll(spaceGrid.get(1));
        order.addAll(fixedReduce);
        order.addAll(reduceGrid.get(0));
        order.addAll(spaceGrid.get(2));
        order.addAll(reduceGrid.get(1));
        order.addAll(spaceGrid.get(3));
        s[0] = s[0].apply(new Step.Reorder(i, order));
        return new Sketch(s[0], tiles, slots, append(sk.rules(), "multi-level-tiling"));
    }

    /**
     * Tiles stage {@code p} into "SRSRS" under the S1 level of its elementwise consumer {@code c}:
     * {@code c} is split into S0, S1 and the rest, {@code p} is computed at c's last S1 loop.
     */
    static Sketch tileFused(Sketch sk, int p, int c, String rule) {
        List<Sketch.Tile> tiles = new ArrayList<>(sk.tiles());
        List<Sketch.Slot> slots = new ArrayList<>(sk.slots());
        State[] s = {sk.state()};
        Stage producer = s[0].stage(p);
        Stage consumer = s[0].stage(c);
        List<Iter> cSpace = consumer.leafIters();
        List<Integer> pSpace = producer.leafIters().stream().filter(it -> it.kind() == IterKind.SPACE).map(Iter::id).toList();
        for (int d = 0; d < cSpace.size(); d++) {
            if (staticExtent(consumer, cSpace.get(d).id()) < 0) {
                return tile(sk, p);
            }
        }
        List<List<Integer>> cLevels = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            cLevels.add(new ArrayList<>());
        }
        int firstTile = tiles.size();
        for (Iter it : cSpace) {
            tiles.add(new Sketch.Tile(staticExtent(consumer, it.id()), SPACE_LEVELS));
            List<Integer> parts = splitSlot(tiles, slots, s, c, it.id(), tiles.size() - 1, List.of(List.of(1), List.of(2, 3)));
            for (int l = 0; l < 3; l++) {
                cLevels.get(l).add(parts.get(l));
            }
        }
        List<Integer> cOrder = new ArrayList<>();
        cLevels.forEach(cOrder::addAll);
        s[0] = s[0].apply(new Step.Reorder(c, cOrder));
        if (!cLevels.get(1).isEmpty()) {
            // Elementwise stages between p and c stay inlined (c reads p through them); one that is
            // not inlined is computed at the same loop, so that p's consumers are all there.
            for (int mid : between(s[0], p, c).reversed()) {
                if (!(s[0].stage(mid).location() instanceof ComputeLocation.Inlined)) {
                    s[0] = s[0].apply(new Step.ComputeAt(mid, c, cLevels.get(1).getLast()));
                }
            }
            s[0] = s[0].apply(new Step.ComputeAt(p, c, cLevels.get(1).getLast()));
        }
        List<List<Integer>> pLevels = new ArrayList<>();
        for (int l = 0; l < 5; l++) {
            pLevels.add(new ArrayList<>());
        }
        for (int d = 0; d < pSpace.size(); d++) {
            List<Integer> parts = splitSlot(tiles, slots, s, p, pSpace.get(d), firstTile + d, List.of(List.of(2), List.of(3)));
            pLevels.get(0).add(parts.get(0));
            pLevels.get(2).add(parts.get(1));
            pLevels.get(4).add(parts.get(2));
        }
        for (Iter it : s[0].stage(p).leafIters()) {
            if (it.kind() != IterKind.REDUCE) {
                continue;
            }
            long ext = staticExtent(s[0].stage(p), it.id());
            if (ext < 0) {
                pLevels.get(1).add(it.id());
                continue;
            }
            tiles.add(new Sketch.Tile(ext, REDUCE_LEVELS));
            List<Integer> parts = splitSlot(tiles, slots, s, p, it.id(), tiles.size() - 1, List.of(List.of(1)));
            pLevels.get(1).add(parts.get(0));
            pLevels.get(3).add(parts.get(1));
        }
        List<Integer> pOrder = new ArrayList<>();
        pLevels.forEach(pOrder::addAll);
        s[0] = s[0].apply(new Step.Reorder(p, pOrder));
        return new Sketch(s[0], tiles, slots, append(sk.rules(), rule));
    }

    /** The stages on the single-consumer chain from {@code p} to {@code c}, exclusive, producers first. */
    static List<Integer> between(State s, int p, int c) {
        List<Integer> out = new ArrayList<>();
        int cur = p;
        while (true) {
            int next = -1;
            dev.lathe.te.Operation producer = s.stage(cur).op();
            for (int k = cur + 1; k < s.stages().size(); k++) {
                Stage st = s.stage(k);
                if (!st.isPlaceholder() && st.op().inputs().stream().anyMatch(t -> t.op() == producer)) {
                    next = k;
                    break;
                }
            }
            if (next < 0 || next == c) {
                return out;
            }
            out.add(next);
            cur = next;
        }
    }

    static Optional<Integer> largestReduce(Stage st) {
        Integer best = null;
        long bestExt = 0;
        for (int r = 0; r < st.numRoots(); r++) {
            long e = st.iter(r).kind() == IterKind.REDUCE && st.leaves().contains(r) ? staticExtent(st, r) : -1;
            if (e > bestExt) {
                best = r;
                bestExt = e;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Splits the longest reduce axis and makes its inner (or outer) part a space axis of a partial-results stage. */
    static Sketch rfactor(Sketch sk, int i, boolean inner) {
        List<Sketch.Tile> tiles = new ArrayList<>(sk.tiles());
        List<Sketch.Slot> slots = new ArrayList<>(sk.slots());
        State[] s = {sk.state()};
        Stage st = s[0].stage(i);
        int k = largestReduce(st).orElseThrow();
        tiles.add(new Sketch.Tile(staticExtent(st, k), REDUCE_LEVELS));
        List<Integer> parts = splitSlot(tiles, slots, s, i, k, tiles.size() - 1, List.of(List.of(1)));
        int axis = st.compute().axes().size();
        s[0] = s[0].apply(new Step.Rfactor(i, parts.get(inner ? 1 : 0), axis));
        return new Sketch(s[0], tiles, slots, append(sk.rules(), "add-rfactor"));
    }

    private static List<List<Integer>> emptyLevels(int n) {
        List<List<Integer>> out = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            out.add(new ArrayList<>());
        }
        return out;
    }

    private static List<List<Integer>> levels(int n) {
        List<List<Integer>> out = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            out.add(List.of(l));
        }
        return out;
    }

    private static List<String> append(List<String> rules, String rule) {
        List<String> out = new ArrayList<>(rules);
        out.add(rule);
        return out;
    }
}
