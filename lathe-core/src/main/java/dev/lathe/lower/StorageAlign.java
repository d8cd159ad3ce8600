package dev.lathe.lower;

import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.schedule.ScheduleException;
import dev.lathe.schedule.Stage;

import java.util.ArrayList;
import java.util.List;

/**
 * The storage_align steps of a stage, met by padding its storage: the row-major stride of
 * dimension {@code axis} is the product of the extents after it, so padding the next extent
 * gives the stride {@code factor * k + offset} (always possible when that extent is the last
 * one, otherwise when the extents after it allow it). Indices are unchanged.
 */
final class StorageAlign {
    private StorageAlign() {
    }

    static List<Expr> apply(Stage st, List<Expr> extents) {
        if (st.storageAligns().isEmpty()) {
            return extents;
        }
        List<Expr> out = new ArrayList<>(extents);
        for (Stage.StorageAlign a : st.storageAligns()) {
            long inner = 1;
            for (int d = a.axis() + 2; d < out.size(); d++) {
                inner *= constant(st, out.get(d));
            }
            long next = constant(st, out.get(a.axis() + 1));
            long padded = next;
            while (Math.floorMod(padded * inner, a.factor()) != a.offset()) {
                padded++;
                if (padded > next + a.factor()) {
                    throw new ScheduleException("storage_align of stage " + st.name() + " (axis " + a.axis() + ", factor "
                            + a.factor() + ", offset " + a.offset() + "): no padding of dimension " + (a.axis() + 1)
                            + " gives that stride, because the dimensions after it multiply to " + inner);
                }
            }
            out.set(a.axis() + 1, IntImm.of(padded));
        }
        return out;
    }

    private static long constant(Stage st, Expr e) {
        if (e instanceof IntImm i) {
            return i.value();
        }
        throw new ScheduleException("storage_align of stage " + st.name() + " needs constant storage extents, got " + e);
    }
}
