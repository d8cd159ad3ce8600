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
 * Regressions of GCC 12.2 at {@code -O3 -march=native} on AVX-512, both in loops vectorized by the
 * compiler with masked loads: it unswitched the padding loop below on its outer condition and left
 * some in-range elements at 0 ({@code -fno-unswitch-loops} avoids it), and it if-converted a
 * select between a product and a plain read and stored -0.0 in some lanes
 * ({@code -fno-tree-loop-if-convert} avoids it). These tests catch any compiler or flag change that
 * brings them back.
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

    @Test
    void selectBetweenAProductAndAReadKeepsEveryLane() {
        Tensor x = dev.lathe.te.Te.placeholder(List.of(3, 4, 5), DType.FLOAT32, "x");
        Tensor slope = dev.lathe.te.Te.placeholder(List.of(3, 4, 5), DType.FLOAT32, "slope");
        Tensor y = compute(List.of(3, 4, 5), (i, j, l) -> select(x.get(i, j, l).lt(0.0f),
                x.get(i, j, l).mul(slope.get(i, j, l)), x.get(i, j, l)), "prelu");
        ComputeDag dag = ComputeDag.of(y);
        NDArray xs = NDArray.zeros(DType.FLOAT32, 3, 4, 5);
        NDArray ss = NDArray.zeros(DType.FLOAT32, 3, 4, 5);
        for (int e = 0; e < 60; e++) {
            xs.setDouble(e, e % 3 == 0 ? 0.5 + e : -0.1 - e * 0.01);
            ss.setDouble(e, e % 2 == 1 ? -0.9 : 0.3);
        }
        NDArray expected = ReferenceEvaluator.evaluate(dag, Map.of(x, xs, slope, ss)).get(y);
        Module m = Build.build(dag, "guarded_prelu");
        NDArray out = NDArray.zeros(DType.FLOAT32, 3, 4, 5);
        m.call(xs, ss, out);
        for (long e = 0; e < expected.size(); e++) {
            assertEquals(expected.getDouble(e), out.getDouble(e), "element " + e);
        }
    }
}
