package dev.lathe.schedule;

/** Where a stage is computed. */
public sealed interface ComputeLocation {
    /** In its own loop nest at the kernel's top level (the default). */
    record Root() implements ComputeLocation {
    }

    /** Substituted into its consumers: no loop nest and no storage of its own. */
    record Inlined() implements ComputeLocation {
    }

    /** Inside the loop of iterator {@code iter} of stage {@code stage}, computing only the region that loop needs. */
    record At(int stage, int iter) implements ComputeLocation {
    }

    ComputeLocation ROOT = new Root();
    ComputeLocation INLINED = new Inlined();
}
