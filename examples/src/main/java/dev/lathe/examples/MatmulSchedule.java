package dev.lathe.examples;

import dev.lathe.codegen.VectorTarget;
import dev.lathe.ir.DType;
import dev.lathe.ops.Linalg;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.List;

import static dev.lathe.te.Te.placeholder;

/**
 * A register-blocked fp32 matmul {@code C[M,N] = A[M,K] · B[K,N]}:
 * <pre>
 * j.0:parallel =>
 *     ax0, ax1:vectorize =>                 (a K × nr panel of B, packed contiguously)
 *         @B.shared = ax0, ax1
 *     i.0 =>
 *         k, i:unroll, j:vectorize =>       (the mr × nr accumulators stay in vector registers)
 *             @C.local = i, j // k
 *         i.1:unroll, j.1:vectorize =>
 *             @C = {i.0, i.1}/i, {j.0, j.1}/j
 * </pre>
 * The packed panel of B is reused by every row block of one {@code j.0} from L2 with unit
 * stride, while rows of A stream through.
 */
public final class MatmulSchedule {
    /** Rows of a register tile. */
    public static final int MR = 6;
    /** Columns of a register tile: two vectors of the host (16 float32 with AVX2, 32 with AVX-512), so that MR × 2 accumulators, two B vectors and a broadcast fit the register file. */
    public static final int NR = 2 * VectorTarget.host().lanes(DType.FLOAT32);

    private MatmulSchedule() {
    }

    public static ComputeDag declare(int m, int n, int k) {
        Tensor a = placeholder(List.of(m, k), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(k, n), DType.FLOAT32, "B");
        return ComputeDag.of(Linalg.matmul(a, b, "C"));
    }

    public static State schedule(ComputeDag dag) {
        return schedule(dag, MR, NR);
    }

    public static State schedule(ComputeDag dag, int mr, int nr) {
        return State.initial(dag)
                .cacheWrite("C", "local")
                .cacheRead("B", "shared", "C.local")
                .split("C", "i", mr).split("C", "j", nr)
                .reorder("C", "j.0", "i.0", "i.1", "j.1")
                .computeAt("C.local", "C", "i.0")
                .computeAt("B.shared", "C", "j.0")
                .vectorize("B.shared", "ax1")
                .reorder("C.local", "k", "i", "j")
                .unroll("C.local", "i")
                .pragma("C.local", "unroll_explicit", 1)
                .vectorize("C.local", "j")
                .unroll("C", "i.1")
                .pragma("C", "unroll_explicit", 1)
                .vectorize("C", "j.1")
                .parallel("C", "j.0");
    }
}
