package dev.lathe.cli;

import dev.lathe.bench.DefaultMatmulBench;
import dev.lathe.bench.HandBsrBench;
import dev.lathe.bench.HandConvBench;
import dev.lathe.bench.HandMatmulBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lathe bench NAME}: runs one of the benchmarks and prints its table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark and print its table (see docs/benchmarks.md).")
final class BenchCommand implements Runnable {
    @Parameters(index = "0", description = "benchmark: default-matmul, hand-matmul, hand-conv, hand-bsr")
    String name;

    @Option(names = "--size", description = "problem size n (default ${DEFAULT-VALUE})", defaultValue = "1024")
    int size;

    @Option(names = "--repeats", description = "timed repeats, median reported (default ${DEFAULT-VALUE})", defaultValue = "5")
    int repeats;

    @Override
    public void run() {
        switch (name) {
            case "default-matmul" -> DefaultMatmulBench.run(size, repeats, System.out);
            case "hand-matmul" -> HandMatmulBench.run(size, repeats, System.out);
            case "hand-conv" -> HandConvBench.run(repeats, System.out);
            case "hand-bsr" -> HandBsrBench.run(repeats, System.out);
            default -> throw new IllegalArgumentException("unknown benchmark '" + name
                    + "'; known: default-matmul, hand-matmul, hand-conv, hand-bsr");
        }
    }
}
