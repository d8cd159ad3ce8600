package dev.lathe.autoschedule;

import dev.lathe.schedule.State;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/** Every random annotation of every sketch builds and computes what the reference evaluator computes. */
class SketchAnnotationPropertyTest {
    static final int PROGRAMS = 20;

    @ParameterizedTest
    @ValueSource(strings = {"matmul", "matmul+bias+relu", "conv2d", "softmax", "csr-mm"})
    void randomAnnotationsBuildAndMatchTheReference(String kind) {
        long seed = Long.getLong("lathe.sketch.seed", 20261202L) ^ kind.hashCode();
        Random rng = new Random(seed);
        Dags.Case c = Dags.caseOf(kind, rng);
        SketchPolicy policy = new SketchPolicy(c.dag());
        for (int n = 0; n < PROGRAMS; n++) {
            Sketch sketch = policy.sketches().get(n % policy.sketches().size());
            State s = null;
            try {
                s = RandomAnnotation.annotate(sketch, rng);
                String failure = Dags.check(c, s);
                if (failure != null) {
                    fail(kind + " (seed " + seed + ", program " + n + "): " + failure + "\nsteps: " + s.steps() + "\n" + s);
                }
            } catch (RuntimeException e) {
                throw new AssertionError(kind + " (seed " + seed + ", program " + n + ") sketch " + sketch.rules()
                        + "\nsteps: " + (s == null ? "-" : s.steps()) + "\n" + e, e);
            }
        }
    }
}
