package dev.lathe.cli;

import dev.lathe.bench.AutoTuneBench;
import dev.lathe.bench.DefaultMatmulBench;
import dev.lathe.bench.HandBsrBench;
import dev.lathe.bench.HandConvBench;
import dev.lathe.bench.HandMatmulBench;
import dev.lathe.bench.MeasureOverheadBench;
import dev.lathe.bench.NetworkBench;
import dev.lathe.bench.SparseTuneBench;
import dev.lathe.bench.StaticModeBench;
import dev.lathe.bench.TemplateTuneBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lathe bench NAME}: runs one of the benchmarks and prints its table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark and print its table (see docs/benchmarks.md).")
final class BenchCommand implements Runnable {
    @Parameters(index = "0", description = "benchmark: default-matmul, hand-matmul, hand-conv, hand-bsr, measure-overhead, template-tune, static, autotune, sparse-tune, network")
    String name;

    @Option(names = "--size", description = "problem size n (default ${DEFAULT-VALUE})", defaultValue = "1024")
    int size;

    @Option(names = "--repeats", description = "timed repeats, median reported (default ${DEFAULT-VALUE})", defaultValue = "5")
    int repeats;

    @Option(names = "--workload", description = "template-tune: mm1 or c1 (default ${DEFAULT-VALUE})", defaultValue = "mm1")
    String workload;

    @Option(names = "--tuners", split = ",", description = "template-tune: ga, xgb (default ${DEFAULT-VALUE})", defaultValue = "ga,xgb")
    java.util.List<String> tuners;

    @Option(names = "--workloads", split = ",", description = "autotune: workload ids, or ALL for every dense single operator (default ${DEFAULT-VALUE}); "
            + "sparse-tune: S1, S2-50, S2-70, S2-90 (default: all four)", defaultValue = "MM1,C1")
    java.util.List<String> workloads;

    @Option(names = "--models", split = ",", description = "network: N2 (ResNet-18), N3 (transformer block) (default ${DEFAULT-VALUE})",
            defaultValue = "N2,N3")
    java.util.List<String> models;

    @Option(names = "--threads", description = "autotune, network: kernel threads (ONNX Runtime gets as many) (default ${DEFAULT-VALUE})", defaultValue = "2")
    int threads;

    @Option(names = "--trials", description = "template-tune: measured trials per tuner; autotune: trial checkpoints per workload, e.g. 200,1000; "
            + "sparse-tune: trials per tuned row; network: shared by the kernels of each network (default ${DEFAULT-VALUE})",
            split = ",", defaultValue = "200")
    java.util.List<Integer> trials;

    @Option(names = "--records-dir", description = "template-tune, autotune, network: where records files go; a run continues the files it finds there (default ${DEFAULT-VALUE})",
            defaultValue = "lathe-records")
    java.nio.file.Path recordsDir;

    @Override
    public void run() {
        switch (name) {
            case "default-matmul" -> DefaultMatmulBench.run(size, repeats, System.out);
            case "hand-matmul" -> HandMatmulBench.run(size, repeats, System.out);
            case "hand-conv" -> HandConvBench.run(repeats, System.out);
            case "hand-bsr" -> HandBsrBench.run(repeats, System.out);
            case "measure-overhead" -> MeasureOverheadBench.run(System.out);
            case "static" -> StaticModeBench.run(repeats, System.out);
            case "autotune" -> AutoTuneBench.run(workloads.equals(java.util.List.of("ALL")) ? autotuneAll() : workloads,
                    trials, threads, recordsDir, repeats, System.out);
            case "sparse-tune" -> SparseTuneBench.run(workloads.equals(java.util.List.of("MM1", "C1"))
                    ? SparseTuneBench.DEFAULT_IDS : workloads, trials.getLast(), threads, recordsDir, repeats, System.out);
            case "network" -> NetworkBench.run(models, trials.getLast(), threads, recordsDir, repeats, System.out);
            case "template-tune" -> {
                try {
                    TemplateTuneBench.run(workload, tuners, trials.getLast(), recordsDir, repeats, System.out);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            default -> throw new IllegalArgumentException("unknown benchmark '" + name
                    + "'; known: default-matmul, hand-matmul, hand-conv, hand-bsr, measure-overhead, template-tune, static, autotune, sparse-tune, network");
        }
    }

    /** The dense single-operator workloads (sparse ones have their own benchmark). */
    private static java.util.List<String> autotuneAll() {
        return dev.lathe.bench.Workloads.ids().stream().filter(id -> !id.startsWith("S")).toList();
    }
}
