package dev.lathe.fuzz;

import dev.lathe.ir.IterKind;
import dev.lathe.schedule.ComputeLocation;
import dev.lathe.schedule.Iter;
import dev.lathe.schedule.IterAnnotation;
import dev.lathe.schedule.ScheduleException;
import dev.lathe.schedule.Stage;
import dev.lathe.schedule.State;
import dev.lathe.schedule.Step;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Random schedules: steps are proposed at random and kept when the primitive accepts them, so
 * every schedule drawn is one a user could have written.
 */
final class RandomSchedules {
    private RandomSchedules() {
    }

    static State draw(State s, Random rng) {
        s = dataflowSteps(s, rng);
        for (int i = s.stages().size() - 1; i >= 0; i--) {
            Stage st = s.stage(i);
            if (st.isPlaceholder()) {
                continue;
            }
            s = location(s, i, rng);
            if (s.stage(i).location() instanceof ComputeLocation.Inlined) {
                continue;
            }
            s = loops(s, i, rng);
        }
        return s;
    }

    /** cache_write of reductions and rfactor of split reductions, before any loop is transformed. */
    private static State dataflowSteps(State s, Random rng) {
        for (int i = 0; i < s.stages().size(); i++) {
            Stage st = s.stage(i);
            if (st.isPlaceholder() || st.compute().reduction().isEmpty()) {
                continue;
            }
            int roll = rng.nextInt(6);
            if (roll == 0) {
                State t = tryApply(s, new Step.CacheWrite(i, "local"));
                if (t != s) {
                    return t;
                }
            } else if (roll == 1) {
                Iter k = st.leafIters().stream().filter(it -> it.kind() == IterKind.REDUCE).findFirst().orElse(null);
                if (k != null) {
                    int pos = st.leaves().indexOf(k.id());
                    State split = tryApply(s, new Step.Split(i, k.id(), List.of(1L + rng.nextInt(4))));
                    if (split != s) {
                        Stage sp = split.stage(i);
                        int part = sp.leaves().get(pos + rng.nextInt(2));
                        State rf = tryApply(split, new Step.Rfactor(i, part, rng.nextInt(st.compute().axes().size() + 1)));
                        return rf == split ? s : rf;
                    }
                }
            }
        }
        return s;
    }

    private static State location(State s, int i, Random rng) {
        boolean output = s.isOutput(i);
        int roll = rng.nextInt(10);
        if (!output && roll < 3) {
            return tryApply(s, new Step.ComputeInline(i));
        }
        if (!output && roll < 7) {
            for (int c = i + 1; c < s.stages().size(); c++) {
                Stage consumer = s.stage(c);
                if (consumer.isPlaceholder() || !(consumer.location() instanceof ComputeLocation.Root
                        || consumer.location() instanceof ComputeLocation.At)) {
                    continue;
                }
                if (readsFrom(consumer, s.stage(i))) {
                    List<Integer> leaves = consumer.leaves();
                    int leaf = leaves.get(rng.nextInt(leaves.size()));
                    return tryApply(s, new Step.ComputeAt(i, c, leaf));
                }
            }
        }
        return s;
    }

    private static boolean readsFrom(Stage consumer, Stage producer) {
        for (Tensor t : consumer.op().inputs()) {
            if (t.op() == producer.op()) {
                return true;
            }
        }
        return false;
    }

    private static State loops(State s, int i, Random rng) {
        for (int id : new ArrayList<>(s.stage(i).leaves())) {
            if (rng.nextInt(2) == 0) {
                List<Long> factors = new ArrayList<>();
                int n = 1 + rng.nextInt(2);
                for (int f = 0; f < n; f++) {
                    factors.add(1L + rng.nextInt(5));
                }
                s = tryApply(s, new Step.Split(i, id, factors));
            }
        }
        if (rng.nextBoolean()) {
            List<Integer> order = new ArrayList<>(s.stage(i).leaves());
            Collections.shuffle(order, rng);
            s = tryApply(s, new Step.Reorder(i, order));
        }
        if (rng.nextInt(3) == 0) {
            List<Integer> leaves = s.stage(i).leaves();
            if (leaves.size() >= 2) {
                int p = rng.nextInt(leaves.size() - 1);
                s = tryApply(s, new Step.Fuse(i, List.of(leaves.get(p), leaves.get(p + 1))));
            }
        }
        List<Integer> leaves = s.stage(i).leaves();
        if (rng.nextInt(3) == 0) {
            s = tryApply(s, new Step.Annotate(i, leaves.getFirst(), IterAnnotation.PARALLEL));
        }
        if (rng.nextInt(4) == 0) {
            s = tryApply(s, new Step.Annotate(i, leaves.get(rng.nextInt(leaves.size())), IterAnnotation.UNROLL));
        }
        if (rng.nextInt(5) == 0) {
            s = tryApply(s, new Step.Pragma(i, "auto_unroll_max_step", new int[]{4, 16, 64}[rng.nextInt(3)]));
            if (rng.nextBoolean()) {
                s = tryApply(s, new Step.Pragma(i, "unroll_explicit", 1));
            }
        }
        if (rng.nextInt(5) < 2) {
            s = tryApply(s, new Step.Annotate(i, leaves.getLast(), IterAnnotation.VECTORIZE));
        }
        return s;
    }

    private static State tryApply(State s, Step step) {
        try {
            return s.apply(step);
        } catch (ScheduleException rejected) {
            return s;
        }
    }
}
