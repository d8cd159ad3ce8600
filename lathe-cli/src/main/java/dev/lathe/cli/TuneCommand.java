package dev.lathe.cli;

import dev.lathe.autoschedule.AutoScheduler;
import dev.lathe.autoschedule.UserWorkload;
import dev.lathe.bench.Timer;
import dev.lathe.bench.Workloads;
import dev.lathe.build.Build;
import dev.lathe.measure.SearchTask;
import dev.lathe.records.TuningCurve;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.template.KernelTimer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * {@code lathe tune ID}: auto-schedules a benchmark workload (or a user's own, from a jar) with a
 * trial budget, measuring in the worker process and recording every trial; prints the tuned
 * kernel next to the default schedule.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Auto-schedule a workload: MM1, C1, S1, ... (see docs/benchmarks.md) or, with --jar, your own.")
final class TuneCommand implements Runnable {
    @Parameters(index = "0", description = "workload id: ${COMPLETION-CANDIDATES}", completionCandidates = Ids.class)
    String id;

    @Option(names = "--trials", description = "measured trials in all, counting those already in the records file (default ${DEFAULT-VALUE})",
            defaultValue = "64")
    int trials;

    @Option(names = "--per-round", description = "trials per measured batch (default ${DEFAULT-VALUE})", defaultValue = "16")
    int perRound;

    @Option(names = "--threads", description = "threads of the kernel (default ${DEFAULT-VALUE}; 0: all cores)", defaultValue = "1")
    int threads;

    @Option(names = "--records", description = "records file; a run continues the records it holds (default lathe-records/ID.jsonl)")
    Path records;

    @Option(names = "--jar", description = "a jar whose UserWorkload services declare the workload")
    Path jar;

    @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})", defaultValue = "0")
    long seed;

    static final class Ids extends ArrayList<String> {
        Ids() {
            super(Workloads.ids());
        }
    }

    @Override
    public void run() {
        SearchTask task;
        double flops;
        if (jar != null) {
            UserWorkload w = userWorkload();
            task = w.task(threads);
            flops = w.flops();
        } else {
            Workloads.Workload w = Workloads.get(id);
            task = w.task().apply(threads);
            flops = w.flops();
        }
        Path file = records != null ? records : Path.of("lathe-records", id + ".jsonl");
        System.out.println("== " + id + ": " + task.dag().outputs().getFirst().name() + " " + task.dag().outputs().getFirst().shape());
        long t0 = System.nanoTime();
        AutoScheduler.Tuned tuned = AutoScheduler.tune(task, flops, trials, file);
        double wall = (System.nanoTime() - t0) / 1e9;
        long s0 = System.nanoTime();
        State stat = AutoScheduler.schedule(task.dag(), task.target());
        double staticMs = (System.nanoTime() - s0) / 1e6;
        Module statical = Build.build(stat, "static");
        Module naive = Build.build(task.dag(), "default");
        statical.setThreads(threads);
        naive.setThreads(threads);
        // Tuned and static timed in turn, so that drifting load (the worker or the cost model's
        // threads winding down) hits both alike.
        NDArray[] args = KernelTimer.arguments(task, 1).toArray(NDArray[]::new);
        double[][] t = Timer.interleaved(7, () -> tuned.module().call(args), () -> statical.call(args));
        double tTuned = Timer.median(t[0]);
        double tStatic = Timer.median(t[1]);
        double tNaive = Timer.median(Timer.time(() -> naive.call(args), 1, 3));
        System.out.printf("%d trials in the records (tuning took %.0f s); records %s (curve %s)%n",
                tuned.trials(), wall, file, TuningCurve.pngFor(file));
        System.out.println(tuned.best());
        System.out.printf("| schedule | latency (ms) | GFLOP/s |%n|---|---|---|%n");
        System.out.printf("| tuned | %.3f | %s |%n", tTuned * 1e3, gflops(flops, tTuned));
        System.out.printf("| static mode (no measurement, %.0f ms to schedule) | %.3f | %s |%n", staticMs, tStatic * 1e3,
                gflops(flops, tStatic));
        System.out.printf("| default | %.3f | %s |%n", tNaive * 1e3, gflops(flops, tNaive));
        System.out.printf("tuned: %.1fx the default schedule's speed%n", tNaive / tTuned);
    }

    private UserWorkload userWorkload() {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("--jar " + jar + " is not a file");
        }
        URLClassLoader loader;
        try {
            loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, TuneCommand.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("--jar " + jar + ": " + e.getMessage(), e);
        }
        List<String> offered = new ArrayList<>();
        for (UserWorkload w : ServiceLoader.load(UserWorkload.class, loader)) {
            if (w.id().equals(id)) {
                return w;
            }
            offered.add(w.id());
        }
        throw new IllegalArgumentException(jar + " declares no workload '" + id + "' (it declares " + offered
                + "; list implementations in META-INF/services/" + UserWorkload.class.getName() + ")");
    }

    private static String gflops(double flops, double seconds) {
        return flops > 0 ? String.format("%.1f", flops / seconds / 1e9) : "–";
    }
}
