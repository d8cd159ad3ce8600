package dev.lathe.bench;

import dev.lathe.autoschedule.AutoScheduler;
import dev.lathe.build.Build;
import dev.lathe.measure.SearchTask;
import dev.lathe.records.MeasureRecord;
import dev.lathe.records.RecordReader;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.template.KernelTimer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Auto-scheduling benchmark: per workload, the static mode and the tuned program after
 * {@code trials} measured trials (continuing {@code <recordsDir>/<id>.jsonl}, so a second run with
 * a larger budget extends the first), timed in turn in this process with the peer of the
 * workload (OpenBLAS SkylakeX sgemm for MM1/MM1-512, oneDNN for the NHWC convolutions C1–C4, C6),
 * plus the tuning wall time and the trials needed to reach 95% of the best.
 */
public final class AutoTuneBench {
    private AutoTuneBench() {
    }

    public static void run(List<String> ids, int trials, int threads, Path recordsDir, int repeats, PrintStream out) {
        out.printf("auto-scheduling, %d trials per workload, %d thread(s); kernels timed in turn, median of %d%n",
                trials, threads, repeats);
        out.println("| workload | trials | tuning wall (s) | trials to 95% | static (ms) | tuned (ms) | tuned GFLOP/s | peer | peer (ms) | peer time / tuned time |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String id : ids) {
            Workloads.Workload w = Workloads.get(id);
            SearchTask task = w.task().apply(threads);
            Path records = recordsDir.resolve(id + ".jsonl");
            long t0 = System.nanoTime();
            AutoScheduler.Tuned tuned = AutoScheduler.tune(task, w.flops(), trials, records);
            double wall = (System.nanoTime() - t0) / 1e9;
            Module statical = Build.build(AutoScheduler.schedule(task.dag(), task.target()), "static");
            statical.setThreads(threads);
            tuned.module().setThreads(threads);
            List<NDArray> args = KernelTimer.arguments(task, 5);
            NDArray[] argv = args.toArray(NDArray[]::new);
            String peerName = "–";
            Runnable peer = null;
            if (id.startsWith("MM1") && OpenBlas.available() && HandMatmulBench.hasAvx512()) {
                OpenBlas blas = OpenBlas.load("SkylakeX");
                blas.threads(threads);
                NDArray c = NDArray.zeros(args.get(2).dtype(), args.get(2).shape());
                peerName = "OpenBLAS SkylakeX";
                peer = () -> blas.sgemm(args.get(0), args.get(1), c);
            } else if (id.matches("C[1-46]") && OneDnn.available()) {
                long[] in = args.get(0).shape();
                long[] wt = args.get(1).shape();
                int k = (int) wt[0];
                int pad = k / 2;
                boolean biasRelu = id.equals("C6");
                OneDnn.Conv conv = OneDnn.conv2d(OneDnn.Layout.NHWC, 1, (int) in[1], (int) in[2], (int) in[3], (int) wt[3],
                        k, k, 1, pad, biasRelu, args.get(1));
                NDArray dst = NDArray.zeros(args.getLast().dtype(), args.getLast().shape());
                NDArray bias = biasRelu ? args.get(2) : null;
                peerName = "oneDNN";
                peer = () -> conv.run(threads, args.get(0), bias, dst);
            }
            List<Runnable> kernels = new ArrayList<>(List.of(() -> statical.call(argv), () -> tuned.module().call(argv)));
            if (peer != null) {
                kernels.add(peer);
            }
            double[][] t = Timer.interleaved(repeats, kernels.toArray(Runnable[]::new));
            double ts = Timer.median(t[0]);
            double tt = Timer.median(t[1]);
            String peerMs = peer == null ? "–" : String.format("%.3f", Timer.median(t[2]) * 1e3);
            String ratio = peer == null ? "–" : String.format("%.2f", Timer.median(t[2]) / tt);
            out.printf("| %s | %d | %.0f | %d | %.3f | %.3f | %.1f | %s | %s | %s |%n", id, tuned.trials(), wall,
                    trialsTo95(task, records), ts * 1e3, tt * 1e3, w.flops() / tt / 1e9, peerName, peerMs, ratio);
        }
    }

    /** The first trial (in record order) whose best-so-far is within 5% of the best of the records of this task. */
    static int trialsTo95(SearchTask task, Path records) {
        List<Double> best = new ArrayList<>();
        double b = Double.POSITIVE_INFINITY;
        for (MeasureRecord r : RecordReader.read(records).records()) {
            if (r.workloadKey().equals(task.dag().workloadKey()) && r.target().equals(task.target())) {
                b = Math.min(b, r.meanCost());
                best.add(b);
            }
        }
        return best.isEmpty() ? 0 : TemplateTuneBench.trialsTo95(best.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
