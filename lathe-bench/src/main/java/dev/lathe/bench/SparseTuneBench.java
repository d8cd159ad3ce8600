package dev.lathe.bench;

import dev.lathe.autoschedule.AutoScheduler;
import dev.lathe.autoschedule.AutoTuner;
import dev.lathe.autoschedule.EvolutionarySearch;
import dev.lathe.autoschedule.SketchPolicy;
import dev.lathe.autoschedule.SketchRule;
import dev.lathe.autoschedule.model.XgbCostModel;
import dev.lathe.build.Build;
import dev.lathe.examples.BsrRegisterTileRule;
import dev.lathe.measure.LocalMeasurer;
import dev.lathe.measure.RunOptions;
import dev.lathe.measure.SearchTask;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.template.KernelTimer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sparse auto-scheduling benchmark: per sparse workload (S1, S2 at sparsity 0.5 / 0.7 / 0.9), its
 * untuned default schedule, the program tuned with the default rules, and the dense equivalent
 * (S1-dense, C1) tuned with the same budget; then S1 tuned with the custom rule
 * {@link BsrRegisterTileRule} next to the default rules, both by the same search without the
 * static mode's seed program. GFLOP/s are effective: every row divides the sparse workload's
 * flops (2 per multiply-add of the stored values only) by its time, so a dense row's figure is the
 * rate at which it does the useful work. Ratios are each row's time over the tuned sparse time.
 * Latencies are timed here, the kernels in turn; the last column is the best time the search itself
 * measured in its worker process, to show how far the two timings agree on this shared machine.
 * Records continue {@code <recordsDir>/<id>.jsonl}: a run with a larger budget extends a smaller one.
 */
public final class SparseTuneBench {
    /** The workloads run when none is given. */
    public static final List<String> DEFAULT_IDS = List.of("S1", "S2-50", "S2-70", "S2-90");

    private SparseTuneBench() {
    }

    public static void run(List<String> ids, int trials, int threads, Path recordsDir, int repeats, PrintStream out) {
        out.printf("sparse auto-scheduling, %d trials per tuned row, %d thread(s); kernels timed in turn, median of %d;%n"
                + "GFLOP/s are effective (the sparse workload's non-zero multiply-adds only, for every row)%n",
                trials, threads, repeats);
        out.println("| workload | program | trials | latency (ms) | effective GFLOP/s | time / tuned sparse time "
                + "| search's own time (ms) |");
        out.println("|---|---|---|---|---|---|---|");
        Map<String, AutoScheduler.Tuned> denseTuned = new HashMap<>();
        for (String id : ids) {
            Workloads.Workload w = Workloads.get(id);
            SearchTask task = w.task().apply(threads);
            AutoScheduler.Tuned tuned = AutoScheduler.tune(task, w.flops(), trials, recordsDir.resolve(id + ".jsonl"));
            Module untuned = Build.build(task.dag(), "untuned");
            untuned.setThreads(threads);
            tuned.module().setThreads(threads);
            String denseId = id.equals("S1") ? "S1-dense" : "C1";
            Workloads.Workload dw = Workloads.get(denseId);
            SearchTask denseTask = dw.task().apply(threads);
            AutoScheduler.Tuned dense = denseTuned.computeIfAbsent(denseId,
                    d -> AutoScheduler.tune(denseTask, dw.flops(), trials, recordsDir.resolve(d + ".jsonl")));
            dense.module().setThreads(threads);
            NDArray[] sparseArgs = KernelTimer.arguments(task, 5).toArray(NDArray[]::new);
            NDArray[] denseArgs = KernelTimer.arguments(denseTask, 5).toArray(NDArray[]::new);
            // Bound calls, as the measuring worker times them: no per-call argument checks.
            double[][] t = Timer.interleaved(repeats, untuned.bind(sparseArgs)::call, tuned.module().bind(sparseArgs)::call,
                    dense.module().bind(denseArgs)::call);
            double ref = Timer.median(t[1]);
            row(out, id, "untuned default schedule", 0, Timer.median(t[0]), w.flops(), ref, Double.NaN);
            row(out, id, "tuned, default rules", tuned.trials(), ref, w.flops(), ref, tuned.bestSeconds());
            row(out, id, "dense " + denseId + ", tuned", dense.trials(), Timer.median(t[2]), w.flops(), ref,
                    dense.bestSeconds());
        }
        if (ids.contains("S1")) {
            compareRules(trials, threads, recordsDir, repeats, out);
        }
    }

    /** S1 tuned by the same search with the default rules and with the custom rule first. */
    private static void compareRules(int trials, int threads, Path recordsDir, int repeats, PrintStream out) {
        Workloads.Workload w = Workloads.get("S1");
        SearchTask task = w.task().apply(threads);
        AutoScheduler.Tuned byDefault = tuneWith(task, List.of(), w.flops(), trials, recordsDir.resolve("S1-rules-default.jsonl"));
        AutoScheduler.Tuned byCustom = tuneWith(task, List.of(BsrRegisterTileRule.of("C", 16)), w.flops(), trials,
                recordsDir.resolve("S1-rules-custom.jsonl"));
        byDefault.module().setThreads(threads);
        byCustom.module().setThreads(threads);
        NDArray[] args = KernelTimer.arguments(task, 5).toArray(NDArray[]::new);
        double[][] t = Timer.interleaved(repeats, byDefault.module().bind(args)::call, byCustom.module().bind(args)::call);
        double ref = Timer.median(t[0]);
        row(out, "S1", "search, default rules only", byDefault.trials(), ref, w.flops(), ref, byDefault.bestSeconds());
        row(out, "S1", "search, custom rule bsr-register-tile", byCustom.trials(), Timer.median(t[1]), w.flops(), ref,
                byCustom.bestSeconds());
        out.println("(the last two rows: time / the default rules' time)");
    }

    private static AutoScheduler.Tuned tuneWith(SearchTask task, List<SketchRule> rules, double flops, int trials, Path records) {
        try {
            Files.createDirectories(records.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + records.getParent(), e);
        }
        RunOptions run = RunOptions.defaults().withTiming(1, 3, 20).withTimeoutSeconds(10);
        try (LocalMeasurer measurer = LocalMeasurer.create(run); XgbCostModel model = new XgbCostModel(0)) {
            AutoTuner.Options o = AutoTuner.Options.defaults().withFlops(flops).withRecords(records);
            EvolutionarySearch search = new EvolutionarySearch(task, new SketchPolicy(task, rules),
                    EvolutionarySearch.Options.defaults());
            try (AutoTuner tuner = new AutoTuner(search, measurer, model, o)) {
                int left = Math.max(0, trials - tuner.resume());
                if (left > 0) {
                    tuner.tune(left, 16);
                }
                State best = tuner.bestState().orElseGet(() -> AutoScheduler.schedule(task.dag(), task.target()));
                return new AutoScheduler.Tuned("S1", best, Build.build(best, "tuned"), tuner.bestSeconds(),
                        tuner.trials() + tuner.resumed());
            }
        }
    }

    /** {@code searched}: the best time the search measured in its worker (NaN for an untuned row). */
    private static void row(PrintStream out, String id, String program, int trials, double seconds, double flops,
                            double ref, double searched) {
        out.printf("| %s | %s | %s | %.3f | %.2f | %.2f | %s |%n", id, program, trials == 0 ? "–" : String.valueOf(trials),
                seconds * 1e3, flops / seconds / 1e9, seconds / ref,
                Double.isFinite(searched) ? String.format("%.3f", searched * 1e3) : "–");
    }
}
