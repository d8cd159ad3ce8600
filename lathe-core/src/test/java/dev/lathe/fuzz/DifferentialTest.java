package dev.lathe.fuzz;

import dev.lathe.build.Build;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Randomized differential testing: random DAGs under random valid schedules, compiled and
 * compared with the reference evaluator. CI runs a few hundred cases with a fixed seed; for
 * more, run
 * {@code ./mvnw -pl lathe-core test -Dtest=DifferentialTest -Dlathe.fuzz.cases=5000 -Dlathe.fuzz.seed=42};
 * a failure prints the case's seed, its DAG and its steps.
 */
class DifferentialTest {
    @Test
    void randomSchedulesMatchTheReference() {
        int cases = Integer.getInteger("lathe.fuzz.cases", 300);
        long seed = Long.getLong("lathe.fuzz.seed", 20261122L);
        Random master = new Random(seed);
        int passed = 0;
        for (int c = 0; c < cases; c++) {
            long caseSeed = master.nextLong();
            String failure = runCase(caseSeed);
            if (failure != null) {
                fail("differential case failed (seed " + seed + ", case " + c + ", case seed " + caseSeed + "; rerun one "
                        + "case with -Dlathe.fuzz.case=" + caseSeed + ")\n" + failure);
            }
            passed++;
        }
        System.out.println("differential: " + passed + " passed, 0 failed (seed " + seed + ")");
    }

    @Test
    void singleCaseWhenAsked() {
        Long one = Long.getLong("lathe.fuzz.case");
        if (one != null) {
            String failure = runCase(one);
            if (failure != null) {
                fail(failure);
            }
        }
    }

    /** Runs one case; returns a description of the failure, or null. */
    static String runCase(long caseSeed) {
        Random rng = new Random(caseSeed);
        RandomDags.Case c = RandomDags.draw(rng);
        State s = RandomSchedules.draw(State.initial(c.dag()), rng);
        String where = "kind " + c.kind() + "\nDAG:\n" + c.dag() + "\nsteps: " + s.steps();
        try {
            Map<Tensor, NDArray> expected = ReferenceEvaluator.evaluate(c.dag(), c.inputs());
            Module m = Build.build(s, "fuzz");
            List<NDArray> args = new ArrayList<>();
            for (Tensor t : c.dag().arguments()) {
                if (!c.dag().outputs().contains(t)) {
                    args.add(c.inputs().get(t));
                }
            }
            List<NDArray> outs = new ArrayList<>();
            for (Tensor t : c.dag().outputs()) {
                NDArray o = NDArray.zeros(t.dtype(), RandomDags.dims(t));
                outs.add(o);
                args.add(o);
            }
            m.call(args.toArray(NDArray[]::new));
            for (int i = 0; i < outs.size(); i++) {
                NDArray want = expected.get(c.dag().outputs().get(i));
                NDArray got = outs.get(i);
                for (long e = 0; e < want.size(); e++) {
                    double w = want.getDouble(e);
                    double g = got.getDouble(e);
                    if (!(Math.abs(w - g) <= 1e-4 + 1e-4 * Math.abs(w))) {
                        return where + "\nelement " + e + ": expected " + w + ", got " + g + "\nC source: " + m.library();
                    }
                }
            }
            return null;
        } catch (RuntimeException e) {
            java.io.StringWriter sw = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(sw));
            return where + "\n" + sw;
        }
    }
}
