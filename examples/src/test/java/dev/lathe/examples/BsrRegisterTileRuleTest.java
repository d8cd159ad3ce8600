package dev.lathe.examples;

import dev.lathe.autoschedule.RandomAnnotation;
import dev.lathe.autoschedule.Sketch;
import dev.lathe.autoschedule.SketchPolicy;
import dev.lathe.autoschedule.SketchRule;
import dev.lathe.ir.DType;
import dev.lathe.measure.SearchTask;
import dev.lathe.measure.Target;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.IterAnnotation;
import dev.lathe.schedule.State;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BsrRegisterTileRuleTest {
    /** The real sparse structure bound to the product's placeholders. */
    private static Map<Tensor, NDArray> structure(BsrMatrix a, BsrMatmulSchedule.Declared d) {
        return new HashMap<>(Map.of(d.a().data(), a.dataArray(), d.a().indices(), a.indicesArray(),
                d.a().indptr(), a.indptrArray()));
    }

    @Test
    void theRuleMakesTheSketchAndEverySampledProgramIsCorrect() {
        BsrMatrix a = BsrMatrix.random(64, 48, 16, 1, 0.4, new Random(3));
        BsrMatmulSchedule.Declared d = BsrMatmulSchedule.declare(64, 48, 64, 16, 1, a.nnzBlocks());
        Map<Tensor, NDArray> given = structure(a, d);
        SearchTask task = new SearchTask(d.dag(), Target.host(), 1, given);
        SketchRule rule = BsrRegisterTileRule.of("C", 16);
        SketchPolicy policy = new SketchPolicy(task, List.of(rule));
        List<Sketch> sketches = policy.sketches();
        assertEquals(List.of(List.of("bsr-register-tile")), sketches.stream().map(Sketch::rules).toList());
        State sk = sketches.getFirst().state();
        assertEquals(List.of("i.0", "b", "c", "i.1", "j"),
                sk.stage(sk.stageIndex("C.local")).leafIters().stream().map(Object::toString).toList());
        List<State> programs = policy.sampleInitPopulation(4, new Random(5));
        assertTrue(programs.size() >= 2);
        boolean vectorized = false;
        for (State p : programs) {
            ScheduleCheck.matchesReference(p, given);
            vectorized |= p.stage(p.stageIndex("C.local")).leafIters().getLast().annotation() == IterAnnotation.VECTORIZE;
        }
        assertTrue(vectorized || programs.size() < 4, "the accumulator's columns are vectorized in some program");
    }

    @Test
    void theSearchTunesTheRulesTileSizesAndEveryChoiceIsCorrect() {
        BsrMatrix a = BsrMatrix.random(32, 24, 16, 1, 0.5, new Random(7));
        BsrMatmulSchedule.Declared d = BsrMatmulSchedule.declare(32, 24, 48, 16, 1, a.nnzBlocks());
        Map<Tensor, NDArray> given = structure(a, d);
        SearchTask task = new SearchTask(d.dag(), Target.host(), 1, given);
        Sketch sketch = new SketchPolicy(task, List.of(BsrRegisterTileRule.of("C", 16))).sketches().getFirst();
        // Two tunable tiles: the rows of a block (16) and the columns (48).
        assertEquals(List.of(new Sketch.Tile(16, 2), new Sketch.Tile(48, 2)), sketch.tiles());
        long[][][] choices = {{{4, 4}, {3, 16}}, {{1, 16}, {1, 48}}, {{16, 1}, {48, 1}}, {{8, 2}, {6, 8}}};
        for (long[][] tiles : choices) {
            State p = RandomAnnotation.annotate(sketch, tiles, Map.of(), new Random(1)).state();
            int local = p.stageIndex("C.local");
            // The accumulator's tile: rt rows (unrolled) by nt columns.
            assertEquals(tiles[0][1], dev.lathe.schedule.Extents.constant(p.stage(local),
                    p.stage(local).leaf("i.1").id()), java.util.Arrays.deepToString(tiles));
            assertEquals(IterAnnotation.UNROLL, p.stage(local).leaf("i.1").annotation());
            ScheduleCheck.matchesReference(p, given);
        }
    }

    @Test
    void withoutTheRuleTheDefaultSparseTilingApplies() {
        BsrMatrix a = BsrMatrix.random(32, 16, 16, 1, 0.5, new Random(4));
        BsrMatmulSchedule.Declared d = BsrMatmulSchedule.declare(32, 16, 32, 16, 1, a.nnzBlocks());
        SearchTask task = new SearchTask(d.dag(), Target.host(), 1, Map.of(d.a().data(), a.dataArray(),
                d.a().indices(), a.indicesArray(), d.a().indptr(), a.indptrArray()));
        assertEquals(List.of(List.of("add-cache-write", "multi-level-tiling-sparse"), List.of("multi-level-tiling-sparse")),
                new SketchPolicy(task).sketches().stream().map(Sketch::rules).toList());
        assertEquals(DType.FLOAT32, d.c().dtype());
    }
}
