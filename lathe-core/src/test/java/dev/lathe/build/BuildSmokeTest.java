package dev.lathe.build;

import dev.lathe.ir.DType;
import dev.lathe.ir.IterVar;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static dev.lathe.te.Te.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BuildSmokeTest {
    @Test
    void matmulMatchesJavaLoops() {
        int m = 17, n = 23, k = 9;
        Tensor a = placeholder(List.of(m, k), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(k, n), DType.FLOAT32, "B");
        IterVar r = reduceAxis(0, k, "k");
        Tensor c = compute(List.of(m, n), (i, j) -> sum(a.get(i, r).mul(b.get(r, j)), r), "C");
        Module mod = Build.build(ComputeDag.of(c), "matmul");
        Random rng = new Random(1);
        NDArray x = NDArray.random(DType.FLOAT32, rng, m, k);
        NDArray y = NDArray.random(DType.FLOAT32, rng, k, n);
        NDArray z = NDArray.zeros(DType.FLOAT32, m, n);
        mod.call(x, y, z);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int q = 0; q < k; q++) {
                    s += (float) x.getDouble(i * k + q) * (float) y.getDouble(q * n + j);
                }
                assertEquals(s, z.getDouble(i * n + j), 1e-5);
            }
        }
    }
}
