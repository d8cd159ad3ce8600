package dev.lathe.examples;

import dev.lathe.build.Build;
import dev.lathe.ir.IntImm;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs a scheduled DAG at 1 and 2 threads and compares every output with the reference evaluator. */
final class ScheduleCheck {
    private ScheduleCheck() {
    }

    static void matchesReference(State s, Map<Tensor, NDArray> given) {
        Module m = Build.build(s, "example");
        Random rng = new Random(3);
        Map<Tensor, NDArray> inputs = new LinkedHashMap<>();
        List<NDArray> args = new ArrayList<>();
        for (Tensor t : s.original().arguments()) {
            if (s.original().outputs().contains(t)) {
                continue;
            }
            NDArray x = given.containsKey(t) ? given.get(t) : NDArray.random(t.dtype(), rng, dims(t));
            inputs.put(t, x);
            args.add(x);
        }
        Map<Tensor, NDArray> expected = ReferenceEvaluator.evaluate(s.original(), inputs);
        for (int threads : new int[]{1, 2}) {
            m.setThreads(threads);
            List<NDArray> all = new ArrayList<>(args);
            List<NDArray> outs = new ArrayList<>();
            for (Tensor t : s.original().outputs()) {
                NDArray o = NDArray.zeros(t.dtype(), dims(t));
                outs.add(o);
                all.add(o);
            }
            m.call(all.toArray(NDArray[]::new));
            for (int i = 0; i < outs.size(); i++) {
                NDArray want = expected.get(s.original().outputs().get(i));
                for (long e = 0; e < want.size(); e++) {
                    double w = want.getDouble(e);
                    assertEquals(w, outs.get(i).getDouble(e), 1e-4 + 1e-4 * Math.abs(w),
                            "element " + e + " at " + threads + " thread(s)");
                }
            }
        }
    }

    static long[] dims(Tensor t) {
        return t.shape().stream().mapToLong(e -> ((IntImm) e).value()).toArray();
    }
}
