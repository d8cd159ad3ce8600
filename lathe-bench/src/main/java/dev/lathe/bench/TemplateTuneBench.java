package dev.lathe.bench;

import dev.lathe.examples.Im2colConv2dTemplate;
import dev.lathe.examples.MatmulTemplate;
import dev.lathe.measure.LocalMeasurer;
import dev.lathe.measure.RunOptions;
import dev.lathe.measure.SearchTask;
import dev.lathe.measure.Target;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.template.AppliedConfig;
import dev.lathe.template.GaTuner;
import dev.lathe.template.KernelTimer;
import dev.lathe.template.ModelTuner;
import dev.lathe.template.RecordedTuning;
import dev.lathe.template.Template;
import dev.lathe.template.Trial;
import dev.lathe.template.TuneOptions;
import dev.lathe.template.TuneResult;
import dev.lathe.template.Tuner;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Template tuning (AutoTVM-style) of MM1 (matmul 1024³) or C1 (conv2d NHWC 56×56 64→64 3×3 as
 * im2col + matmul) with the genetic and the model-based tuner, each measuring its candidates in
 * the isolated worker process and writing a records file (and its curve) under
 * {@code recordsDir}. The best config of each run is then timed in this process at 1 and 2
 * threads, interleaved with the peer (OpenBLAS sgemm as installed and SkylakeX for MM1, oneDNN
 * for C1). Candidates are tuned single-threaded: on a shared 2-core machine one thread measures
 * steadily, and the parallel outer loop is part of every config.
 */
public final class TemplateTuneBench {
    private TemplateTuneBench() {
    }

    public static void run(String workload, List<String> tuners, int trials, Path recordsDir, int repeats, PrintStream out)
            throws Exception {
        Files.createDirectories(recordsDir);
        SearchTask task;
        Template template;
        double flops;
        switch (workload) {
            case "mm1" -> {
                task = new SearchTask(MatmulTemplate.declare(1024, 1024, 1024), Target.host(), 1, Map.of());
                template = MatmulTemplate.TEMPLATE;
                flops = 2.0 * 1024 * 1024 * 1024;
            }
            case "c1" -> {
                task = new SearchTask(Im2colConv2dTemplate.declareC1(), Target.host(), 1, Map.of());
                template = Im2colConv2dTemplate.TEMPLATE;
                flops = 2.0 * 56 * 56 * 64 * 64 * 9;
            }
            default -> throw new IllegalArgumentException("workload must be mm1 or c1, got " + workload);
        }
        out.printf("%s template tuning, %d trials per tuner, candidates measured in the worker process (1 thread)%n",
                workload, trials);
        out.println("| tuner | trials | invalid or failed | tuning wall time (s) | trials to 95% of best | best while tuning (ms) |");
        out.println("|---|---|---|---|---|---|");
        List<String> labels = new ArrayList<>();
        List<Module> best = new ArrayList<>();
        // A candidate that needs more than 4 s for its checked run, warm-up and 3 repeats is at least
        // 20× slower than a good one: a timeout (as in TVM's runner) keeps the budget for the rest.
        RunOptions options = RunOptions.defaults().withTiming(1, 3, 20).withTimeoutSeconds(4);
        try (LocalMeasurer measurer = LocalMeasurer.create(options)) {
            for (String name : tuners) {
                Tuner tuner = switch (name) {
                    case "ga" -> new GaTuner();
                    case "xgb" -> new ModelTuner();
                    default -> throw new IllegalArgumentException("tuner must be ga or xgb, got " + name);
                };
                Path records = recordsDir.resolve(workload + "-" + name + ".jsonl");
                long t0 = System.nanoTime();
                TuneResult r = RecordedTuning.run(workload + " " + name, task, template, tuner, measurer,
                        new TuneOptions(trials, 16, 0, 1), records, flops, List.of());
                double wall = (System.nanoTime() - t0) / 1e9;
                Trial b = r.best().orElseThrow(() -> new IllegalStateException("no valid config measured by " + name));
                long failed = r.trials().stream().filter(t -> !t.result().ok()).count();
                out.printf("| %s | %d | %d | %.0f | %d | %.3f |%n", name, r.trials().size(), failed, wall,
                        trialsTo95(r.curve()), b.result().meanCost() * 1e3);
                labels.add(name);
                best.add(AppliedConfig.of(task, template, b.config()).build());
                out.println("best config (" + name + "): " + b.config());
            }
        }
        comparePeers(workload, task, labels, best, flops, repeats, out);
    }

    /** The first trial whose best-so-far is within 5% of the final best. */
    static int trialsTo95(double[] curve) {
        double fin = curve[curve.length - 1];
        for (int i = 0; i < curve.length; i++) {
            if (curve[i] <= fin / 0.95) {
                return i + 1;
            }
        }
        return curve.length;
    }

    private static void comparePeers(String workload, SearchTask task, List<String> labels, List<Module> best,
                                     double flops, int repeats, PrintStream out) {
        List<NDArray> args = KernelTimer.arguments(task, 11);
        NDArray[] argv = args.toArray(NDArray[]::new);
        List<String> peerLabels = new ArrayList<>();
        List<IntConsumer> peers = new ArrayList<>();
        if (workload.equals("mm1") && OpenBlas.available()) {
            List<OpenBlas> blas = new ArrayList<>(List.of(OpenBlas.load(null)));
            if (HandMatmulBench.hasAvx512()) {
                blas.add(OpenBlas.load("SkylakeX"));
            }
            NDArray c = NDArray.zeros(args.get(2).dtype(), args.get(2).shape());
            for (OpenBlas p : blas) {
                peerLabels.add("OpenBLAS " + p.label());
                peers.add(threads -> {
                    p.threads(threads);
                    p.sgemm(args.get(0), args.get(1), c);
                });
            }
        } else if (workload.equals("c1") && OneDnn.available()) {
            // The im2col DAG reads the NHWC image and the HWIO weight viewed as [KH·KW·CI, CO]: the same memory.
            OneDnn.Conv conv = OneDnn.conv2d(OneDnn.Layout.NHWC, 1, 56, 56, 64, 64, 3, 3, 1, 1, false, args.get(1));
            NDArray dst = NDArray.zeros(args.get(2).dtype(), args.get(2).shape());
            peerLabels.add("oneDNN");
            peers.add(threads -> conv.run(threads, args.get(0), null, dst));
        }
        out.printf("%nbest configs re-timed in this process next to the peers, interleaved, median of %d%n", repeats);
        StringBuilder head = new StringBuilder("| threads |");
        labels.forEach(l -> head.append(" Lathe ").append(l).append(" (ms) | GFLOP/s |"));
        peerLabels.forEach(l -> head.append(" ").append(l).append(" (ms) |"));
        out.println(head);
        out.println("|---|" + "---|---|".repeat(labels.size()) + "---|".repeat(peerLabels.size()));
        for (int threads : new int[]{1, 2}) {
            int th = threads;
            best.forEach(m -> m.setThreads(th));
            double[][] t = new double[best.size() + peers.size()][repeats];
            for (int w = 0; w < 2; w++) {
                best.forEach(m -> m.call(argv));
                peers.forEach(p -> p.accept(th));
            }
            for (int r = 0; r < repeats; r++) {
                for (int q = 0; q < best.size(); q++) {
                    Module m = best.get(q);
                    t[q][r] = Timer.time(() -> m.call(argv), 0, 1)[0];
                }
                for (int q = 0; q < peers.size(); q++) {
                    IntConsumer p = peers.get(q);
                    t[best.size() + q][r] = Timer.time(() -> p.accept(th), 0, 1)[0];
                }
            }
            StringBuilder row = new StringBuilder("| " + threads + " |");
            for (int q = 0; q < best.size(); q++) {
                double s = Timer.median(t[q]);
                row.append(String.format(" %.3f | %.1f |", s * 1e3, flops / s / 1e9));
            }
            for (int q = 0; q < peers.size(); q++) {
                row.append(String.format(" %.3f |", Timer.median(t[best.size() + q]) * 1e3));
            }
            out.println(row);
        }
    }
}
