package dev.lathe.measure;

import dev.lathe.ir.DType;
import dev.lathe.ir.IterVar;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.List;

import static dev.lathe.te.Te.*;

/** Small tasks for the measurement tests. */
final class Kernels {
    private Kernels() {
    }

    static ComputeDag matmul(int n) {
        Tensor a = placeholder(List.of(n, n), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(n, n), DType.FLOAT32, "B");
        IterVar k = reduceAxis(0, n, "k");
        Tensor c = compute(List.of(n, n), (i, j) -> sum(a.get(i, k).mul(b.get(k, j)), k), "C");
        return ComputeDag.of(c);
    }

    /** C split into 8-wide vectorized rows. */
    static State splitVectorize(ComputeDag dag) {
        return State.initial(dag).split("C", "j", 8).reorder("C", "i", "j.0", "k", "j.1").vectorize("C", "j.1");
    }
}
