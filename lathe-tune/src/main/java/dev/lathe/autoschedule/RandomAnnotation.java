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
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

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
        State s = sketch.fill(tileSizes(sketch, rng));
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
                int step = UNROLL_STEPS[rng.nextInt(UNROLL_STEPS.length)];
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

    /** Keeps the stage at root, or computes it at a random loop of its single consumer. */
    private static State computeLocation(State s, int i, Random rng) {
        if (s.isOutput(i) || rng.nextInt(3) == 0) {
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
        if (consumer < 0 || s.stage(consumer).location() instanceof ComputeLocation.Inlined) {
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
        return tryApply(s, new Step.ComputeAt(i, consumer, targets.get(rng.nextInt(targets.size()))));
    }

    /**
     * In an untiled stage, moves a space loop innermost (behind its reductions) and splits off a
     * short innermost part of it, so that it can be vectorized.
     */
    private static State innermostSpace(State s, int i, Random rng) {
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
        if (leaves.getLast() != last && rng.nextBoolean()) {
            List<Integer> order = new ArrayList<>(s.stage(i).leaves());
            order.remove(Integer.valueOf(last.id()));
            order.add(last.id());
            s = tryApply(s, new Step.Reorder(i, order));
        }
        long ext = extent(s.stage(i), last);
        if (ext > MAX_INNERMOST || rng.nextBoolean()) {
            List<Long> d = divisors(ext, 16);
            long f = d.size() > 1 ? d.get(1 + rng.nextInt(d.size() - 1)) : 1L << rng.nextInt(5);
            s = tryApply(s, new Step.Split(i, last.id(), List.of(f)));
        }
        return s;
    }

    /** Fuses a random number of the outermost space loops (none a compute_at target) and parallelizes them. */
    private static State parallel(State s, int i, Random rng) {
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
        if (candidates.isEmpty() || rng.nextInt(10) == 0) {
            return s;
        }
        int n = 1 + rng.nextInt(candidates.size());
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
    private static State vectorize(State s, int i, Random rng) {
        List<Iter> leaves = s.stage(i).leafIters();
        if (leaves.isEmpty() || rng.nextInt(5) == 0) {
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

    /** The static extent over the full domain, or -1 when symbolic or data-dependent. */
    private static long extent(Stage st, Iter it) {
        try {
            return Extents.of(st, it.id()) instanceof IntImm e ? e.value() : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static boolean reads(Stage consumer, Stage producer) {
        if (consumer.isPlaceholder()) {
            return false;
        }
        for (Tensor t : consumer.op().inputs()) {
            if (t.op() == producer.op()) {
                return true;
            }
        }
        return false;
    }

    static State tryApply(State s, Step step) {
        try {
            return s.apply(step);
        } catch (ScheduleException rejected) {
            return s;
        }
    }
}
