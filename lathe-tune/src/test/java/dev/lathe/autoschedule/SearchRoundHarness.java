package dev.lathe.autoschedule;

import dev.lathe.autoschedule.EvolutionarySearch.Candidate;
import dev.lathe.build.Build;
import dev.lathe.codegen.CodegenC;
import dev.lathe.ir.DType;
import dev.lathe.measure.SearchTask;
import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.measure.Target;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static dev.lathe.te.Te.placeholder;

/**
 * A repeatable, measurement-free look at the Java cost of the search: {@code time} runs search
 * rounds (population 128, 4 generations, a fixed seed, a cost model that sums the features) on
 * the C2 conv2d and a 512³ matmul and prints the CPU time of each round and the median (after
 * two uncounted warm-up rounds);
 * {@code dump FILE} writes the lowered C code and the feature rows of random programs of several
 * DAGs, and the keys a search picks, so two builds can be compared byte for byte.
 *
 * <pre>
 * java -cp ... dev.lathe.autoschedule.SearchRoundHarness time [rounds]
 * java -cp ... dev.lathe.autoschedule.SearchRoundHarness dump out.txt [programs per DAG]
 * </pre>
 */
public final class SearchRoundHarness {
    private static final int WARMUP = 2;

    private SearchRoundHarness() {
    }

    public static void main(String[] args) throws IOException {
        switch (args.length == 0 ? "time" : args[0]) {
            case "time" -> time(args.length > 1 ? Integer.parseInt(args[1]) : 5);
            case "dump" -> dump(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 100);
            default -> throw new IllegalArgumentException("usage: time [rounds] | dump FILE [programs]");
        }
    }

    /** The C2 workload: conv2d NHWC 14×14, 256→256, 3×3, pad 1. */
    static ComputeDag conv2dC2() {
        Tensor in = placeholder(List.of(1, 14, 14, 256), DType.FLOAT32, "data");
        Tensor w = placeholder(List.of(3, 3, 256, 256), DType.FLOAT32, "weight");
        return ComputeDag.of(Conv.conv2dNhwc(in, w, Conv2dParams.DEFAULT.withPadding(1), "conv"));
    }

    private static void time(int rounds) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (var w : List.of(new Object[] {"C2", conv2dC2()}, new Object[] {"matmul512", Dags.matmul(512, 512, 512)})) {
            EvolutionarySearch es = new EvolutionarySearch(SearchTask.of((ComputeDag) w[1]));
            List<Double> ms = new ArrayList<>();
            // The first rounds run while the JIT compiles the hot paths; they are not counted.
            for (int r = -WARMUP; r < rounds; r++) {
                long t0 = mx.getCurrentThreadCpuTime();
                List<Candidate> best = es.search(List.of(), new EvolutionarySearchTest.SumModel(), 64, k -> false, new Random(100 + r));
                double cpu = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
                if (r >= 0) {
                    ms.add(cpu);
                }
                System.out.printf("%s round %d: %.0f ms CPU, %d picked%n", w[0], r, cpu, best.size());
            }
            List<Double> sorted = new ArrayList<>(ms);
            Collections.sort(sorted);
            System.out.printf("%s median %.0f ms CPU per round (%d rounds)%n", w[0], sorted.get(sorted.size() / 2), rounds);
        }
    }

    private static void dump(Path file, int programs) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            for (String kind : List.of("matmul", "conv2d", "softmax", "bsr-mm", "matmul64", "depthwise", "matmul+bias+relu")) {
                Random rng = new Random(11);
                Dags.Case c0 = StaticModeTest.caseOf(kind, rng);
                EvolutionarySearch es = new EvolutionarySearch(new SearchTask(c0.dag(), Target.host(), 0, c0.inputs()));
                for (int i = 0; i < programs; i++) {
                    var c = es.random(rng);
                    if (c.isEmpty()) {
                        out.println("== " + kind + " " + i + " (none)");
                        continue;
                    }
                    out.println("== " + kind + " " + i + " " + c.get().key());
                    out.println(CodegenC.generate(Build.lower(c.get().state(), "f")).text());
                    for (float[] row : c.get().features()) {
                        StringBuilder sb = new StringBuilder();
                        for (float v : row) {
                            sb.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(' ');
                        }
                        out.println(sb);
                    }
                }
                EvolutionarySearch small = new EvolutionarySearch(es.task(), es.policy(),
                        EvolutionarySearch.Options.defaults().withPopulation(32).withGenerations(2));
                for (Candidate c : small.search(List.of(), new EvolutionarySearchTest.SumModel(), 16, k -> false, new Random(5))) {
                    out.println("pick " + kind + " " + c.key());
                }
            }
        }
    }
}
