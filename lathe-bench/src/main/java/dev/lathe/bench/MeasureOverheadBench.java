package dev.lathe.bench;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.ir.IterVar;
import dev.lathe.measure.BuildResult;
import dev.lathe.measure.LocalBuilder;
import dev.lathe.measure.LocalMeasurer;
import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.ProcessRunner;
import dev.lathe.measure.RunOptions;
import dev.lathe.measure.SearchTask;
import dev.lathe.measure.Target;
import dev.lathe.runtime.CCompiler;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static dev.lathe.te.Te.*;

/**
 * What measuring costs beyond the kernels themselves: how many candidates per second the
 * builder compiles (cold and warm compiler cache), the time the worker reports for an empty
 * kernel (the floor of every measurement) next to the same kernel called in this process, and
 * the wall time per candidate of a whole measure() call.
 */
public final class MeasureOverheadBench {
    private static final int N = 128;

    private MeasureOverheadBench() {
    }

    static List<MeasureInput> matmulCandidates(SearchTask task) {
        List<MeasureInput> out = new ArrayList<>();
        for (int fi : new int[]{2, 4, 8, 16}) {
            for (int fj : new int[]{4, 8, 16, 32, 64, 128}) {
                State s = State.initial(task.dag()).split("C", "i", fi).split("C", "j", fj)
                        .reorder("C", "i.0", "j.0", "k", "i.1", "j.1").vectorize("C", "j.1");
                out.add(new MeasureInput(task, s));
            }
        }
        return out;
    }

    public static void run(PrintStream out) {
        Tensor a = placeholder(List.of(N, N), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(N, N), DType.FLOAT32, "B");
        IterVar k = reduceAxis(0, N, "k");
        Tensor c = compute(List.of(N, N), (i, j) -> sum(a.get(i, k).mul(b.get(k, j)), k), "C");
        SearchTask task = new SearchTask(ComputeDag.of(c), Target.host(), 1, Map.of());
        List<MeasureInput> candidates = matmulCandidates(task);
        int cores = Runtime.getRuntime().availableProcessors();

        Path cache;
        try {
            cache = Files.createTempDirectory("lathe-bench-cache-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CCompiler system = CCompiler.system();
        CCompiler cc = new CCompiler(system.command(), system.flags(), cache);
        try (LocalBuilder builder = new LocalBuilder(cc, cores, 60)) {
            long t0 = System.nanoTime();
            List<BuildResult> cold = builder.build(candidates);
            double coldS = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            builder.build(candidates);
            double warmS = (System.nanoTime() - t0) / 1e9;
            long failed = cold.stream().filter(r -> !r.ok()).count();

            // The empty kernel: one element copied.
            Tensor x = placeholder(List.of(1), DType.FLOAT32, "x");
            Tensor y = compute(List.of(1), i -> x.get(i), "y");
            SearchTask empty = new SearchTask(ComputeDag.of(y), Target.host(), 1, Map.of());
            RunOptions timing = new RunOptions(1, 5, 10, false, 10, false);
            List<Double> workerCosts;
            double firstRunS;
            double perCandidateS;
            double buildPart = 0;
            double runPart = 0;
            try (ProcessRunner runner = new ProcessRunner(timing, builder);
                 LocalMeasurer measurer = new LocalMeasurer(builder, runner)) {
                MeasureInput e = new MeasureInput(empty, State.initial(empty.dag()));
                t0 = System.nanoTime();
                MeasureResult first = measurer.measure(List.of(e)).getFirst();
                firstRunS = (System.nanoTime() - t0) / 1e9;
                workerCosts = measurer.measure(List.of(e)).getFirst().costs();
                if (!first.ok() || workerCosts.isEmpty()) {
                    throw new IllegalStateException("the empty kernel did not measure: " + first.message());
                }
                RunOptions quick = new RunOptions(1, 3, 10, false, 10, false);
                try (ProcessRunner r2 = new ProcessRunner(quick, builder)) {
                    r2.run(List.of(e), builder.build(List.of(e))); // start the worker
                    t0 = System.nanoTime();
                    List<BuildResult> builds = builder.build(candidates);
                    List<MeasureResult> rs = r2.run(candidates, builds);
                    perCandidateS = (System.nanoTime() - t0) / 1e9 / candidates.size();
                    for (MeasureResult r : rs) {
                        buildPart += r.buildSeconds() / candidates.size();
                        runPart += r.runSeconds() / candidates.size();
                    }
                }
            }
            Module direct = Build.build(empty.dag(), "empty");
            NDArray xa = NDArray.zeros(DType.FLOAT32, 1);
            NDArray ya = NDArray.zeros(DType.FLOAT32, 1);
            direct.setThreads(1);
            int calls = 100_000;
            double[] inProcess = Timer.time(() -> {
                for (int i = 0; i < calls; i++) {
                    direct.call(xa, ya);
                }
            }, 3, 5);
            double inProcessS = Timer.median(inProcess) / calls;
            Module.BoundCall bound = direct.bind(xa, ya);
            double boundS = Timer.median(Timer.time(() -> {
                for (int i = 0; i < calls; i++) {
                    bound.call();
                }
            }, 3, 5)) / calls;
            double workerS = Timer.median(workerCosts.stream().mapToDouble(Double::doubleValue).toArray());

            out.printf("measurement overhead: %d matmul %d³ fp32 candidates (split/reorder/vectorize), %s, %d builder threads%n",
                    candidates.size(), N, cc.command(), cores);
            out.printf("| what | figure |%n|---|---|%n");
            out.printf("| builder, cold cache | %.2f candidates/s (%.2f s for %d, %d failed) |%n",
                    candidates.size() / coldS, coldS, candidates.size(), failed);
            out.printf("| builder, warm cache | %.0f candidates/s (%.3f s for %d) |%n",
                    candidates.size() / warmS, warmS, candidates.size());
            out.printf("| empty kernel, time reported by the worker (median of 5 repeats, ≥10 ms each) | %.0f ns |%n",
                    workerS * 1e9);
            out.printf("| empty kernel, Module.call in this process (median of 5 × %d calls) | %.0f ns |%n", calls,
                    inProcessS * 1e9);
            out.printf("| empty kernel, Module.bind(...).call() in this process (median of 5 × %d calls) | %.0f ns |%n",
                    calls, boundS * 1e9);
            out.printf("| first measure() of a runner (starts the worker JVM) | %.2f s |%n", firstRunS);
            out.printf("| wall time per candidate, measure() of %d warm-cache candidates, 3 repeats ≥10 ms | %.1f ms (build %.1f ms, run %.1f ms) |%n",
                    candidates.size(), perCandidateS * 1e3, buildPart * 1e3, runPart * 1e3);
            out.printf("ratio worker-reported / in-process bound-call empty-kernel time: %.2f%n", workerS / boundS);
        } finally {
            try (var walk = Files.walk(cache)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // Left in the temporary directory.
            }
        }
    }
}
