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
import java.util.Optional;

/**
 * Auto-scheduling benchmark: per workload, the static mode and the tuned program after each
 * checkpoint of measured trials (e.g. 200 and 1000, one search continuing from one to the next and
 * from the records file {@code <recordsDir>/<id>.jsonl} of an earlier run), timed in turn
 * in this process with the workload's {@link Peers peer}, plus the tuning wall time up to each
 * checkpoint and the trials needed to reach 95% of the final best.
 */
public final class AutoTuneBench {
    private AutoTuneBench() {
    }

    public static void run(List<String> ids, List<Integer> checkpoints, int threads, Path recordsDir, int repeats,
                           PrintStream out) {
        List<Integer> cps = checkpoints.stream().sorted().distinct().toList();
        if (cps.isEmpty() || cps.getFirst() < 1) {
            throw new IllegalArgumentException("trial checkpoints must be >= 1, got " + checkpoints);
        }
        out.printf("auto-scheduling, %s trials per workload, %d thread(s); kernels timed in turn, median of %d%n",
                cps, threads, repeats);
        StringBuilder head = new StringBuilder("| workload | static (ms) |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (int c : cps) {
            head.append(String.format(" %d trials (ms) | GFLOP/s | wall (s) |", c));
            rule.append("---|---|---|");
        }
        head.append(" trials to 95% | static / tuned speed | peer | peer (ms) | peer time / tuned time |");
        rule.append("---|---|---|---|---|");
        out.println(head);
        out.println(rule);
        for (String id : ids) {
            Workloads.Workload w = Workloads.get(id);
            SearchTask task = w.task().apply(threads);
            Path records = recordsDir.resolve(id + ".jsonl");
            List<Module> tuned = new ArrayList<>();
            List<Double> walls = new ArrayList<>();
            long t0 = System.nanoTime();
            AutoScheduler.tune(task, w.flops(), cps, records, t -> {
                // Compiling the checkpoint's program counts in the wall time, as a user would wait for it.
                walls.add((System.nanoTime() - t0) / 1e9);
                t.module().setThreads(threads);
                tuned.add(t.module());
            });
            Module statical = Build.build(AutoScheduler.schedule(task.dag(), task.target()), "static");
            statical.setThreads(threads);
            List<NDArray> args = KernelTimer.arguments(task, 5);
            NDArray[] argv = args.toArray(NDArray[]::new);
            Optional<Peers.Peer> peer = Peers.of(id, task, args, threads);
            List<Runnable> kernels = new ArrayList<>();
            kernels.add(() -> statical.call(argv));
            tuned.forEach(m -> kernels.add(() -> m.call(argv)));
            peer.ifPresent(p -> kernels.add(p.run()));
            double[][] t = Timer.interleaved(repeats, kernels.toArray(Runnable[]::new));
            double ts = Timer.median(t[0]);
            double last = Timer.median(t[cps.size()]);
            StringBuilder row = new StringBuilder(String.format("| %s | %.3f |", id, ts * 1e3));
            for (int i = 0; i < cps.size(); i++) {
                double tt = Timer.median(t[1 + i]);
                row.append(String.format(" %.3f | %.1f | %.0f |", tt * 1e3, w.flops() / tt / 1e9, walls.get(i)));
            }
            row.append(String.format(" %d | %.2f |", trialsTo95(task, records), last / ts));
            if (peer.isPresent()) {
                double tp = Timer.median(t[cps.size() + 1]);
                row.append(String.format(" %s | %.3f | %.2f |", peer.get().name(), tp * 1e3, tp / last));
            } else {
                row.append(" – | – | – |");
            }
            out.println(row);
            out.flush();
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
