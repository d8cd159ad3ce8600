package dev.lathe.autoschedule;

import dev.lathe.ir.IterKind;
import dev.lathe.schedule.ComputeLocation;
import dev.lathe.schedule.IterAnnotation;
import dev.lathe.schedule.State;
import dev.lathe.schedule.Step;
import dev.lathe.te.ComputeDag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SketchPolicyTest {

    private static List<List<String>> rules(List<Sketch> sketches) {
        return sketches.stream().map(Sketch::rules).toList();
    }

    /** A residual add reading a batch-1 result at batch index 0 (not the axis variable) still fuses. */
    @Test
    void aConsumerReadingAUnitAxisAtZeroIsFusible() {
        dev.lathe.te.Tensor a = dev.lathe.te.Te.placeholder(List.of(1, 8, 8), dev.lathe.ir.DType.FLOAT32, "A");
        dev.lathe.te.Tensor b = dev.lathe.te.Te.placeholder(List.of(1, 8, 8), dev.lathe.ir.DType.FLOAT32, "B");
        dev.lathe.te.Tensor res = dev.lathe.te.Te.placeholder(List.of(1, 8, 8), dev.lathe.ir.DType.FLOAT32, "R");
        dev.lathe.te.Tensor c = dev.lathe.ops.Linalg.batchMatmul(a, b, "C");
        dev.lathe.te.Tensor sum = dev.lathe.te.Te.compute(List.of(1, 8, 8),
                (i, j, k) -> c.get(0, j, k).add(res.get(0, j, k)), "residual");
        DagAnalysis an = DagAnalysis.of(ComputeDag.of(sum));
        assertEquals("residual", an.op("C").orElseThrow().fusibleConsumer().orElseThrow());
        Random rng = new Random(4);
        Dags.Case k = StaticModeTest.inputsCase("residual", ComputeDag.of(sum), rng);
        assertNull(Dags.check(k, StaticMode.schedule(k.dag(), StaticModeTest.AVX512)));
    }

    @Test
    void analysisClassifiesOps() {
        DagAnalysis a = DagAnalysis.of(Dags.matmulBiasRelu(8, 8, 8));
        DagAnalysis.OpInfo c = a.op("C").orElseThrow();
        assertTrue(c.needsMultiLevelTiling());
        assertTrue(c.hasReduction());
        assertEquals("relu", c.fusibleConsumer().orElseThrow());
        assertTrue(a.op("biased").orElseThrow().strictInlinable());
        assertFalse(a.op("relu").orElseThrow().strictInlinable(), "an output is not inlinable");
        assertTrue(a.op("A").orElseThrow().isPlaceholder());

        DagAnalysis sum = DagAnalysis.of(Dags.sumRow(4096));
        assertTrue(sum.op("s").orElseThrow().degenerate());
        assertFalse(sum.op("s").orElseThrow().needsMultiLevelTiling());

        Dags.Case csr = Dags.caseOf("csr-mm", new Random(1));
        assertTrue(DagAnalysis.of(csr.dag()).op("Y").orElseThrow().dataDependent());
    }

    @Test
    void matmulGetsMultiLevelTilingAndACacheWriteVariant() {
        List<Sketch> sketches = new SketchPolicy(Dags.matmul(64, 64, 64)).sketches();
        assertEquals(List.of(List.of("add-cache-write", "multi-level-tiling-with-fusion"), List.of("multi-level-tiling")),
                rules(sketches));
        Sketch plain = sketches.get(1);
        // SSRSRS: i.0 j.0 i.1 j.1 k.0 i.2 j.2 k.1 i.3 j.3
        assertEquals(List.of("i.0", "j.0", "i.1", "j.1", "k.0", "i.2", "j.2", "k.1", "i.3", "j.3"),
                plain.state().stage(plain.state().stageIndex("C")).leafIters().stream().map(Object::toString).toList());
        assertEquals(3, plain.tiles().size());
        State cached = sketches.get(0).state();
        assertInstanceOf(ComputeLocation.At.class, cached.stage(cached.stageIndex("C.local")).location());
    }

    @Test
    void matmulBiasReluFusesTheTilesIntoTheConsumer() {
        List<Sketch> sketches = new SketchPolicy(Dags.matmulBiasRelu(32, 32, 32)).sketches();
        assertEquals(List.of(List.of("always-inline", "multi-level-tiling-with-fusion")), rules(sketches));
        State s = sketches.getFirst().state();
        // the elementwise stage between stays inlined: relu reads the matmul through it
        assertInstanceOf(ComputeLocation.Inlined.class, s.stage(s.stageIndex("biased")).location());
        ComputeLocation.At at = assertInstanceOf(ComputeLocation.At.class, s.stage(s.stageIndex("C")).location());
        assertEquals(s.stageIndex("relu"), at.stage());
    }

    @Test
    void elementwiseChainIsInlined() {
        List<Sketch> sketches = new SketchPolicy(Dags.elementwiseChain(16)).sketches();
        assertEquals(List.of(List.of("always-inline", "always-inline")), rules(sketches));
        State s = sketches.getFirst().state();
        assertInstanceOf(ComputeLocation.Inlined.class, s.stage(s.stageIndex("a")).location());
        assertInstanceOf(ComputeLocation.Inlined.class, s.stage(s.stageIndex("b")).location());
    }

    @Test
    void longReductionWithTinySpaceGetsRfactorSketches() {
        List<Sketch> sketches = new SketchPolicy(Dags.sumRow(4096)).sketches();
        assertEquals(List.of(List.of("add-rfactor"), List.of("add-rfactor"), List.of()), rules(sketches));
        assertTrue(sketches.getFirst().state().steps().stream().anyMatch(st -> st instanceof Step.Rfactor));
        assertEquals("s.rf", sketches.getFirst().state().stage(1).name());
    }

    @Test
    void customRuleRunsBeforeTheDefaults() {
        SketchRule parallelRows = SketchRule.of("split-rows",
                (s, i) -> s.stage(i).name().equals("C"),
                (s, i) -> s.split("C", "i", 4));
        List<Sketch> sketches = new SketchPolicy(Dags.matmul(16, 16, 16), List.of(parallelRows)).sketches();
        assertEquals(List.of(List.of("split-rows")), rules(sketches));
        State s = sketches.getFirst().state();
        assertEquals(List.of("i.0", "i.1", "j", "k"),
                s.stage(s.stageIndex("C")).leafIters().stream().map(Object::toString).toList());
        State program = new SketchPolicy(Dags.matmul(16, 16, 16), List.of(parallelRows))
                .sampleInitPopulation(1, new Random(3)).getFirst();
        assertTrue(program.steps().size() >= 1);
    }

    @Test
    void invalidCustomRuleIsReportedWithItsNameAndStep() {
        SketchRule bad = SketchRule.ofSteps("vectorize-reduction",
                (s, i) -> s.stage(i).name().equals("C"),
                (s, i) -> List.of(new Step.Split(i, 0, List.of(4L)), new Step.Annotate(i, 2, IterAnnotation.VECTORIZE)));
        SketchRuleException e = assertThrows(SketchRuleException.class,
                () -> new SketchPolicy(Dags.matmul(16, 16, 16), List.of(bad)).sketches());
        assertEquals("vectorize-reduction", e.rule());
        assertTrue(e.getMessage().contains("vectorize-reduction"), e.getMessage());
        assertEquals(new Step.Annotate(2, 2, IterAnnotation.VECTORIZE), e.step().orElseThrow());

        SketchRule throwing = SketchRule.of("zero-split",
                (s, i) -> s.stage(i).name().equals("C"),
                (s, i) -> s.split("C", "i", 0));
        SketchRuleException z = assertThrows(SketchRuleException.class,
                () -> new SketchPolicy(Dags.matmul(16, 16, 16), List.of(throwing)).sketches());
        assertTrue(z.getMessage().contains("zero-split") && z.getMessage().contains("split of C.i"), z.getMessage());
    }

    @Test
    void aTiledCustomRuleDeclaresTunableTilesThatEveryFillKeepsInStep() {
        SketchRule rule = SketchRule.tiled("tiled-rows",
                (s, i) -> s.stage(i).name().equals("C"),
                (b, i) -> b.then(s -> s.cacheWrite("C", "local"))
                        .tile("rows", "C", "i", 2)
                        .then(s -> s.computeAt("C.local", "C", "i.0"))
                        .splitBy("C.local", "i", "rows", 1));
        ComputeDag dag = Dags.matmul(12, 8, 4);
        Sketch sketch = new SketchPolicy(dag, List.of(rule)).sketches().getFirst();
        assertEquals(List.of(new Sketch.Tile(12, 2)), sketch.tiles());
        for (long[] rows : new long[][] {{1, 12}, {3, 4}, {12, 1}}) {
            State p = sketch.fill(new long[][] {rows});
            int local = p.stageIndex("C.local");
            assertEquals(rows[1], dev.lathe.schedule.Extents.constant(p.stage(local), p.stage(local).leaf("i.1").id()));
            assertEquals(rows[0], dev.lathe.schedule.Extents.constant(p.stage(p.stageIndex("C")),
                    p.stage(p.stageIndex("C")).leaf("i.0").id()));
        }
    }

    @Test
    void aTiledRuleThatCannotTileIsReportedWithItsName() {
        SketchRule twice = SketchRule.tiled("twice", (s, i) -> s.stage(i).name().equals("C"),
                (b, i) -> b.tile("t", "C", "i", 2).tile("t", "C", "j", 2));
        SketchRuleException e = assertThrows(SketchRuleException.class,
                () -> new SketchPolicy(Dags.matmul(8, 8, 8), List.of(twice)).sketches());
        assertTrue(e.getMessage().contains("twice") && e.getMessage().contains("declared twice"), e.getMessage());
        SketchRule unknown = SketchRule.tiled("unknown", (s, i) -> s.stage(i).name().equals("C"),
                (b, i) -> b.splitBy("C", "i", "rows", 1));
        SketchRuleException u = assertThrows(SketchRuleException.class,
                () -> new SketchPolicy(Dags.matmul(8, 8, 8), List.of(unknown)).sketches());
        assertTrue(u.getMessage().contains("no tile named 'rows'"), u.getMessage());
        SketchRule fresh = SketchRule.tiled("fresh", (s, i) -> s.stage(i).name().equals("C"), (b, i) -> null);
        assertThrows(SketchRuleException.class, () -> new SketchPolicy(Dags.matmul(8, 8, 8), List.of(fresh)).sketches());
    }

    @Test
    void degenerateDagsGetValidSchedules() {
        for (String kind : List.of("prod2", "scalar", "sum-row")) {
            Random rng = new Random(kind.hashCode());
            Dags.Case c = Dags.caseOf(kind, rng);
            SketchPolicy policy = new SketchPolicy(c.dag());
            assertFalse(policy.sketches().isEmpty(), kind);
            for (State s : policy.sampleInitPopulation(5, rng)) {
                assertNull(Dags.check(c, s), kind + "\n" + s);
            }
        }
        assertTrue(DagAnalysis.of(Dags.scalarCopy()).op("copy").orElseThrow().degenerate());
    }

    @Test
    void sketchesAreGeneratedFromASearchTask() {
        ComputeDag dag = Dags.matmul(8, 8, 8);
        assertEquals(2, new SketchPolicy(dev.lathe.measure.SearchTask.of(dag)).sketches().size());
    }

    @Test
    void annotationFillsTilesParallelizesAndVectorizes() {
        SketchPolicy policy = new SketchPolicy(Dags.matmul(64, 64, 64));
        List<State> programs = policy.sampleInitPopulation(20, new Random(7));
        assertTrue(programs.stream().anyMatch(p -> has(p, IterAnnotation.PARALLEL)));
        assertTrue(programs.stream().anyMatch(p -> has(p, IterAnnotation.VECTORIZE)));
        assertTrue(programs.stream().anyMatch(p -> p.steps().stream().anyMatch(st -> st instanceof Step.Pragma)));
        for (State p : programs) {
            for (Step st : p.steps()) {
                if (st instanceof Step.Split sp) {
                    assertTrue(sp.factors().stream().allMatch(f -> 64 % f == 0), "tile lengths divide the extent: " + sp);
                }
            }
        }
        for (long[] len : RandomAnnotation.tileSizes(policy.sketches().getLast(), new Random(1))) {
            assertEquals(64, Arrays.stream(len).reduce(1, (a, b) -> a * b));
        }
    }

    @Test
    void dataDependentAndReduceLoopsAreNeverVectorized() {
        Dags.Case c = Dags.caseOf("csr-mm", new Random(5));
        for (State p : new SketchPolicy(c.dag()).sampleInitPopulation(20, new Random(5))) {
            for (var st : p.stages()) {
                for (var it : st.leafIters()) {
                    if (it.annotation() == IterAnnotation.VECTORIZE) {
                        assertEquals(IterKind.SPACE, it.kind(), p.toString());
                        assertFalse(it.name().startsWith("k"), p.toString());
                    }
                }
            }
        }
    }

    private static boolean has(State p, IterAnnotation a) {
        return p.stages().stream().anyMatch(st -> st.leafIters().stream().anyMatch(it -> it.annotation() == a));
    }
}
