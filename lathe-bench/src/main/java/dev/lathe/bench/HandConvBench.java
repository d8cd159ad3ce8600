package dev.lathe.bench;

import dev.lathe.build.Build;
import dev.lathe.examples.Conv2dBiasReluSchedule;
import dev.lathe.ir.DType;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;

import java.io.PrintStream;
import java.util.Random;

/**
 * The hand-written conv2d schedules ({@link Conv2dBiasReluSchedule}) on C1 (conv2d NHWC 1×56×56×64,
 * 3×3×64×64, stride 1, pad 1) and C6 (C1 + bias + relu) next to the default schedule of the same DAG
 * (every stage at root, loops in declaration order), and oneDNN's convolution (with its bias and ReLU
 * post-op for C6) when {@code libdnnl-dev} is installed, timed in turn, at 1 and 2 threads.
 */
public final class HandConvBench {
    private HandConvBench() {
    }

    public static void run(int repeats, PrintStream out) {
        double flops = 2.0 * 56 * 56 * 64 * 64 * 9;
        out.printf("conv2d NHWC 1×56×56×64 ⊛ 3×3×64×64, stride 1, pad 1, fp32 (%.1f MFLOP): hand schedule "
                + "(tile %d columns × %d channels) vs the default schedule, median of %d%n",
                flops / 1e6, Conv2dBiasReluSchedule.XT, Conv2dBiasReluSchedule.OCT, repeats);
        boolean dnnl = OneDnn.available();
        out.printf("| workload | threads | default (ms) | default GFLOP/s | hand (ms) | hand GFLOP/s | speedup |%s%n",
                dnnl ? " oneDNN (ms) | oneDNN time / hand time |" : "");
        out.printf("|---|---|---|---|---|---|---|%s%n", dnnl ? "---|---|" : "");
        Random rng = new Random(0);
        NDArray data = NDArray.random(DType.FLOAT32, rng, 1, 56, 56, 64);
        NDArray weight = NDArray.random(DType.FLOAT32, rng, 3, 3, 64, 64);
        NDArray bias = NDArray.random(DType.FLOAT32, rng, 64);
        for (String w : new String[]{"C1", "C6"}) {
            ComputeDag dag = w.equals("C1") ? Conv2dBiasReluSchedule.c1() : Conv2dBiasReluSchedule.c6();
            Module naive = Build.build(dag, w.toLowerCase() + "_default");
            Module hand = Build.build(Conv2dBiasReluSchedule.schedule(dag), w.toLowerCase() + "_hand");
            NDArray o1 = NDArray.zeros(DType.FLOAT32, 1, 56, 56, 64);
            NDArray o2 = NDArray.zeros(DType.FLOAT32, 1, 56, 56, 64);
            NDArray[] a1 = w.equals("C1") ? new NDArray[]{data, weight, o1} : new NDArray[]{data, weight, bias, o1};
            NDArray[] a2 = w.equals("C1") ? new NDArray[]{data, weight, o2} : new NDArray[]{data, weight, bias, o2};
            boolean c6 = w.equals("C6");
            OneDnn.Conv peer = dnnl ? OneDnn.conv2d(OneDnn.Layout.NHWC, 1, 56, 56, 64, 64, 3, 3, 1, 1, c6, weight) : null;
            NDArray o3 = NDArray.zeros(DType.FLOAT32, 1, 56, 56, 64);
            for (int threads : new int[]{1, 2}) {
                int th = threads;
                naive.setThreads(threads);
                hand.setThreads(threads);
                double[][] t = dnnl
                        ? Timer.interleaved(repeats, () -> naive.call(a1), () -> hand.call(a2), () -> peer.run(th, data, bias, o3))
                        : Timer.interleaved(repeats, () -> naive.call(a1), () -> hand.call(a2));
                double mn = Timer.median(t[0]);
                double mh = Timer.median(t[1]);
                out.printf("| %s | %d | %.1f | %.2f | %.2f | %.1f | %.1f× |", w, threads, mn * 1e3, flops / mn / 1e9,
                        mh * 1e3, flops / mh / 1e9, mn / mh);
                if (dnnl) {
                    double md = Timer.median(t[2]);
                    out.printf(" %.2f | %.2f |", md * 1e3, md / mh);
                }
                out.println();
            }
            if (dnnl) {
                out.printf("%s: max |oneDNN − hand| = %.2e, max |oneDNN − default| = %.2e%n", w, Timer.maxDiff(o3, o2),
                        Timer.maxDiff(o3, o1));
            }
            out.printf("%s: max |hand − default| = %.2e%n", w, Timer.maxDiff(o1, o2));
        }
    }
}
