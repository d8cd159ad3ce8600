package dev.lathe.autoschedule;

import dev.lathe.ir.DType;
import dev.lathe.ir.IterKind;
import dev.lathe.measure.SearchTask;
import dev.lathe.measure.Target;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.Layout;
import dev.lathe.ops.sparse.Bsr;
import dev.lathe.ops.sparse.BsrMatrix;
import dev.lathe.ops.sparse.BsrTensors;
import dev.lathe.ops.sparse.Csr;
import dev.lathe.ops.sparse.CsrMatrix;
import dev.lathe.ops.sparse.CsrTensors;
import dev.lathe.ops.sparse.SparseConv;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.Extents;
import dev.lathe.schedule.IterAnnotation;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import dev.lathe.schedule.ScheduleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.lathe.te.Te.placeholder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default rules on sparse ops: every sampled program builds and computes what the reference
 * evaluator computes on the real structure, no iterator of data-dependent extent is split or
 * vectorized, and the dense dimensions are tiled around the sparse reduction.
 */
class SparseSketchTest {

    static Dags.Case sparseCase(String kind, Random rng) {
        Map<Tensor, NDArray> in = new HashMap<>();
        ComputeDag dag = switch (kind) {
            case "bsr-mm", "dense-bsrT" -> {
                BsrMatrix a = BsrMatrix.random(64, 32, 16, 1, 0.6, rng);
                BsrTensors t = BsrTensors.placeholders(64, 32, 16, 1, a.nnzBlocks(), "W");
                in.putAll(a.bind(t));
                yield kind.equals("bsr-mm") ? ComputeDag.of(Bsr.bsrMatmul(t, placeholder(List.of(32, 24), DType.FLOAT32, "B"), "C"))
                        : ComputeDag.of(Bsr.denseBsrT(placeholder(List.of(12, 32), DType.FLOAT32, "X"), t, "Y"));
            }
            case "bsr-4x4" -> {
                BsrMatrix a = BsrMatrix.random(32, 32, 4, 4, 0.7, rng);
                BsrTensors t = BsrTensors.placeholders(32, 32, 4, 4, a.nnzBlocks(), "W");
                in.putAll(a.bind(t));
                yield ComputeDag.of(Bsr.denseBsrT(placeholder(List.of(8, 32), DType.FLOAT32, "X"), t, "Y"));
            }
            case "csr-mm" -> {
                CsrMatrix a = BsrMatrix.random(16, 20, 1, 1, 0.8, rng).toCsr();
                CsrTensors t = CsrTensors.placeholders(16, 20, a.nnz(), "A");
                in.putAll(a.bind(t));
                yield ComputeDag.of(Csr.csrMm(t, placeholder(List.of(20, 16), DType.FLOAT32, "X"), "Y"));
            }
            case "conv-nhwc", "conv-nchw", "conv-im2col" -> {
                Layout layout = kind.equals("conv-nchw") ? Layout.NCHW : Layout.NHWC;
                BsrMatrix w = BsrMatrix.random(16, 72, 16, 1, 0.7, rng);
                BsrTensors t = BsrTensors.placeholders(16, 72, 16, 1, w.nnzBlocks(), "W");
                in.putAll(w.bind(t));
                Tensor x = placeholder(layout == Layout.NHWC ? List.of(1, 6, 6, 8) : List.of(1, 8, 6, 6), DType.FLOAT32, "in");
                SparseConv.Kernel k = new SparseConv.Kernel(3, 3);
                Conv2dParams p = Conv2dParams.DEFAULT.withPadding(1);
                yield ComputeDag.of(kind.equals("conv-im2col") ? SparseConv.im2colConv2d(x, t, k, p, layout, "conv")
                        : SparseConv.conv2d(x, t, k, p, layout, "conv"));
            }
            default -> throw new IllegalArgumentException(kind);
        };
        for (var p : dag.placeholders()) {
            in.computeIfAbsent(p.output(0), t -> NDArray.random(t.dtype(), rng, Dags.dims(t)));
        }
        return new Dags.Case(kind, dag, in);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bsr-mm", "dense-bsrT", "bsr-4x4", "csr-mm", "conv-nhwc", "conv-nchw", "conv-im2col"})
    void sampledProgramsAreValidAndCorrect(String kind) {
        Dags.Case c = sparseCase(kind, new Random(11));
        SearchTask task = new SearchTask(c.dag(), Target.host(), 1, c.inputs());
        SketchPolicy policy = new SketchPolicy(task);
        List<Sketch> sketches = policy.sketches();
        assertTrue(sketches.stream().allMatch(sk -> sk.rules().contains("multi-level-tiling-sparse")),
                () -> kind + ": " + sketches.stream().map(Sketch::rules).toList());
        assertTrue(sketches.getFirst().tiles().size() >= 1, "the dense axes are tiled: " + sketches.getFirst().state());
        assertEquals(2, sketches.size(), "a variant with a register accumulator and one without");
        assertTrue(sketches.getFirst().rules().contains("add-cache-write"));
        List<State> programs = policy.sampleInitPopulation(10, new Random(3));
        assertTrue(programs.size() >= 3, kind + ": only " + programs.size() + " programs");
        for (State p : programs) {
            assertNull(Dags.check(c, p), () -> kind + " mismatch in\n" + p);
            for (var st : p.stages()) {
                for (var it : st.leafIters()) {
                    if (it.annotation() == IterAnnotation.VECTORIZE) {
                        assertEquals(IterKind.SPACE, it.kind(), p.toString());
                    }
                    if (it.kind() == IterKind.REDUCE && it.name().startsWith("b")) {
                        assertTrue(Extents.constant(st, it.id()) < 0, "b is whole: " + p);
                    }
                }
            }
        }
    }

    @Test
    void theSparseLoopStaysWholeAndTheBlockRowIsInnermostInASparseFullyConnectedLayer() {
        Dags.Case c = sparseCase("dense-bsrT", new Random(2));
        Sketch sk = new SketchPolicy(new SearchTask(c.dag(), Target.host(), 1, c.inputs())).sketches().getLast();
        var y = sk.state().stage(sk.state().stageIndex("Y"));
        // Y[i, j]: j is the weight's row (16 per block), i the dense batch axis
        assertEquals(List.of("j.0", "i.0", "i.1", "b", "c", "i.2", "i.3", "j.1"),
                y.leafIters().stream().map(Object::toString).toList());
        assertEquals(16, Extents.constant(y, y.leafIters().getLast().id()));
        assertThrows(ScheduleException.class, () -> sk.state().split("Y", "b", 2));
        State cached = new SketchPolicy(new SearchTask(c.dag(), Target.host(), 1, c.inputs())).sketches().getFirst().state();
        // the accumulator covers whole blocks of 16 rows: the sparse loop sits outside the block's rows
        assertEquals(List.of("j.0", "i.0", "b", "c", "i.1", "i.2", "j.1"),
                cached.stage(cached.stageIndex("Y.local")).leafIters().stream().map(Object::toString).toList());
        assertThrows(ScheduleException.class, () -> sk.state().vectorize("Y", "b"));
    }

    /** Stages the sparse loop gathers from are computed once in every sketch, not inlined per multiply-add. */
    @Test
    void stagesGatheredByTheSparseLoopAreNeverInlined() {
        Dags.Case c = sparseCase("conv-nhwc", new Random(6));
        DagAnalysis a = DagAnalysis.of(c.dag());
        List<String> gathered = c.dag().ops().stream().map(dev.lathe.te.Operation::name)
                .filter(n -> n.endsWith("_flat") || n.endsWith("_offset")).toList();
        assertFalse(gathered.isEmpty(), c.dag().toString());
        for (String g : gathered) {
            assertFalse(a.op(g).orElseThrow().strictInlinable(), g);
        }
        for (Sketch sk : new SketchPolicy(new SearchTask(c.dag(), Target.host(), 1, c.inputs())).sketches()) {
            State s = sk.fill(RandomAnnotation.tileSizes(sk, new Random(1)));
            for (String g : gathered) {
                assertFalse(s.stage(s.stageIndex(g)).location() instanceof dev.lathe.schedule.ComputeLocation.Inlined,
                        g + " inlined in " + sk.rules());
            }
        }
    }

    /**
     * A stage read at data-dependent indices is needed whole by every loop of its reader, so it is
     * never computed at one (that recomputes all of it per iteration: a program that ran past the
     * measuring deadline, one in five of the convolution's candidates before).
     */
    @ParameterizedTest
    @ValueSource(strings = {"conv-nhwc", "conv-im2col"})
    void stagesReadAtDataDependentIndicesAreNeverComputedAtTheirReader(String kind) {
        Dags.Case c = sparseCase(kind, new Random(6));
        SearchTask task = new SearchTask(c.dag(), Target.host(), 1, c.inputs());
        SketchPolicy policy = new SketchPolicy(task);
        int gathered = 0;
        for (Sketch sk : policy.sketches()) {
            for (int seed = 0; seed < 60; seed++) {
                State p = RandomAnnotation.annotate(sk, RandomAnnotation.tileSizes(sk, new Random(seed)), Map.of(),
                        new Random(seed)).state();
                for (int i = 0; i < p.stages().size(); i++) {
                    if (p.stage(i).location() instanceof dev.lathe.schedule.ComputeLocation.At at
                            && p.stage(at.stage()).op() instanceof dev.lathe.te.ComputeOp reader) {
                        assertFalse(DagAnalysis.readsAtDataDependentIndex(reader, p.stage(i).op()),
                                () -> kind + ": a gathered stage computed at its reader in\n" + p);
                    }
                }
            }
            State s0 = sk.state();
            for (int i = 0; i < s0.stages().size(); i++) {
                for (int r = i + 1; r < s0.stages().size(); r++) {
                    if (s0.stage(r).op() instanceof dev.lathe.te.ComputeOp reader
                            && DagAnalysis.readsAtDataDependentIndex(reader, s0.stage(i).op())) {
                        gathered++;
                    }
                }
            }
        }
        assertTrue(gathered > 0, kind + ": the convolution gathers its input through the weight's column indices");
    }

    @Test
    void theWorkloadKeyHasTheStructuresShapeButNotItsValues() {
        Random rng = new Random(4);
        BsrMatrix a = BsrMatrix.random(64, 32, 16, 1, 0.5, rng);
        BsrMatrix b = BsrMatrix.random(64, 32, 16, 1, 0.5, rng);
        assertEquals(a.nnzBlocks(), b.nnzBlocks());
        assertFalse(java.util.Arrays.equals(a.indices(), b.indices()));
        String ka = fcTask(a, 16, 1).workloadKey();
        assertEquals(ka, fcTask(b, 16, 1).workloadKey(), "same shapes, other values: the same workload");
        assertNotEquals(ka, fcTask(BsrMatrix.random(64, 32, 16, 1, 0.7, rng), 16, 1).workloadKey(), "other nnz");
        assertNotEquals(ka, fcTask(BsrMatrix.random(64, 32, 8, 1, 0.5, rng), 8, 1).workloadKey(), "other block shape");
        assertNotEquals(ka, fcTask(BsrMatrix.random(48, 32, 16, 1, 0.5, rng), 16, 1).workloadKey(), "other rows");
    }

    @Test
    void aTaskWithoutTheRealStructureIsRefused() {
        BsrMatrix a = BsrMatrix.random(64, 32, 16, 1, 0.5, new Random(1));
        BsrTensors t = BsrTensors.placeholders(64, 32, 16, 1, a.nnzBlocks(), "W");
        ComputeDag dag = ComputeDag.of(Bsr.denseBsrT(placeholder(List.of(8, 32), DType.FLOAT32, "X"), t, "Y"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SearchTask(dag, Target.host(), 1, Map.of()));
        assertTrue(e.getMessage().contains("random indices is never done"), e.getMessage());
        assertEquals(3, new SearchTask(dag, Target.host(), 1, a.bind(t)).taskInputs().size());
    }

    private static SearchTask fcTask(BsrMatrix a, int br, int bc) {
        BsrTensors t = BsrTensors.placeholders(a.rows(), a.cols(), br, bc, a.nnzBlocks(), "W");
        ComputeDag dag = ComputeDag.of(Bsr.denseBsrT(placeholder(List.of(8, a.cols()), DType.FLOAT32, "X"), t, "Y"));
        return new SearchTask(dag, Target.host(), 1, a.bind(t));
    }
}
