package dev.lathe.codegen;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.ir.IntImm;
import dev.lathe.runtime.CCompiler;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import dev.lathe.tir.ForKind;
import dev.lathe.tir.PrimFunc;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.lathe.te.Te.*;
import static org.junit.jupiter.api.Assertions.*;

class ParallelThreadsTest {
    @Test
    void parallelLoopIsCorrectAtOneAndTwoThreads() {
        Tensor a = placeholder(List.of(37, 19), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(19), DType.FLOAT32, "B");
        ComputeDag dag = ComputeDag.of(compute(List.of(37, 19), (i, j) -> a.get(i, j).div(b.get(j)).sub(1.0f), "C"));
        PrimFunc f = Kernels.lower(dag, "par", "i", ForKind.PARALLEL);
        Module m = Build.compile(f, dag, CCompiler.system());
        assertTrue(m.source().contains("#pragma omp parallel for num_threads(lathe_num_threads())"), m.source());
        var inputs = Kernels.randomInputs(dag, 2);
        for (int threads : new int[]{1, 2, 0}) {
            m.setThreads(threads);
            assertEquals(threads, m.threads());
            Kernels.run(m, f, dag, inputs, 0);
        }
    }

    /** A hand-written kernel that reports how many threads its parallel region got. */
    @Test
    void theThreadCountReachesTheParallelRegion() {
        String source = CPrelude.TEXT + """
                int32_t lathe_count_threads(void* const* args, const int64_t* sizes) {
                  int32_t* out = (int32_t*)args[0];
                  #pragma omp parallel num_threads(lathe_num_threads())
                  {
                    #pragma omp single
                    out[0] = omp_get_num_threads();
                  }
                  return 0;
                }
                """;
        Module m = new Module("count_threads", "lathe_count_threads",
                List.of(new Module.Param("out", DType.INT32, List.of(IntImm.of(1)), true)), List.of(), source, List.of(),
                CCompiler.system().compile(source));
        NDArray out = NDArray.zeros(DType.INT32, 1);
        for (int n : new int[]{1, 2, 3, 1}) {
            m.setThreads(n);
            m.call(out);
            assertEquals(n, out.getLong(0), "threads set to " + n);
        }
        m.setThreads(0);
        m.call(out);
        assertTrue(out.getLong(0) >= 1);
        assertThrows(IllegalArgumentException.class, () -> m.setThreads(-1));
    }
}
