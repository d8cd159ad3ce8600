package dev.lathe.build;

import dev.lathe.ir.DType;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import dev.lathe.tir.PrimFunc;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.placeholder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class RecentLoweringsTest {
    private static State state() {
        Tensor x = placeholder(List.of(8, 6), DType.FLOAT32, "X");
        return State.initial(ComputeDag.of(compute(List.of(8, 6), (i, j) -> x.get(i, j).mul(2.0f), "Y")));
    }

    @Test
    void aStateLoweredAgainKeepsItsLoopNestAndTakesTheNewName() {
        State s = state();
        PrimFunc first = Build.lower(s, "first");
        PrimFunc again = Build.lower(s, "again");
        assertEquals("first", first.name());
        assertEquals("again", again.name());
        assertSame(first.body(), again.body());
        assertEquals(first.params(), again.params());
    }

    @Test
    void anEqualButDistinctStateLowersToAnEqualNest() {
        PrimFunc a = Build.lower(state(), "f");
        PrimFunc b = Build.lower(state(), "f");
        assertEquals(a.body().toString().replaceAll("\\d+", "#"), b.body().toString().replaceAll("\\d+", "#"));
    }

    @Test
    void olderLoweringsAreForgotten() {
        State s = state();
        PrimFunc first = Build.lower(s, "f");
        for (int i = 0; i < 8; i++) {
            Build.lower(state(), "other");
        }
        PrimFunc again = Build.lower(s, "f");
        assertEquals(first.body().toString(), again.body().toString());
    }
}
