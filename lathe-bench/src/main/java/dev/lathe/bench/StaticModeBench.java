package dev.lathe.bench;

import dev.lathe.autoschedule.AutoScheduler;
import dev.lathe.build.Build;
import dev.lathe.examples.BsrMatmulSchedule;
import dev.lathe.examples.BsrMatrix;
import dev.lathe.examples.Conv2dBiasReluSchedule;
import dev.lathe.examples.MatmulSchedule;
import dev.lathe.ir.DType;
import dev.lathe.measure.Target;
import dev.lathe.ops.Norm;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

import static dev.lathe.te.Te.placeholder;

/**
 * The static mode of the auto-scheduler ({@link AutoScheduler#schedule}: no measurements) on MM1 (matmul
 * 1024³), C1 (conv2d NHWC 56×56, 64→64, 3×3, pad 1), C6 (C1 + bias + relu), S1 (BSR 128×256 · 256×512,
 * 16×1 blocks, density 0.6) and R1 (softmax 128×1000): the time to schedule, and the kernel's latency at
 * 1 and 2 threads next to the default schedule, the hand-written schedules of the examples, and OpenBLAS
 * (MM1) or oneDNN (C1, C6) where installed. Kernels are timed interleaved; medians.
 */
public final class StaticModeBench {
    private StaticModeBench() {
    }

    /** A workload: its DAG, inputs by tensor, FLOPs, a hand schedule (or null), and a peer by threads (or null). */
    record Workload(String name, ComputeDag dag, Map<Tensor, NDArray> inputs, double flops, State hand,
                    IntFunction<Runnable> peer) {
    }

    public static void run(int repeats, PrintStream out) {
        Target target = Target.host();
        out.printf("static mode on %s (%d cores, %d-byte vectors, L1 %d KiB, L2 %d KiB): time to schedule, and "
                        + "kernel latency (ms, median of %d) of the default, static and hand schedules and of peers%n",
                target.name(), target.cores(), target.vectorBytes(), target.l1Bytes() >> 10, target.l2Bytes() >> 10,
                repeats);
        out.println("| workload | schedule (ms) | threads | default (ms) | static (ms) | static GFLOP/s | hand (ms) "
                + "| static / hand speed | peer | peer (ms) |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Workload w : workloads()) {
            // Time to schedule: the first call (cold) and the median of 5 later ones.
            long t0 = System.nanoTime();
            State s = AutoScheduler.schedule(w.dag(), target);
            double cold = (System.nanoTime() - t0) / 1e6;
            double[] warm = Timer.time(() -> AutoScheduler.schedule(w.dag(), target), 0, 5);
            String sched = String.format("%.0f cold, %.1f warm", cold, Timer.median(warm) * 1e3);
            String id = w.name().toLowerCase();
            Module def = Build.build(w.dag(), id + "_default");
            Module stat = Build.build(s, id + "_static");
            Module hand = w.hand() == null ? null : Build.build(w.hand(), id + "_hand");
            NDArray[] aDef = args(w, w.dag());
            NDArray[] aStat = args(w, w.dag());
            NDArray[] aHand = args(w, w.dag());
            for (int threads : new int[]{1, 2}) {
                def.setThreads(threads);
                stat.setThreads(threads);
                List<Runnable> ks = new ArrayList<>(List.of(() -> def.call(aDef), () -> stat.call(aStat)));
                if (hand != null) {
                    hand.setThreads(threads);
                    ks.add(() -> hand.call(aHand));
                }
                Runnable peer = w.peer() == null ? null : w.peer().apply(threads);
                if (peer != null) {
                    ks.add(peer);
                }
                double[][] t = Timer.interleaved(repeats, ks.toArray(Runnable[]::new));
                double md = Timer.median(t[0]) * 1e3;
                double ms = Timer.median(t[1]) * 1e3;
                String handCol = "–";
                String ratio = "–";
                if (hand != null) {
                    double mh = Timer.median(t[2]) * 1e3;
                    handCol = String.format("%.3f", mh);
                    ratio = String.format("%.0f%%", 100 * mh / ms);
                }
                String peerName = peer == null ? "–" : w.name().equals("MM1") ? "OpenBLAS" : "oneDNN";
                String peerCol = peer == null ? "–" : String.format("%.3f", Timer.median(t[t.length - 1]) * 1e3);
                out.printf("| %s | %s | %d | %.3f | %.3f | %.1f | %s | %s | %s | %s |%n", w.name(), sched, threads, md,
                        ms, w.flops() / ms / 1e6, handCol, ratio, peerName, peerCol);
            }
            out.printf("%s: max |static − default| = %.2e%n", w.name(), Timer.maxDiff(out(w, aDef), out(w, aStat)));
        }
    }

    private static NDArray out(Workload w, NDArray[] args) {
        List<Tensor> as = w.dag().arguments();
        for (int i = 0; i < as.size(); i++) {
            if (w.dag().outputs().contains(as.get(i))) {
                return args[i];
            }
        }
        throw new IllegalStateException("no output");
    }

    private static NDArray[] args(Workload w, ComputeDag dag) {
        List<NDArray> out = new ArrayList<>();
        for (Tensor t : dag.arguments()) {
            if (dag.outputs().contains(t)) {
                out.add(NDArray.zeros(t.dtype(), dims(t)));
            } else {
                out.add(w.inputs().get(t));
            }
        }
        return out.toArray(NDArray[]::new);
    }

    private static long[] dims(Tensor t) {
        return t.shape().stream().mapToLong(e -> ((dev.lathe.ir.IntImm) e).value()).toArray();
    }

    private static Map<Tensor, NDArray> random(ComputeDag dag, Random rng) {
        Map<Tensor, NDArray> in = new HashMap<>();
        for (var p : dag.placeholders()) {
            in.put(p.output(0), NDArray.random(p.dtype(0), rng, dims(p.output(0))));
        }
        return in;
    }

    static List<Workload> workloads() {
        List<Workload> out = new ArrayList<>();
        Random rng = new Random(0);
        // MM1
        ComputeDag mm = MatmulSchedule.declare(1024, 1024, 1024);
        Map<Tensor, NDArray> mmIn = random(mm, rng);
        IntFunction<Runnable> blas = null;
        if (OpenBlas.available()) {
            OpenBlas p = OpenBlas.load(null);
            NDArray a = mmIn.get(mm.placeholders().get(0).output(0));
            NDArray b = mmIn.get(mm.placeholders().get(1).output(0));
            NDArray c = NDArray.zeros(DType.FLOAT32, 1024, 1024);
            blas = th -> {
                p.threads(th);
                return () -> p.sgemm(a, b, c);
            };
        }
        out.add(new Workload("MM1", mm, mmIn, 2.0 * 1024 * 1024 * 1024, MatmulSchedule.schedule(mm), blas));
        // C1, C6
        for (boolean c6 : new boolean[]{false, true}) {
            ComputeDag dag = c6 ? Conv2dBiasReluSchedule.c6() : Conv2dBiasReluSchedule.c1();
            Map<Tensor, NDArray> in = random(dag, rng);
            IntFunction<Runnable> dnnl = null;
            if (OneDnn.available()) {
                NDArray data = byName(dag, in, "data");
                NDArray weight = byName(dag, in, "weight");
                NDArray bias = c6 ? byName(dag, in, "bias") : NDArray.zeros(DType.FLOAT32, 64);
                OneDnn.Conv peer = OneDnn.conv2d(OneDnn.Layout.NHWC, 1, 56, 56, 64, 64, 3, 3, 1, 1, c6, weight);
                NDArray o = NDArray.zeros(DType.FLOAT32, 1, 56, 56, 64);
                dnnl = th -> () -> peer.run(th, data, bias, o);
            }
            out.add(new Workload(c6 ? "C6" : "C1", dag, in, 2.0 * 56 * 56 * 64 * 64 * 9,
                    Conv2dBiasReluSchedule.schedule(dag), dnnl));
        }
        // S1
        BsrMatrix a = BsrMatrix.random(128, 256, 16, 1, 0.6, new Random(0));
        BsrMatmulSchedule.Declared d = BsrMatmulSchedule.declare(128, 256, 512, 16, 1, a.nnzBlocks());
        Map<Tensor, NDArray> sIn = new HashMap<>();
        sIn.put(d.a().data(), a.dataArray());
        sIn.put(d.a().indices(), a.indicesArray());
        sIn.put(d.a().indptr(), a.indptrArray());
        sIn.put(d.b(), NDArray.random(DType.FLOAT32, rng, 256, 512));
        out.add(new Workload("S1", d.dag(), sIn, 2.0 * a.nnzBlocks() * 16 * 512, BsrMatmulSchedule.schedule(d.dag(), 16),
                null));
        // R1
        Tensor x = placeholder(List.of(128, 1000), DType.FLOAT32, "X");
        ComputeDag sm = ComputeDag.of(Norm.softmax(x, 1, "softmax"));
        out.add(new Workload("R1", sm, random(sm, rng), 128 * 1000 * 5.0, null, null));
        return out;
    }

    private static NDArray byName(ComputeDag dag, Map<Tensor, NDArray> in, String name) {
        return in.entrySet().stream().filter(e -> e.getKey().name().equals(name)).findFirst().orElseThrow().getValue();
    }
}
