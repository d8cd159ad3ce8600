package dev.lathe.examples;

import dev.lathe.autoschedule.SketchRule;
import dev.lathe.ir.DType;
import dev.lathe.ir.IntImm;
import dev.lathe.schedule.State;
import dev.lathe.codegen.VectorTarget;

/**
 * A custom sketch rule for a BSR × dense product {@code C[i, j]} ({@code ops.sparse.Bsr.bsrMatmul}):
 * the structure of {@link BsrMatmulSchedule}, given to the auto-scheduler as a sketch. It adds a
 * register accumulator {@code C.local} of {@code rt} rows × {@code nt} columns and puts the
 * blocks' loop {@code b} outside the tile's rows, so that each stored value is broadcast against
 * {@code nt} columns of B loaded once for the {@code rt} rows:
 * <pre>
 * C: i.0, j.0, i.1 =>                  (i.0: block row when rt divides the block height)
 *     C.local: i.0, b, c, i.1, j       (rt × nt accumulators)
 *     C: i.2, j.1
 * </pre>
 * The random annotation then parallelizes, unrolls and vectorizes (j of C.local is innermost and
 * of static extent, so it is vectorizable); the tile sizes are fixed by the rule, not tuned.
 * Why the result is valid: b's range reads {@code indptr[floordiv(i, bsr)]}; once C.local's i is
 * split by rt (which divides bsr) the block row depends on i.0 only, so b may sit outside i.1 —
 * the reorder primitive checks exactly this and rejects an order that puts b outside a loop its
 * range depends on.
 */
public final class BsrRegisterTileRule {
    private BsrRegisterTileRule() {
    }

    /** The rule for the stage named {@code stage}, a BSR product with {@code blockRows}-row blocks. */
    public static SketchRule of(String stage, int blockRows) {
        int lanes = VectorTarget.host().lanes(DType.FLOAT32);
        int rt = blockRows % 4 == 0 ? 4 : 1;
        return SketchRule.of("bsr-register-tile",
                (state, i) -> state.stage(i).name().equals(stage),
                (state, i) -> {
                    long n = state.stage(i).op().output(0).shape().get(1) instanceof IntImm e ? e.value() : lanes;
                    long nt = n % (4L * lanes) == 0 ? 4L * lanes : n % lanes == 0 ? lanes : 1;
                    return structure(state, stage, blockRows, rt, nt);
                });
    }

    static State structure(State s, String stage, int blockRows, int rt, long nt) {
        String local = stage + ".local";
        return s.cacheWrite(stage, "local")
                .split(stage, "i", blockRows / rt, rt)
                .split(stage, "j", nt)
                .reorder(stage, "i.0", "j.0", "i.1", "i.2", "j.1")
                .computeAt(local, stage, "i.1")
                .split(local, "i", rt)
                .reorder(local, "i.0", "b", "c", "i.1", "j");
    }
}
