package dev.lathe.autoschedule;

import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterKind;
import dev.lathe.schedule.ComputeLocation;
import dev.lathe.schedule.Extents;
import dev.lathe.schedule.Iter;
import dev.lathe.schedule.IterAnnotation;
import dev.lathe.schedule.ScheduleException;
import dev.lathe.schedule.Stage;
import dev.lathe.schedule.State;
import dev.lathe.schedule.Step;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a sketch into a complete program: random tile sizes, compute locations of untiled
 * stages, a parallel outer (fused) loop, a vectorized innermost loop where legal, and an
 * auto-unroll pragma. Every optional step is kept only when the primitive accepts it.
 */
public final class RandomAnnotation {
    /** The largest innermost tile length drawn, and the longest loop vectorized. */
    public static final long MAX_INNERMOST = 64;
    /** The {@code auto_unroll_max_step} values drawn (CPU). */
    static final int[] UNROLL_STEPS = {0, 16, 64, 512};

    private RandomAnnotation() {
    }

    public static State annotate(Sketch sketch, Random rng) {
        return annotate(sketch, tileSizes(sketch, rng), Map.of(), rng).state();
    }

    /**
     * A program and the choices that made it: the value drawn for each decision, keyed by
     * {@code "<stage>:<decision>"} (e.g. {@code "3:unroll"}, {@code "2:parallel.n"}).
     */
    public record Annotated(State state, Map<String, Integer> choices) {
        public Annotated {
            choices = Collections.unmodifiableMap(new TreeMap<>(choices));
        }
    }

    /**
     * Annotates {@code sketch} with the given tile lengths, replaying {@code choices}: a decision
     * with a recorded value takes it (modulo its number of options, which may differ when tile
     * lengths changed); a decision without one is drawn from {@code rng}. The result records every
     * decision taken, so that {@code annotate(sketch, tiles, result.choices(), any)} gives the
     * same program.
     */
    public static Annotated annotate(Sketch sketch, long[][] tiles, Map<String, Integer> choices, Random rng) {
        Choices ch = new Choices(choices, rng);
        State s = annotate(sketch.fill(tiles), ch);
        return new Annotated(s, ch.taken);
    }

    /** The decisions of an annotation: recorded values first, else random draws. */
    static final class Choices {
        private final Map<String, Integer> given;
        private final Random rng;
        final Map<String, Integer> taken = new HashMap<>();

        Choices(Map<String, Integer> given, Random rng) {
            this.given = given;
            this.rng = rng;
        }

        int nextInt(int stage, String decision, int bound) {
            String key = stage + ":" + decision;
            Integer v = given.get(key);
            int out = v == null ? rng.nextInt(bound) : Math.floorMod(v, bound);
            taken.put(key, v == null ? out : v);
            return out;
        }

        boolean nextBoolean(int stage, String decision) {
            return nextInt(stage, decision, 2) == 1;
        }
    }

    private static State annotate(State s, Choices rng) {
        for (int i = s.stages().size() - 1; i >= 0; i--) {
            Stage st = s.stage(i);
            if (st.isPlaceholder() || st.location() instanceof ComputeLocation.Inlined) {
                continue;
            }
            if (st.relations().isEmpty() && st.location() instanceof ComputeLocation.Root) {
                s = computeLocation(s, i, rng);
                s = innermostSpace(s, i, rng);
            }
            if (s.stage(i).location() instanceof ComputeLocation.Root) {
                s = parallel(s, i, rng);
                int step = UNROLL_STEPS[rng.nextInt(i, "unroll", UNROLL_STEPS.length)];
                if (step > 0) {
                    s = tryApply(s, new Step.Pragma(i, "auto_unroll_max_step", step));
                }
            }
            s = vectorize(s, i, rng);
        }
        return s;
    }

    /** Lengths per tile whose product is its extent, the innermost at most {@link #MAX_INNERMOST}. */
    static long[][] tileSizes(Sketch sketch, Random rng) {
        long[][] out = new long[sketch.tiles().size()][];
        for (int t = 0; t < out.length; t++) {
            Sketch.Tile tile = sketch.tiles().get(t);
            long[] len = new long[tile.levels()];
            long rest = Math.max(1, tile.extent());
            for (int l = tile.levels() - 1; l > 0; l--) {
                List<Long> divisors = divisors(rest, l == tile.levels() - 1 ? MAX_INNERMOST : rest);
                len[l] = divisors.get(rng.nextInt(divisors.size()));
                rest /= len[l];
            }
            len[0] = rest;
            out[t] = len;
        }
        return out;
    }

    static List<Long> divisors(long n, long max) {
        List<Long> out = new ArrayList<>();
        for (long d = 1; d <= n && d <= max && out.size() < 64; d++) {
            if (n % d == 0) {
                out.add(d);
            }
        }
        return out;
    }

    /**
     * Keeps the stage at root, or computes it at a random loop of its single consumer (never of one
     * that reads it at data-dependent indices: see {@link DagAnalysis#readsAtDataDependentIndex}).
     */
    private static State computeLocation(State s, int i, Choices rng) {
        if (s.isOutput(i) || rng.nextInt(i, "at.root", 3) == 0) {
            return s;
        }
        int consumer = -1;
        for (int c = i + 1; c < s.stages().size(); c++) {
            if (reads(s.stage(c), s.stage(i))) {
                if (consumer >= 0) {
                    return s;
                }
                consumer = c;
            }
        }
        if (consumer < 0 || s.stage(consumer).location() instanceof ComputeLocation.Inlined
                || s.stage(consumer).op() instanceof ComputeOp c && DagAnalysis.readsAtDataDependentIndex(c, s.stage(i).op())) {
            return s;
        }
        List<Integer> targets = new ArrayList<>();
        for (Iter it : s.stage(consumer).leafIters()) {
            if (it.annotation() == IterAnnotation.NONE || it.annotation() == IterAnnotation.PARALLEL) {
                targets.add(it.id());
            }
        }
        if (targets.isEmpty()) {
            return s;
        }
        return tryApply(s, new Step.ComputeAt(i, consumer, targets.get(rng.nextInt(i, "at.loop", targets.size()))));
    }

    /**
     * In an untiled stage, moves a space loop innermost (behind its reductions) and splits off a
     * short innermost part of it, so that it can be vectorized.
     */
    private static State innermostSpace(State s, int i, Choices rng) {
        List<Iter> leaves = s.stage(i).leafIters();
        Iter last = null;
        for (Iter it : leaves) {
            if (it.kind() == IterKind.SPACE && extent(s.stage(i), it) > 1) {
                last = it;
            }
        }
        if (last == null) {
            return s;
        }
        if (leaves.getLast() != last && rng.nextBoolean(i, "inner.reorder")) {
            List<Integer> order = new ArrayList<>(s.stage(i).leaves());
            order.remove(Integer.valueOf(last.id()));
            order.add(last.id());
            s = tryApply(s, new Step.Reorder(i, order));
        }
        long ext = extent(s.stage(i), last);
        if (ext > MAX_INNERMOST || rng.nextBoolean(i, "inner.split")) {
            List<Long> d = divisors(ext, 16);
            long f = d.size() > 1 ? d.get(1 + rng.nextInt(i, "inner.factor", d.size() - 1)) : 1L << rng.nextInt(i, "inner.factor", 5);
            s = tryApply(s, new Step.Split(i, last.id(), List.of(f)));
        }
        return s;
    }

    /** Fuses a random number of the outermost space loops (none a compute_at target) and parallelizes them. */
    private static State parallel(State s, int i, Choices rng) {
        Set<Integer> attached = new HashSet<>();
        for (Stage other : s.stages()) {
            if (other.location() instanceof ComputeLocation.At at && at.stage() == i) {
                attached.add(at.iter());
            }
        }
        List<Integer> candidates = new ArrayList<>();
        for (Iter it : s.stage(i).leafIters()) {
            if (it.kind() != IterKind.SPACE || extent(s.stage(i), it) < 0 || attached.contains(it.id())) {
                break;
            }
            candidates.add(it.id());
        }
        if (candidates.isEmpty() || rng.nextInt(i, "parallel.skip", 10) == 0) {
            return s;
        }
        int n = 1 + rng.nextInt(i, "parallel.n", candidates.size());
        int loop = candidates.getFirst();
        if (n > 1) {
            State fused = tryApply(s, new Step.Fuse(i, candidates.subList(0, n)));
            if (fused != s) {
                s = fused;
                loop = s.stage(i).leaves().getFirst();
            }
        }
        return tryApply(s, new Step.Annotate(i, loop, IterAnnotation.PARALLEL));
    }

    /** Vectorizes the innermost loop when it is a short space loop of static extent. */
    private static State vectorize(State s, int i, Choices rng) {
        List<Iter> leaves = s.stage(i).leafIters();
        if (leaves.isEmpty() || rng.nextInt(i, "vectorize.skip", 5) == 0) {
            return s;
        }
        Iter last = leaves.getLast();
        long ext = extent(s.stage(i), last);
        if (last.kind() != IterKind.SPACE || ext <= 1 || ext > MAX_INNERMOST || last.annotation() != IterAnnotation.NONE) {
            return s;
        }
        for (Stage other : s.stages()) {
            if (other.location() instanceof ComputeLocation.At at && at.stage() == i && at.iter() == last.id()) {
                return s;
            }
        }
        return tryApply(s, new Step.Annotate(i, last.id(), IterAnnotation.VECTORIZE));
    }

    private static long extent(Stage st, Iter it) {
        return Extents.constant(st, it.id());
    }

    private static boolean reads(Stage consumer, Stage producer) {
        return consumer.reads(producer);
    }

    static State tryApply(State s, Step step) {
        try {
            return s.apply(step);
        } catch (ScheduleException rejected) {
            return s;
        }
    }
}
