package dev.lathe.cli;

import dev.lathe.bench.Timer;
import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.Linalg;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import static dev.lathe.te.Te.placeholder;

/** {@code lathe demo}: declares matmul and conv2d, compiles, runs, checks them against the reference evaluator. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Declare matmul and conv2d, compile them, run them, check them against the reference evaluator.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--size", description = "matmul size n (n×n×n, default ${DEFAULT-VALUE})", defaultValue = "128")
    int size;

    @Override
    public Integer call() {
        Tensor a = placeholder(List.of(size, size), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(size, size), DType.FLOAT32, "B");
        Tensor c = Linalg.matmul(a, b, "C");
        boolean ok = run("matmul " + size + "×" + size + "×" + size, ComputeDag.of(c), 2.0 * size * size * size);

        Tensor x = placeholder(List.of(1, 28, 28, 32), DType.FLOAT32, "X");
        Tensor w = placeholder(List.of(3, 3, 32, 32), DType.FLOAT32, "W");
        Tensor y = Conv.conv2dNhwc(x, w, Conv2dParams.DEFAULT.withPadding(1), "conv");
        ok &= run("conv2d NHWC 1×28×28×32, 3×3, 32→32, pad 1", ComputeDag.of(y), 2.0 * 28 * 28 * 32 * 32 * 9);
        System.out.println(ok ? "all results match the reference evaluator" : "MISMATCH against the reference evaluator");
        return ok ? 0 : 1;
    }

    private static boolean run(String title, ComputeDag dag, double flops) {
        System.out.println("== " + title);
        System.out.println(dag);
        long t0 = System.nanoTime();
        Module m = Build.build(dag, "demo");
        System.out.printf("compiled (default schedule) in %.2f s%n", (System.nanoTime() - t0) / 1e9);
        Random rng = new Random(1);
        Map<Tensor, NDArray> inputs = new LinkedHashMap<>();
        List<NDArray> args = new ArrayList<>();
        for (Tensor t : dag.arguments()) {
            long[] shape = t.shape().stream().mapToLong(e -> ((dev.lathe.ir.IntImm) e).value()).toArray();
            NDArray arr = dag.outputs().contains(t) ? NDArray.zeros(t.dtype(), shape) : NDArray.random(t.dtype(), rng, shape);
            if (!dag.outputs().contains(t)) {
                inputs.put(t, arr);
            }
            args.add(arr);
        }
        NDArray[] argv = args.toArray(NDArray[]::new);
        double kernel = Timer.median(Timer.time(() -> m.call(argv), 1, 5));
        t0 = System.nanoTime();
        NDArray expected = ReferenceEvaluator.evaluate(dag, inputs).get(dag.outputs().getFirst());
        double reference = (System.nanoTime() - t0) / 1e9;
        NDArray got = argv[argv.length - 1];
        double worst = 0;
        for (long i = 0; i < got.size(); i++) {
            double e = expected.getDouble(i);
            worst = Math.max(worst, Math.abs(got.getDouble(i) - e) / (1e-5 + 1e-5 * Math.abs(e)));
        }
        System.out.printf("compiled kernel: %.3f ms (%.2f GFLOP/s, median of 5)   reference evaluator: %.2f s%n",
                kernel * 1e3, flops / kernel / 1e9, reference);
        boolean ok = worst <= 1;
        System.out.printf("check against the reference evaluator: %s (largest error %.1f%% of the float32 tolerance)%n%n",
                ok ? "ok" : "FAILED", worst * 100);
        return ok;
    }
}
