package dev.lathe.examples;

import dev.lathe.build.Build;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.schedule.StepJson;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BsrMatmulScheduleTest {
    /** S1 at its real shape: compiled, against the reference evaluator with the real sparse arrays. */
    @ParameterizedTest
    @CsvSource({"128, 256, 512, 16, 1, 0.6", "32, 24, 64, 16, 1, 0.3", "64, 40, 128, 16, 1, 0.0", "32, 16, 64, 16, 1, 1.0"})
    void handScheduleMatchesTheReference(int m, int k, int n, int bsr, int bsc, double density) {
        BsrMatrix a = BsrMatrix.random(m, k, bsr, bsc, density, new Random(7));
        BsrMatmulSchedule.Declared d = BsrMatmulSchedule.declare(m, k, n, bsr, bsc, a.nnzBlocks());
        Map<Tensor, NDArray> given = Map.of(d.a().data(), a.dataArray(), d.a().indices(), a.indicesArray(),
                d.a().indptr(), a.indptrArray());
        ScheduleCheck.matchesReference(BsrMatmulSchedule.schedule(d.dag(), bsr), given);
    }

    @Test
    void agreesWithTheDenseProduct() {
        int m = 128, k = 256, n = 512;
        BsrMatrix a = BsrMatrix.random(m, k, 16, 1, 0.6, new Random(11));
        BsrMatmulSchedule.Declared d = BsrMatmulSchedule.declare(m, k, n, 16, 1, a.nnzBlocks());
        Module mod = Build.build(BsrMatmulSchedule.schedule(d.dag(), 16), "bsr_s1");
        NDArray b = NDArray.random(dev.lathe.ir.DType.FLOAT32, new Random(12), k, n);
        NDArray c = NDArray.zeros(dev.lathe.ir.DType.FLOAT32, m, n);
        mod.call(a.dataArray(), a.indicesArray(), a.indptrArray(), b, c);
        float[] dense = a.toDense();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = 0;
                for (int x = 0; x < k; x++) {
                    want += dense[i * k + x] * b.getDouble((long) x * n + j);
                }
                assertEquals(want, c.getDouble((long) i * n + j), 1e-3 + 1e-4 * Math.abs(want), "C[" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void replaysFromItsJsonSteps() {
        BsrMatrix a = BsrMatrix.random(128, 256, 16, 1, 0.6, new Random(7));
        State s = BsrMatmulSchedule.schedule(BsrMatmulSchedule.declare(128, 256, 512, 16, 1, a.nnzBlocks()).dag(), 16);
        State r = StepJson.replay(BsrMatmulSchedule.declare(128, 256, 512, 16, 1, a.nnzBlocks()).dag(), StepJson.write(s));
        assertEquals(s.toString(), r.toString());
        assertEquals(Build.build(s, "x").source(), Build.build(r, "x").source());
    }
}
