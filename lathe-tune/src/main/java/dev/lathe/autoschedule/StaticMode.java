package dev.lathe.autoschedule;

import dev.lathe.build.Build;
import dev.lathe.codegen.CodegenC;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterKind;
import dev.lathe.measure.Target;
import dev.lathe.schedule.ComputeLocation;
import dev.lathe.schedule.Extents;
import dev.lathe.schedule.Iter;
import dev.lathe.schedule.IterAnnotation;
import dev.lathe.schedule.Stage;
import dev.lathe.schedule.State;
import dev.lathe.schedule.Step;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Var;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.Operation;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A schedule without measurements: the sketch rules give the structure, machine-aware heuristics
 * give the numbers.
 * <ul>
 * <li>Sketch: the one with a cache-write (or fused) multi-level tiling is preferred; rfactor sketches
 *     only when nothing else tiles.</li>
 * <li>Tile lengths: {@link StaticTileSizes} (a register tile of 2 vectors × as many rows as registers
 *     allow, unrolled rows and vectorized columns; reductions whole inside it).</li>
 * <li>Every stage at root with at least {@link #MIN_PARALLEL_WORK} iterations: its leading space loops fused to
 *     at least 2 × cores iterations and parallel; every stage: its
 *     innermost space loop vectorized (split to at most 2 vectors' worth first when it is long), explicit
 *     unrolling of short loops around register tiles and {@code auto_unroll_max_step} 16 elsewhere.</li>
 * </ul>
 * Whatever the DAG, a schedule is returned: if the heuristic schedule does not lower or generate code, a
 * random annotation of a sketch (fixed seed), else the initial state.
 */
public final class StaticMode {
    static final int AUTO_UNROLL = 16;
    /** Stages of fewer loop iterations than this (static extents) are not parallelized: too little work per region. */
    static final long MIN_PARALLEL_WORK = 1 << 18;

    private StaticMode() {
    }

    /** A schedule of {@code dag} for {@code target}, chosen without measuring anything. */
    public static State schedule(ComputeDag dag, Target target) {
        try {
            SketchPolicy policy = new SketchPolicy(dag);
            List<Sketch> sketches = policy.sketches();
            for (Sketch sk : ranked(sketches)) {
                State s = program(sk, StaticTileSizes.tileSizes(sk, target), target);
                if (s != null) {
                    return s;
                }
            }
            Random rng = new Random(0);
            for (int k = 0; k < 8 && !sketches.isEmpty(); k++) {
                State s = RandomAnnotation.annotate(sketches.get(k % sketches.size()), rng);
                if (generates(s)) {
                    return s;
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            // Fall through to the initial state.
        }
        return State.initial(dag);
    }

    /**
     * The static mode's choice as a genotype of {@code policy}'s sketches: the preferred sketch that
     * generates code, its heuristic tile lengths, and the {@link #STYLE} choice that makes
     * {@link EvolutionarySearch#decode} annotate it with these heuristics. Empty when no sketch gives a
     * program this way (the static mode then falls back to random annotation).
     */
    static java.util.Optional<Genotype> genotype(SketchPolicy policy, Target target) {
        try {
            List<Sketch> sketches = policy.sketches();
            for (Sketch sk : ranked(sketches)) {
                long[][] tiles = StaticTileSizes.tileSizes(sk, target);
                if (program(sk, tiles, target) != null) {
                    return java.util.Optional.of(new Genotype(sketches.indexOf(sk), tiles, Map.of(STYLE, 1)));
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            // No static genotype.
        }
        return java.util.Optional.empty();
    }

    /**
     * The choice key that marks a genotype decoded by these heuristics instead of random annotation;
     * its form cannot collide with a {@code "<stage>:<decision>"} key of {@link RandomAnnotation}.
     */
    static final String STYLE = "all:static";

    /**
     * {@code sketch} with the given tile lengths, annotated by the heuristics and packed where it pays:
     * null when a step fails or the program does not generate code.
     */
    static State program(Sketch sketch, long[][] tiles, Target target) {
        State s = annotate(sketch, tiles, target);
        if (s == null || !generates(s)) {
            return null;
        }
        State packed = pack(s, target);
        return packed != s && generates(packed) ? packed : s;
    }

    /** Sketches by preference: cache-write or fused tiling first, rfactor last, generation order otherwise. */
    static List<Sketch> ranked(List<Sketch> sketches) {
        List<Sketch> out = new ArrayList<>(sketches);
        out.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        return out;
    }

    private static int rank(Sketch sk) {
        List<String> r = sk.rules();
        if (r.contains("add-rfactor")) {
            return 3;
        }
        if (r.contains("add-cache-write")) {
            return 0;
        }
        if (r.contains("multi-level-tiling-with-fusion")) {
            return 1;
        }
        return 2;
    }

    static boolean generates(State s) {
        try {
            CodegenC.generate(Build.lower(s, "static_check"));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The sketch with the given tile lengths and heuristic annotations, or null if a step fails. */
    static State annotate(Sketch sketch, long[][] tiles, Target target) {
        State s;
        try {
            s = keepGatheredStagesAtRoot(keepSharedStagesAtRoot(sketch.fill(tiles)));
        } catch (RuntimeException e) {
            return null;
        }
        for (int i = s.stages().size() - 1; i >= 0; i--) {
            Stage st = s.stage(i);
            if (st.isPlaceholder() || st.location() instanceof ComputeLocation.Inlined) {
                continue;
            }
            boolean untouched = st.relations().isEmpty() && st.location() instanceof ComputeLocation.Root;
            if (untouched) {
                s = contiguousSpaceInnermost(s, i);
                s = splitInnermost(s, i, target);
            }
            s = vectorize(s, i);
            State u = unrollAroundVector(s, i);
            boolean unrolled = u != s;
            s = u;
            if (s.stage(i).location() instanceof ComputeLocation.Root) {
                s = parallel(s, i, target);
                s = unrolled ? tryApply(s, new Step.Pragma(i, "unroll_explicit", 1))
                        : tryApply(s, new Step.Pragma(i, "auto_unroll_max_step", AUTO_UNROLL));
            } else if (unrolled) {
                s = tryApply(s, new Step.Pragma(i, "unroll_explicit", 1));
            }
        }
        return s;
    }

    /**
     * Undoes the inlining of two kinds of elementwise stages. Stages read by several stages (the
     * exponentials of a softmax, read by its sum and its division): inlined, they would be computed once
     * per reader. And stages whose value is chosen by a condition on their innermost axis (the padding of
     * an NCHW convolution, conditional on the column): inlined into a consumer vectorized along that
     * axis, the condition differs per lane and every read becomes a guarded scalar read per lane, while a
     * padded copy is read with plain vector loads.
     */
    static State keepSharedStagesAtRoot(State s) {
        Map<Operation, List<Operation>> consumers = s.dag().consumers();
        return keepAtRoot(s, op -> consumers.getOrDefault(op, List.of()).size() > 1
                || op instanceof ComputeOp c && conditionalOnInnermostAxis(c));
    }

    /**
     * Undoes the inlining of a stage into a consumer that gathers from it at indices read from
     * tensor data (a sparse convolution's padded input, read at the window position of each stored
     * column): inlined, its boundary test and index arithmetic would run once per multiply-add of
     * the sparse loop, instead of once per element.
     */
    static State keepGatheredStagesAtRoot(State s) {
        Map<Operation, List<Operation>> consumers = s.dag().consumers();
        return keepAtRoot(s, op -> consumers.getOrDefault(op, List.of()).stream()
                .anyMatch(c -> c instanceof ComputeOp co && DagAnalysis.dataDependent(co)));
    }

    private static State keepAtRoot(State s, java.util.function.Predicate<Operation> keep) {
        List<Step> steps = new ArrayList<>();
        boolean changed = false;
        for (Step step : s.steps()) {
            if (step instanceof Step.ComputeInline in && keep.test(s.stage(in.stage()).op())) {
                changed = true;
                continue;
            }
            steps.add(step);
        }
        if (!changed) {
            return s;
        }
        try {
            return State.replay(s.original(), steps);
        } catch (RuntimeException e) {
            return s;
        }
    }

    /** True if a select in {@code op}'s body has a condition that uses the op's innermost space axis. */
    private static boolean conditionalOnInnermostAxis(ComputeOp op) {
        if (op.axes().isEmpty()) {
            return false;
        }
        Var last = op.axes().getLast().var();
        boolean[] found = {false};
        for (Expr b : op.bodies()) {
            Exprs.forEach(b, n -> {
                if (n instanceof dev.lathe.ir.Select sel && Exprs.vars(sel.cond()).contains(last)) {
                    found[0] = true;
                }
            });
        }
        return found[0];
    }

    /**
     * In an untiled stage whose innermost loop is a reduction: moves the last space axis innermost when
     * every read indexes by it only in its last dimension (unit stride, so it vectorizes; a BSR or CSR
     * product's dense operand), and leaves the stage alone otherwise (a row reduction of a softmax).
     */
    private static State contiguousSpaceInnermost(State s, int i) {
        Stage st = s.stage(i);
        List<Iter> leaves = st.leafIters();
        if (leaves.isEmpty() || leaves.getLast().kind() != IterKind.REDUCE) {
            return s;
        }
        ComputeOp op = st.compute();
        if (op.axes().isEmpty() || leaves.size() != st.numRoots()) {
            return s;
        }
        int axis = op.axes().size() - 1;
        Var v = op.axes().get(axis).var();
        boolean[] ok = {true};
        for (Expr b : op.bodies()) {
            Exprs.forEach(b, n -> {
                if (n instanceof TensorRead r) {
                    List<Expr> idx = r.indices();
                    for (int d = 0; d < idx.size(); d++) {
                        boolean uses = Exprs.vars(idx.get(d)).contains(v);
                        if (uses && (d != idx.size() - 1 || !idx.get(d).equals(v))) {
                            ok[0] = false;
                        }
                    }
                }
            });
        }
        if (!ok[0] || extent(st, st.iter(axis)) <= 1) {
            return s;
        }
        List<Integer> order = new ArrayList<>(st.leaves());
        order.remove(Integer.valueOf(axis));
        order.add(axis);
        State moved = tryApply(s, new Step.Reorder(i, order));
        if (moved == s) {
            return s;
        }
        // Split off the vector part now, and put the rest of the axis outside the reductions.
        long ext = extent(moved.stage(i), moved.stage(i).iter(axis));
        long f = StaticTileSizes.largestDivisor(ext, RandomAnnotation.MAX_INNERMOST);
        if (ext <= RandomAnnotation.MAX_INNERMOST || f < 4) {
            return moved;
        }
        State split = tryApply(moved, new Step.Split(i, axis, List.of(f)));
        if (split == moved) {
            return moved;
        }
        List<Integer> leafIds = new ArrayList<>(split.stage(i).leaves());
        int outer = leafIds.get(leafIds.size() - 2);
        leafIds.remove(leafIds.size() - 2);
        int firstReduce = 0;
        while (firstReduce < leafIds.size() && split.stage(i).iter(leafIds.get(firstReduce)).kind() != IterKind.REDUCE) {
            firstReduce++;
        }
        leafIds.add(firstReduce, outer);
        return tryApply(split, new Step.Reorder(i, leafIds));
    }

    /**
     * Packs the reused operand of a register-tiled stage: an input larger than L2 whose reads do not
     * depend on the tile's row axis (B of a matmul) is copied, per iteration of the consumer's outer
     * (parallel) loop, into a contiguous panel that the row tiles then read with unit stride.
     */
    static State pack(State s, Target target) {
        for (int i = 0; i < s.stages().size(); i++) {
            Stage st = s.stage(i);
            if (st.isPlaceholder() || !st.name().endsWith(".local")
                    || !(st.location() instanceof ComputeLocation.At at)) {
                continue;
            }
            int consumer = at.stage();
            List<Iter> cLeaves = s.stage(consumer).leafIters();
            if (cLeaves.isEmpty() || cLeaves.getFirst().annotation() != IterAnnotation.PARALLEL) {
                continue;
            }
            ComputeOp op = st.compute();
            for (var input : op.inputs()) {
                if (!(input.op() instanceof dev.lathe.te.PlaceholderOp) || input.ndim() != 2) {
                    continue;
                }
                long bytes = 4;
                for (Expr e : input.shape()) {
                    bytes *= e instanceof IntImm v ? v.value() : 0;
                }
                if (bytes <= target.l2Bytes() || readsRowAxis(op, input)) {
                    continue;
                }
                try {
                    State p = s.apply(new Step.CacheRead(s.stageIndex(input.op().name()), "shared",
                            List.of(s.stageIndex(st.name()))));
                    int packed = p.stageIndex(input.op().name() + ".shared");
                    int c = p.stageIndex(s.stage(consumer).name());
                    p = p.apply(new Step.ComputeAt(packed, c, p.stage(c).leaves().getFirst()));
                    List<Integer> leaves = p.stage(packed).leaves();
                    return tryApply(p, new Step.Annotate(packed, leaves.getLast(), IterAnnotation.VECTORIZE));
                } catch (RuntimeException e) {
                    // Not packable: keep the schedule.
                }
            }
        }
        return s;
    }

    /** True if {@code t} is read at an index using any space axis but the op's last (the rows of its tiles). */
    private static boolean readsRowAxis(ComputeOp op, Tensor t) {
        Set<Var> rows = new HashSet<>();
        for (int a = 0; a < op.axes().size() - 1; a++) {
            rows.add(op.axes().get(a).var());
        }
        boolean[] found = {false};
        for (Expr b : op.bodies()) {
            Exprs.forEach(b, n -> {
                if (n instanceof TensorRead r && r.tensor().equals(t)) {
                    r.indices().forEach(ix -> Exprs.vars(ix).forEach(v -> found[0] |= rows.contains(v)));
                }
            });
        }
        return found[0];
    }

    /** In an untiled stage whose innermost loop is a long space loop: splits off up to 2 vectors' worth. */
    private static State splitInnermost(State s, int i, Target target) {
        List<Iter> leaves = s.stage(i).leafIters();
        if (leaves.isEmpty()) {
            return s;
        }
        Iter last = leaves.getLast();
        long ext = extent(s.stage(i), last);
        if (last.kind() != IterKind.SPACE || ext <= RandomAnnotation.MAX_INNERMOST) {
            return s;
        }
        int lanes = Math.max(1, target.lanesF32());
        long f = 0;
        for (long d = 4L * lanes; d >= lanes; d -= lanes) {
            if (ext % d == 0) {
                f = d;
                break;
            }
        }
        if (f == 0) {
            f = StaticTileSizes.largestDivisor(ext, 2L * lanes);
            if (f < lanes / 2) {
                f = lanes;
            }
        }
        return tryApply(s, new Step.Split(i, last.id(), List.of(f)));
    }

    /** Vectorizes the innermost loop when it is a short space loop of static extent, not a compute_at target. */
    private static State vectorize(State s, int i) {
        List<Iter> leaves = s.stage(i).leafIters();
        if (leaves.isEmpty()) {
            return s;
        }
        Iter last = leaves.getLast();
        long ext = extent(s.stage(i), last);
        if (last.kind() != IterKind.SPACE || ext <= 1 || ext > RandomAnnotation.MAX_INNERMOST
                || last.annotation() != IterAnnotation.NONE || attached(s, i).contains(last.id())) {
            return s;
        }
        return tryApply(s, new Step.Annotate(i, last.id(), IterAnnotation.VECTORIZE));
    }

    /**
     * Unrolls the space loops right around a vectorized innermost loop (the rows of a register tile), while
     * they are static and at most 16 iterations together.
     */
    private static State unrollAroundVector(State s, int i) {
        List<Iter> leaves = s.stage(i).leafIters();
        if (leaves.size() < 2 || leaves.getLast().annotation() != IterAnnotation.VECTORIZE) {
            return s;
        }
        Set<Integer> attached = attached(s, i);
        long product = 1;
        State out = s;
        for (int k = leaves.size() - 2; k >= 0; k--) {
            Iter it = leaves.get(k);
            long ext = extent(s.stage(i), it);
            if (it.kind() != IterKind.SPACE || ext < 1 || it.annotation() != IterAnnotation.NONE
                    || attached.contains(it.id()) || product * ext > 16) {
                break;
            }
            product *= ext;
            if (ext > 1) {
                out = tryApply(out, new Step.Annotate(i, it.id(), IterAnnotation.UNROLL));
            }
        }
        return out;
    }

    /** Fuses the fewest leading space loops (none a compute_at target) that give 2 × cores iterations, and parallelizes them. */
    private static State parallel(State s, int i, Target target) {
        long work = work(s.stage(i));
        for (Stage other : s.stages()) {
            if (other.location() instanceof ComputeLocation.At at && at.stage() == i) {
                work += work(other);
            }
        }
        if (work < MIN_PARALLEL_WORK) {
            return s;
        }
        Set<Integer> attached = attached(s, i);
        List<Integer> candidates = new ArrayList<>();
        long product = 1;
        long want = 2L * Math.max(1, target.cores());
        for (Iter it : s.stage(i).leafIters()) {
            long ext = extent(s.stage(i), it);
            if (it.kind() != IterKind.SPACE || ext < 0 || it.annotation() != IterAnnotation.NONE
                    || attached.contains(it.id())) {
                break;
            }
            candidates.add(it.id());
            product *= ext;
            if (product >= want) {
                break;
            }
        }
        if (candidates.isEmpty() || product < 2) {
            return s;
        }
        int loop = candidates.getFirst();
        if (candidates.size() > 1) {
            State fused = tryApply(s, new Step.Fuse(i, candidates));
            if (fused == s) {
                return tryApply(s, new Step.Annotate(i, loop, IterAnnotation.PARALLEL));
            }
            s = fused;
            loop = s.stage(i).leaves().getFirst();
        }
        return tryApply(s, new Step.Annotate(i, loop, IterAnnotation.PARALLEL));
    }

    /** Iterations of a stage's op over its whole domain (space × reduce); large when symbolic or data-dependent. */
    private static long work(Stage st) {
        if (st.isPlaceholder()) {
            return 0;
        }
        long space = DagAnalysis.product(st.compute().axes());
        long reduce = DagAnalysis.product(st.compute().reduceAxes());
        if (space < 0 || reduce < 0) {
            return Long.MAX_VALUE / 4;
        }
        return Math.min(Long.MAX_VALUE / 4, space * Math.max(1, reduce));
    }

    private static Set<Integer> attached(State s, int i) {
        Set<Integer> out = new HashSet<>();
        for (Stage other : s.stages()) {
            if (other.location() instanceof ComputeLocation.At at && at.stage() == i) {
                out.add(at.iter());
            }
        }
        return out;
    }

    private static long extent(Stage st, Iter it) {
        return Extents.constant(st, it.id());
    }

    private static State tryApply(State s, Step step) {
        try {
            return s.apply(step);
        } catch (IllegalArgumentException rejected) {
            return s;
        }
    }
}
