package dev.lathe.schedule;

import java.util.List;

/**
 * One schedule primitive as recorded data. Stages are referred to by their index in the
 * state's stage list and iterators by their id within the stage, so a step list replays onto
 * any equal ComputeDag whatever its names.
 */
public sealed interface Step {
    int stage();

    /**
     * Splits iterator {@code iter} into {@code factors.size() + 1} loops: the outermost takes what
     * remains, then one loop per factor, outer to inner (the last factor is the innermost extent).
     */
    record Split(int stage, int iter, List<Long> factors) implements Step {
        public Split {
            factors = List.copyOf(factors);
        }
    }

    /** Splits iterator {@code iter} into an outer loop of {@code parts} iterations and an inner loop. */
    record SplitParts(int stage, int iter, long parts) implements Step {
    }

    /** Fuses adjacent iterators (outermost first) into one loop. */
    record Fuse(int stage, List<Integer> iters) implements Step {
        public Fuse {
            iters = List.copyOf(iters);
        }
    }

    /** Puts the stage's loops in the given order (a permutation of its current loops). */
    record Reorder(int stage, List<Integer> order) implements Step {
        public Reorder {
            order = List.copyOf(order);
        }
    }

    /** Marks a loop parallel, vectorized, unrolled, or plain again. */
    record Annotate(int stage, int iter, IterAnnotation annotation) implements Step {
    }

    /** Computes the stage inside loop {@code targetIter} of stage {@code target}, only over the region it needs. */
    record ComputeAt(int stage, int target, int targetIter) implements Step {
    }

    /** Substitutes the stage's body into its consumers. */
    record ComputeInline(int stage) implements Step {
    }

    /** Computes the stage at root again. */
    record ComputeRoot(int stage) implements Step {
    }

    /** Sets {@code auto_unroll_max_step} (loops of at most that many iterations in total are unrolled) and {@code unroll_explicit}. */
    record Pragma(int stage, String key, int value) implements Step {
    }

    /** Pads the stride of dimension {@code axis} of the stage's storage to {@code factor * k + offset} elements. */
    record StorageAlign(int stage, int axis, int factor, int offset) implements Step {
    }

    /**
     * Adds a stage that copies the stage's output into storage of the given scope, read by the
     * {@code readers} stages instead. The new stage is inserted right after the read one.
     */
    record CacheRead(int stage, String scope, List<Integer> readers) implements Step {
        public CacheRead {
            readers = List.copyOf(readers);
        }
    }

    /** Computes the stage's values into a new stage ({@code name.local}); the stage becomes a copy of it. */
    record CacheWrite(int stage, String scope) implements Step {
    }

    /**
     * Factors a reduction: reduce iterator {@code iter} becomes a space axis of a new stage of
     * partial results (inserted before this one), at position {@code factorAxis} of its axes;
     * this stage then reduces the partial results over it.
     */
    record Rfactor(int stage, int iter, int factorAxis) implements Step {
    }
}
