package dev.lathe.bench;

import dev.lathe.build.Build;
import dev.lathe.examples.MatmulSchedule;
import dev.lathe.ir.DType;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The hand-written matmul schedule ({@link MatmulSchedule}) at 1 and 2 threads next to OpenBLAS
 * sgemm loaded into the same process: as installed, and with {@code OPENBLAS_CORETYPE=SkylakeX}
 * where the CPU has AVX-512 (on other CPUs those kernels would stop the process with an
 * illegal instruction, so that variant is reported as not runnable).
 */
public final class HandMatmulBench {
    private HandMatmulBench() {
    }

    public static void run(int n, int repeats, PrintStream out) {
        ComputeDag dag = MatmulSchedule.declare(n, n, n);
        Module lathe = Build.build(MatmulSchedule.schedule(dag), "matmul_hand");
        Random rng = new Random(0);
        NDArray a = NDArray.random(DType.FLOAT32, rng, n, n);
        NDArray b = NDArray.random(DType.FLOAT32, rng, n, n);
        NDArray c = NDArray.zeros(DType.FLOAT32, n, n);
        NDArray ref = NDArray.zeros(DType.FLOAT32, n, n);

        List<OpenBlas> peers = new ArrayList<>();
        if (OpenBlas.available()) {
            peers.add(OpenBlas.load(null));
            if (hasAvx512()) {
                peers.add(OpenBlas.load("SkylakeX"));
            }
        }
        double flops = 2.0 * n * n * n;
        out.printf("matmul %d³ fp32: hand-written Lathe schedule vs OpenBLAS sgemm in the same process, median of %d%n",
                n, repeats);
        out.printf("| threads | Lathe (ms) | Lathe GFLOP/s |");
        for (OpenBlas p : peers) {
            out.printf(" OpenBLAS %s GFLOP/s | Lathe / OpenBLAS %s |", p.label(), p.label());
        }
        out.printf("%n|---|---|---|%s%n", "---|---|".repeat(peers.size()));
        for (int threads : new int[]{1, 2}) {
            lathe.setThreads(threads);
            peers.forEach(p -> p.threads(threads));
            Timer.time(() -> lathe.call(a, b, c), 2, 0);
            peers.forEach(p -> Timer.time(() -> p.sgemm(a, b, ref), 2, 0));
            // Interleaved: each repeat times Lathe and then every peer, so drifting machine load hits all alike.
            double[] tl = new double[repeats];
            double[][] tp = new double[peers.size()][repeats];
            for (int r = 0; r < repeats; r++) {
                tl[r] = Timer.time(() -> lathe.call(a, b, c), 0, 1)[0];
                for (int q = 0; q < peers.size(); q++) {
                    OpenBlas p = peers.get(q);
                    tp[q][r] = Timer.time(() -> p.sgemm(a, b, ref), 0, 1)[0];
                }
            }
            double ml = Timer.median(tl);
            out.printf("| %d | %.2f | %.1f |", threads, ml * 1e3, flops / ml / 1e9);
            for (int q = 0; q < peers.size(); q++) {
                double mp = Timer.median(tp[q]);
                out.printf(" %.1f | %.0f%% |", flops / mp / 1e9, 100 * mp / ml);
            }
            out.println();
        }
        if (!peers.isEmpty()) {
            double worst = 0;
            for (long i = 0; i < c.size(); i++) {
                worst = Math.max(worst, Math.abs(c.getDouble(i) - ref.getDouble(i)));
            }
            out.printf("max |Lathe − OpenBLAS| = %.2e%n", worst);
        }
        if (!hasAvx512()) {
            out.println("OPENBLAS_CORETYPE=SkylakeX: not runnable here (this CPU has no AVX-512)");
        }
    }

    static boolean hasAvx512() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512f");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
