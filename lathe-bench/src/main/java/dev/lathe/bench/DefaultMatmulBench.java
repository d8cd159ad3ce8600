package dev.lathe.bench;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.ir.IterVar;
import dev.lathe.runtime.CCompiler;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static dev.lathe.te.Te.*;

/**
 * The default schedule of an n³ fp32 matmul against a hand-written C triple loop compiled with
 * the same compiler and flags and called the same way: the ratio shows what the generated code
 * costs over writing the naive loop by hand (it should be about 1).
 */
public final class DefaultMatmulBench {
    private DefaultMatmulBench() {
    }

    static String handWritten(int n) {
        return """
                #include <stdint.h>
                int32_t lathe_handwritten(void* const* args, const int64_t* sizes) {
                  const float* restrict A = (const float*)args[0];
                  const float* restrict B = (const float*)args[1];
                  float* restrict C = (float*)args[2];
                  for (int64_t i = 0; i < SIZE; ++i)
                    for (int64_t j = 0; j < SIZE; ++j) {
                      C[i * SIZE + j] = 0.0f;
                      for (int64_t k = 0; k < SIZE; ++k)
                        C[i * SIZE + j] += A[i * SIZE + k] * B[k * SIZE + j];
                    }
                  return 0;
                }
                """.replace("SIZE", Integer.toString(n));
    }

    public static void run(int n, int repeats, PrintStream out) {
        Tensor a = placeholder(List.of(n, n), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(n, n), DType.FLOAT32, "B");
        IterVar k = reduceAxis(0, n, "k");
        Tensor c = compute(List.of(n, n), (i, j) -> sum(a.get(i, k).mul(b.get(k, j)), k), "C");
        Module lathe = Build.build(ComputeDag.of(c), "matmul");

        CCompiler cc = CCompiler.system();
        Path lib = cc.compile(handWritten(n));
        Module hand = new Module("handwritten", "lathe_handwritten", lathe.params(), List.of(), handWritten(n), List.of(), lib);

        Random rng = new Random(0);
        NDArray x = NDArray.random(DType.FLOAT32, rng, n, n);
        NDArray y = NDArray.random(DType.FLOAT32, rng, n, n);
        NDArray z1 = NDArray.zeros(DType.FLOAT32, n, n);
        NDArray z2 = NDArray.zeros(DType.FLOAT32, n, n);
        lathe.call(x, y, z1);
        hand.call(x, y, z2);
        double maxDiff = 0;
        for (long i = 0; i < z1.size(); i++) {
            maxDiff = Math.max(maxDiff, Math.abs(z1.getDouble(i) - z2.getDouble(i)));
        }
        // Alternate the two so that drift in machine load affects both alike.
        double[] tl = new double[repeats];
        double[] th = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            tl[r] = Timer.time(() -> lathe.call(x, y, z1), 0, 1)[0];
            th[r] = Timer.time(() -> hand.call(x, y, z2), 0, 1)[0];
        }
        double ml = Timer.median(tl);
        double mh = Timer.median(th);
        double flops = 2.0 * n * n * n;
        out.printf("matmul %d³ fp32, 1 thread, default schedule vs hand-written C (%s %s), median of %d%n",
                n, cc.command(), String.join(" ", cc.flags()), repeats);
        out.printf("| kernel | time (ms) | GFLOP/s |%n|---|---|---|%n");
        out.printf("| Lathe default schedule | %.1f | %.2f |%n", ml * 1e3, flops / ml / 1e9);
        out.printf("| hand-written C triple loop | %.1f | %.2f |%n", mh * 1e3, flops / mh / 1e9);
        out.printf("ratio Lathe / hand-written: %.3f (max |difference| of outputs: %.2e)%n", ml / mh, maxDiff);
    }
}
