package dev.lathe.examples;

import dev.lathe.autoschedule.SketchBuilder;
import dev.lathe.autoschedule.SketchRule;

/**
 * A custom sketch rule for a BSR × dense product {@code C[i, j]} ({@code ops.sparse.Bsr.bsrMatmul}):
 * the structure of {@link BsrMatmulSchedule}, given to the auto-scheduler as a sketch whose tile
 * sizes the search tunes. It adds a register accumulator {@code C.local} of {@code rt} rows ×
 * {@code nt} columns and puts the blocks' loop {@code b} outside the tile's rows, so that each
 * stored value is broadcast against {@code nt} columns of B loaded once for the {@code rt} rows:
 * <pre>
 * C: i.0, j.0, i.1.0 =>                (i.0: the block row; tiles "rows" = (i.1.0, i.1.1), "cols" = (j.0, j.1))
 *     C.local: i.0, b, c, i.1:unroll, j    (rt × nt accumulators; rt = length of i.1.1)
 *     C: i.1.1:unroll, j.1
 * </pre>
 * The search chooses {@code rt} (a divisor of the block height) and {@code nt} (a divisor of N, at
 * most 64); the random annotation parallelizes C's outer loops, vectorizes the innermost ones and
 * picks the unroll depth. Why every choice is valid: b's range reads {@code indptr[floordiv(i, bsr)]};
 * C's {@code i} is first split by the block height, so the block row is C's {@code i.0}, and the
 * rows of a tile never cross a block — b may sit outside {@code i.1} of C.local. The reorder
 * primitive checks exactly this and rejects an order that puts b outside a loop its range depends on.
 */
public final class BsrRegisterTileRule {
    private BsrRegisterTileRule() {
    }

    /** The rule for the stage named {@code stage}, a BSR product with {@code blockRows}-row blocks. */
    public static SketchRule of(String stage, int blockRows) {
        return SketchRule.tiled("bsr-register-tile",
                (state, i) -> state.stage(i).name().equals(stage),
                (builder, i) -> structure(builder, stage, blockRows));
    }

    static SketchBuilder structure(SketchBuilder b, String stage, int blockRows) {
        String local = stage + ".local";
        return b.then(s -> s.cacheWrite(stage, "local").split(stage, "i", blockRows))
                .tile("rows", stage, "i.1", 2)
                .tile("cols", stage, "j", 2)
                .then(s -> s.reorder(stage, "i.0", "j.0", "i.1.0", "i.1.1", "j.1")
                        .computeAt(local, stage, "i.1.0"))
                .splitBy(local, "i", "rows", 1)
                .then(s -> s.reorder(local, "i.0", "b", "c", "i.1", "j")
                        .unroll(local, "i.1")
                        .pragma(local, "unroll_explicit", 1)
                        .unroll(stage, "i.1.1")
                        .pragma(stage, "unroll_explicit", 1));
    }
}
