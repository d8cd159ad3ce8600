package dev.lathe.build;

import dev.lathe.ir.DType;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.select;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Regression: GCC 12.2 at {@code -O3 -march=native} unswitched the padding loop below on its outer
 * condition, vectorized the inner loop with masked loads and left some in-range elements at 0.
 * The compiler flags ({@code -fno-unswitch-loops}) avoid it; this test catches any compiler or
 * flag change that brings it back.
 */
class GuardedReadTest {
    @Test
    void paddingUnderConditionsOnOuterAndInnerIteratorsCopiesEveryElement() {
        Tensor data = dev.lathe.te.Te.placeholder(List.of(1, 9, 9, 2), DType.FLOAT32, "data");
        Tensor pad = compute(List.of(1, 13, 13, 2), (i, j, l, m) -> select(
                j.ge(2).and(j.lt(11)).and(l.ge(2)).and(l.lt(11)),
                data.get(i, j.sub(2), l.sub(2), m), 0.0f), "pad");
        ComputeDag dag = ComputeDag.of(pad);
        NDArray in = NDArray.random(DType.FLOAT32, new Random(5), 1, 9, 9, 2);
        NDArray expected = ReferenceEvaluator.evaluate(dag, Map.of(data, in)).get(pad);
        Module m = Build.build(dag, "guarded_pad");
        NDArray out = NDArray.zeros(DType.FLOAT32, 1, 13, 13, 2);
        m.call(in, out);
        for (long e = 0; e < expected.size(); e++) {
            assertEquals(expected.getDouble(e), out.getDouble(e), "element " + e);
        }
    }
}
