package dev.lathe.examples;

import dev.lathe.codegen.VectorTarget;
import dev.lathe.ir.DType;
import dev.lathe.ops.sparse.Bsr;
import dev.lathe.ops.sparse.BsrTensors;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.List;

import static dev.lathe.te.Te.placeholder;

/**
 * A sparse × dense product {@code C[M, N] = A[M, K] · B[K, N]} with {@code A} in BSR
 * ({@link Bsr#bsrMatmul}), scheduled by hand:
 * <pre>
 * {i.0, j.0}:parallel, i.1 =>
 *     i.0, b, c, i.1:unroll, j:vectorize =>      (RT rows × NT columns of C in vector registers)
 *         &#64;C.local = {i.0, i.1}/i, j // b, c
 *     i.2:unroll, j.1:vectorize =>
 *         &#64;C = {i.0, i.1, i.2}/i, {j.0, j.1}/j
 * </pre>
 * {@code C}'s {@code i.0} is the block row (the split by the block height turns {@code i / bsr}
 * into a loop variable). The data-dependent reduction over the blocks {@code b} is never split or
 * vectorized; in the accumulator tile it sits outside the tile's rows, so every block contributes
 * a broadcast of its value in each of the RT rows times NT/lanes vectors of one row of B, loaded
 * once for the RT rows. See docs/schedules.md.
 */
public final class BsrMatmulSchedule {
    /** Columns of C per tile: 4 float32 vectors of the host (64 with AVX-512, 32 with AVX2). */
    public static final int NT = 4 * VectorTarget.host().lanes(DType.FLOAT32);
    /** Rows of C per tile: 16 vector accumulators in all. */
    public static final int RT = 4;

    private BsrMatmulSchedule() {
    }

    /** The operands and the output of a declared product. */
    public record Declared(ComputeDag dag, BsrTensors a, Tensor b, Tensor c) {
    }

    /** {@code C = A · B} for a BSR {@code A} with {@code nnzBlocks} blocks of {@code bsr × bsc} and a dense {@code B[k, n]}. */
    public static Declared declare(int m, int k, int n, int bsr, int bsc, int nnzBlocks) {
        BsrTensors a = BsrTensors.placeholders(m, k, bsr, bsc, nnzBlocks, "A");
        Tensor b = placeholder(List.of(k, n), DType.FLOAT32, "B");
        Tensor c = Bsr.bsrMatmul(a, b, "C");
        return new Declared(ComputeDag.of(c), a, b, c);
    }

    public static State schedule(ComputeDag dag, int blockRows) {
        return schedule(dag, blockRows, RT, NT);
    }

    /** {@code rt} must divide {@code blockRows}, {@code nt} should be whole vectors dividing N. */
    public static State schedule(ComputeDag dag, int blockRows, int rt, int nt) {
        return State.initial(dag)
                .cacheWrite("C", "local")
                .split("C", "i", blockRows / rt, rt)
                .split("C", "j", nt)
                .reorder("C", "i.0", "j.0", "i.1", "i.2", "j.1")
                .fuse("C", "i.0", "j.0")
                .computeAt("C.local", "C", "i.1")
                // The blocks' range depends on the block row floordiv(i, bsr). Split by rt (which divides bsr),
                // i is i.0 * rt + i.1 and the block row floordiv(i.0, bsr / rt), so b may move outside i.1.
                .split("C.local", "i", rt)
                .reorder("C.local", "i.0", "b", "c", "i.1", "j")
                .unroll("C.local", "i.1")
                .pragma("C.local", "unroll_explicit", 1)
                .vectorize("C.local", "j")
                .unroll("C", "i.2")
                .pragma("C", "unroll_explicit", 1)
                .vectorize("C", "j.1")
                .parallel("C", "i.0@j.0");
    }
}
