package dev.lathe.bench;

import dev.lathe.measure.SearchTask;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadsTest {
    @Test
    void everyWorkloadDeclaresItsTask() {
        for (String id : Workloads.ids()) {
            Workloads.Workload w = Workloads.get(id);
            SearchTask t = w.task().apply(1);
            assertTrue(w.flops() > 0, id);
            assertEquals(1, t.threads(), id);
            assertTrue(!t.dag().outputs().isEmpty(), id);
        }
    }

    @Test
    void theSparseWorkloadCarriesItsRealIndexArrays() {
        SearchTask s1 = Workloads.get("S1").task().apply(1);
        assertEquals(3, s1.taskInputs().size());
        assertTrue(Workloads.get("S1").flops() > 0.5 * 2 * 128 * 256 * 512 && Workloads.get("S1").flops() < 0.7 * 2 * 128 * 256 * 512);
    }

    @Test
    void anUnknownIdNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workloads.get("MM9"));
        assertTrue(e.getMessage().contains("MM1") && e.getMessage().contains("S1"), e.getMessage());
    }
}
