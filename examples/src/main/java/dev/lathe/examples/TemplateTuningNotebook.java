package dev.lathe.examples;

import dev.lathe.measure.LocalMeasurer;
import dev.lathe.measure.RunOptions;
import dev.lathe.measure.SearchTask;
import dev.lathe.records.TuningCurve;
import dev.lathe.measure.Target;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.Tensor;
import dev.lathe.template.AppliedConfig;
import dev.lathe.template.ConfigSpace;
import dev.lathe.template.GaTuner;
import dev.lathe.template.KernelTimer;
import dev.lathe.template.ModelTuner;
import dev.lathe.template.RecordedTuning;
import dev.lathe.template.Template;
import dev.lathe.template.Trial;
import dev.lathe.template.TuneOptions;
import dev.lathe.template.TuneResult;
import dev.lathe.template.Tuner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Template tuning as a notebook session: define a template, look at its space, tune it with the
 * genetic and the model-based tuner, print the best config's JSON, replay it, look at its C code
 * and time it, and check it against the reference evaluator.
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp lathe-cli/target/lathe.jar \
 *     dev.lathe.examples.TemplateTuningNotebook [mm|conv|sparse] [trials] [small]
 * </pre>
 * Runs single-threaded (as the kernels are tuned); candidates are measured in the isolated worker
 * process and recorded in {@code <workload>-<tuner>.jsonl} in the working directory (with the
 * tuning curve next to it); running it again continues those records.
 */
public final class TemplateTuningNotebook {
    private static final long REFERENCE_LIMIT = 300_000_000L;

    private TemplateTuningNotebook() {
    }

    public static void main(String[] args) {
        String workload = args.length > 0 ? args[0] : "mm";
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : 48;
        boolean small = args.length > 2 && args[2].equals("small");
        SearchTask task;
        Template template;
        switch (workload) {
            case "mm" -> {
                ComputeDag dag = small ? MatmulTemplate.declare(128, 128, 128) : MatmulTemplate.declare(1024, 1024, 1024);
                task = new SearchTask(dag, Target.host(), 1, Map.of());
                template = MatmulTemplate.TEMPLATE;
            }
            case "conv" -> {
                ComputeDag dag = small ? Im2colConv2dTemplate.declare(14, 14, 32, 32, 3, 3, 1)
                        : Im2colConv2dTemplate.declareC1();
                task = new SearchTask(dag, Target.host(), 1, Map.of());
                template = Im2colConv2dTemplate.TEMPLATE;
            }
            case "sparse" -> {
                SparseIm2colConv2dTemplate.Problem p = small
                        ? SparseIm2colConv2dTemplate.declare(14, 14, 32, 32, 3, 3, 1, 0.7, new Random(42), 1)
                        : SparseIm2colConv2dTemplate.declareC1(1);
                task = p.task();
                template = SparseIm2colConv2dTemplate.TEMPLATE;
            }
            default -> throw new IllegalArgumentException("workload must be mm, conv or sparse, got " + workload);
        }

        System.out.println("== " + workload + ": " + task.dag().outputs().getFirst().name() + " " + task.dag().outputs()
                .getFirst().shape());
        ConfigSpace space = template.space(task.dag());
        System.out.println(space);

        AppliedConfig fallback = AppliedConfig.fallback(task, template);
        double fallbackTime = median(fallback.time(1, 3));
        System.out.printf("fallback config %s: %.3f ms%n", fallback.config().toJson(), fallbackTime * 1e3);

        Trial best = null;
        // Candidates run in the isolated worker process: a config that crashes or hangs is a failed
        // trial, not the end of the session. Each tuner appends to its records file; running the
        // notebook again continues those files instead of measuring the same configs again.
        RunOptions options = RunOptions.defaults().withTiming(1, 3, 20).withTimeoutSeconds(10);
        try (LocalMeasurer measurer = LocalMeasurer.create(options)) {
            for (Tuner tuner : List.of(new GaTuner(Math.max(8, trials / 4), 3, 0.1), new ModelTuner())) {
                long t0 = System.nanoTime();
                String name = tuner instanceof GaTuner ? "ga" : "xgb";
                Path records = Path.of(workload + (small ? "-small" : "") + "-" + name + ".jsonl");
                TuneResult r = RecordedTuning.run(workload + " " + name, task, template, tuner, measurer,
                        new TuneOptions(trials, 8, 0, 1), records, 2.0 * macs(task.dag()), List.of());
                System.out.println("records: " + records.toAbsolutePath() + ", curve: " + TuningCurve.pngFor(records));
                Trial b = r.best().orElseThrow(() -> new IllegalStateException("no valid config measured"));
                long failed = r.trials().stream().filter(t -> !t.result().ok()).count();
                System.out.printf("%s: %d trials (%d invalid or failed) in %.1f s, best %.3f ms%n",
                        tuner.getClass().getSimpleName(), r.trials().size(), failed, (System.nanoTime() - t0) / 1e9,
                        b.result().meanCost() * 1e3);
                if (best == null || b.result().meanCost() < best.result().meanCost()) {
                    best = b;
                }
            }
        }
        System.out.println("best config: " + best.config());

        AppliedConfig applied = AppliedConfig.of(task, template, best.config());
        System.out.println(applied.loopNest());
        String c = applied.cKernel();
        System.out.println("-- C kernel (first 40 lines of " + c.lines().count() + ") --");
        c.lines().limit(40).forEach(System.out::println);
        double bestTime = median(applied.time(1, 5));
        String rate = workload.equals("sparse") ? "" : String.format(" (%.1f GFLOP/s)", 2.0 * macs(task.dag()) / bestTime / 1e9);
        System.out.printf("best: %.3f ms%s, fallback %.3f ms: %.2fx%n", bestTime * 1e3, rate, fallbackTime * 1e3,
                fallbackTime / bestTime);

        if (macs(task.dag()) <= REFERENCE_LIMIT) {
            System.out.println("max abs difference from the reference evaluator: " + referenceError(applied));
        } else {
            System.out.println("reference check skipped: " + macs(task.dag()) + " multiply-adds is too many for the "
                    + "interpreter (run with 'small')");
        }
    }

    private static double referenceError(AppliedConfig applied) {
        SearchTask task = applied.task();
        List<NDArray> args = KernelTimer.arguments(task, 7);
        Map<Tensor, NDArray> inputs = new LinkedHashMap<>();
        List<Tensor> tensors = task.dag().arguments();
        for (int i = 0; i < tensors.size(); i++) {
            if (!task.dag().outputs().contains(tensors.get(i))) {
                inputs.put(tensors.get(i), args.get(i));
            }
        }
        applied.build().call(args.toArray(NDArray[]::new));
        Map<Tensor, NDArray> expected = ReferenceEvaluator.evaluate(task.dag(), inputs);
        double worst = 0;
        for (int i = 0; i < tensors.size(); i++) {
            NDArray want = expected.get(tensors.get(i));
            if (want != null && task.dag().outputs().contains(tensors.get(i))) {
                for (long e = 0; e < want.size(); e++) {
                    worst = Math.max(worst, Math.abs(want.getDouble(e) - args.get(i).getDouble(e)));
                }
            }
        }
        return worst;
    }

    /** Multiply-adds: output elements × the static reduce extents (a data-dependent one counts 1). */
    private static long macs(ComputeDag dag) {
        Tensor out = dag.outputs().getFirst();
        long n = 1;
        for (var d : out.shape()) {
            n *= ((dev.lathe.ir.IntImm) d).value();
        }
        for (var r : ((ComputeOp) out.op()).reduceAxes()) {
            n *= r.dom().extent() instanceof dev.lathe.ir.IntImm imm ? imm.value() : 1;
        }
        return n;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
