package dev.lathe.records;

import dev.lathe.ir.IterVar;
import dev.lathe.measure.ErrorKind;
import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.Measurer;
import dev.lathe.measure.SearchTask;
import dev.lathe.measure.Target;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.lathe.ir.DType.FLOAT32;
import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.sum;

/** A small workload, a fixed target, distinct candidates and a fake measurer for records tests. */
final class Fixtures {
    static final Target TARGET = new Target("test-avx2", Set.of("avx2", "fma"), 4, 32, 32 << 10, 1 << 20, 8 << 20);

    private Fixtures() {
    }

    /** {@code C[i, j] = sum_k A[i, k] * B[k, j]}, 64 x 64; built anew each call (same workload key). */
    static ComputeDag matmul() {
        Tensor a = placeholder(List.of(64, 64), FLOAT32, "A");
        Tensor b = placeholder(List.of(64, 64), FLOAT32, "B");
        IterVar k = reduceAxis(0, 64, "k");
        return ComputeDag.of(compute(List.of(64, 64), (i, j) -> sum(a.get(i, k).mul(b.get(k, j)), k), "C"));
    }

    static SearchTask task(ComputeDag dag) {
        return new SearchTask(dag, TARGET, 1, Map.of());
    }

    /** Up to 100 distinct schedules of the matmul: splits of i and j, parallel or not, vectorized or not. */
    static List<MeasureInput> candidates(SearchTask task, int count) {
        List<MeasureInput> out = new ArrayList<>();
        long[] f = {2, 4, 8, 16, 32};
        for (int p = 0; p < 2; p++) {
            for (int v = 0; v < 2; v++) {
                for (long fi : f) {
                    for (long fj : f) {
                        if (out.size() == count) {
                            return out;
                        }
                        State s = State.initial(task.dag()).split("C", "i", fi).split("C", "j", fj)
                                .reorder("C", "i.0", "j.0", "k", "i.1", "j.1");
                        if (p == 1) {
                            s = s.parallel("C", "i.0");
                        }
                        if (v == 1) {
                            s = s.vectorize("C", "j.1");
                        }
                        out.add(new MeasureInput(task, s));
                    }
                }
            }
        }
        if (out.size() < count) {
            throw new IllegalArgumentException("at most " + out.size() + " candidates");
        }
        return out;
    }

    /** A result whose cost is derived from the candidate (deterministic), failing every seventh. */
    static MeasureResult fakeResult(MeasureInput in) {
        int h = Math.floorMod(MeasureRecord.candidateKey(in).hashCode(), 1000);
        if (h % 7 == 0) {
            return MeasureResult.failed(ErrorKind.COMPILE_ERROR, "error: expected ';' before '}' token", 0.1, 0);
        }
        double c = 1e-4 * (1 + h / 100.0);
        return new MeasureResult(List.of(c, c * 1.01, c * 0.99), ErrorKind.NONE, "", 0.2, 0.01,
                System.currentTimeMillis());
    }

    /** Returns {@link #fakeResult}s after spinning {@code spinMicros} per candidate; remembers what it measured. */
    static final class FakeMeasurer implements Measurer {
        final List<String> measured = new CopyOnWriteArrayList<>();
        private final long spinMicros;

        FakeMeasurer(long spinMicros) {
            this.spinMicros = spinMicros;
        }

        @Override
        public List<MeasureResult> measure(List<MeasureInput> inputs) {
            List<MeasureResult> out = new ArrayList<>();
            for (MeasureInput in : inputs) {
                long end = System.nanoTime() + spinMicros * 1000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                measured.add(MeasureRecord.candidateKey(in));
                out.add(fakeResult(in));
            }
            return out;
        }

        @Override
        public void close() {
        }
    }
}
