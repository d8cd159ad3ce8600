package dev.lathe.bench;

import dev.lathe.build.Build;
import dev.lathe.examples.BsrMatmulSchedule;
import dev.lathe.examples.BsrMatrix;
import dev.lathe.ir.DType;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;

import java.io.PrintStream;
import java.util.Random;

/**
 * The hand-written BSR × dense schedule ({@link BsrMatmulSchedule}) on S1 (A 128×256 in BSR with 16×1
 * blocks at density 0.6, B dense 256×512) next to the default schedule of the same DAG, timed
 * alternately with the same sparse arrays, at 1 and 2 threads. GFLOP/s count the stored blocks only.
 */
public final class HandBsrBench {
    private HandBsrBench() {
    }

    public static void run(int repeats, PrintStream out) {
        int m = 128, k = 256, n = 512, bsr = 16, bsc = 1;
        BsrMatrix a = BsrMatrix.random(m, k, bsr, bsc, 0.6, new Random(0));
        BsrMatmulSchedule.Declared d = BsrMatmulSchedule.declare(m, k, n, bsr, bsc, a.nnzBlocks());
        Module naive = Build.build(d.dag(), "bsr_default");
        Module hand = Build.build(BsrMatmulSchedule.schedule(d.dag(), bsr), "bsr_hand");
        NDArray b = NDArray.random(DType.FLOAT32, new Random(1), k, n);
        NDArray o1 = NDArray.zeros(DType.FLOAT32, m, n);
        NDArray o2 = NDArray.zeros(DType.FLOAT32, m, n);
        NDArray data = a.dataArray();
        NDArray indices = a.indicesArray();
        NDArray indptr = a.indptrArray();
        double flops = 2.0 * a.nnzBlocks() * bsr * bsc * n;
        out.printf("BSR × dense S1: A %d×%d (blocks %d×%d, %d of %d stored, density %.2f) · B %d×%d, fp32 (%.1f MFLOP): "
                + "hand schedule (tile %d rows × %d columns) vs the default schedule, median of %d%n",
                m, k, bsr, bsc, a.nnzBlocks(), (m / bsr) * (k / bsc), a.nnzBlocks() / (double) ((m / bsr) * (k / bsc)),
                k, n, flops / 1e6, BsrMatmulSchedule.RT, BsrMatmulSchedule.NT, repeats);
        out.printf("| threads | default (ms) | default GFLOP/s | hand (ms) | hand GFLOP/s | speedup |%n|---|---|---|---|---|---|%n");
        for (int threads : new int[]{1, 2}) {
            naive.setThreads(threads);
            hand.setThreads(threads);
            double[][] t = Timer.interleaved(repeats, () -> naive.call(data, indices, indptr, b, o1),
                    () -> hand.call(data, indices, indptr, b, o2));
            double mn = Timer.median(t[0]);
            double mh = Timer.median(t[1]);
            out.printf("| %d | %.3f | %.2f | %.3f | %.1f | %.1f× |%n", threads, mn * 1e3, flops / mn / 1e9,
                    mh * 1e3, flops / mh / 1e9, mn / mh);
        }
        out.printf("max |hand − default| = %.2e%n", Timer.maxDiff(o1, o2));
    }
}
