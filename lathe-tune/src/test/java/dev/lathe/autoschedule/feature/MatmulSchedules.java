package dev.lathe.autoschedule.feature;

import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;

/** The register-blocked matmul schedule of the examples, with a fixed tile of 6 × 16. */
final class MatmulSchedules {
    private MatmulSchedules() {
    }

    static State tiled(ComputeDag dag) {
        return State.initial(dag)
                .cacheWrite("C", "local")
                .cacheRead("B", "shared", "C.local")
                .split("C", "i", 6).split("C", "j", 16)
                .reorder("C", "j.0", "i.0", "i.1", "j.1")
                .computeAt("C.local", "C", "i.0")
                .computeAt("B.shared", "C", "j.0")
                .vectorize("B.shared", "ax1")
                .reorder("C.local", "k", "i", "j")
                .unroll("C.local", "i")
                .vectorize("C.local", "j")
                .unroll("C", "i.1")
                .vectorize("C", "j.1")
                .parallel("C", "j.0");
    }
}
