package dev.lathe.autoschedule;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.measure.Target;
import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.Linalg;
import dev.lathe.ops.sparse.Bsr;
import dev.lathe.ops.sparse.BsrTensors;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.IterAnnotation;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.sizeVar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Static schedules build and compute what the reference evaluator computes, for any DAG. */
class StaticModeTest {
    static final Target AVX512 = new Target("avx512", Set.of("avx512f", "avx2", "fma"), 2, 64, 48 << 10, 1 << 20, 32 << 20);
    static final Target AVX2 = new Target("avx2", Set.of("avx2", "fma"), 8, 32, 32 << 10, 256 << 10, 8 << 20);

    @ParameterizedTest
    @ValueSource(strings = {"matmul", "matmul+bias+relu", "conv2d", "softmax", "csr-mm", "sum-row", "prod2", "scalar",
            "chain", "matmul64", "depthwise", "bsr-mm"})
    void staticSchedulesMatchTheReference(String kind) {
        Random rng = new Random(kind.hashCode());
        Dags.Case c = caseOf(kind, rng);
        for (Target t : List.of(Target.host(), AVX2)) {
            State s = AutoScheduler.schedule(c.dag(), t);
            String failure = Dags.check(c, s);
            assertNull(failure, kind + " on " + t.name() + ": " + failure + "\n" + s);
        }
    }

    @Test
    void matmulGetsARegisterTileVectorizedAndParallel() {
        State s = StaticMode.schedule(Dags.matmul(256, 256, 256), AVX512);
        assertTrue(s.steps().stream().anyMatch(st -> st.toString().toLowerCase().contains("cache")), s.toString());
        boolean vec = false, par = false, unroll = false;
        for (var st : s.stages()) {
            for (var it : st.leafIters()) {
                vec |= it.annotation() == IterAnnotation.VECTORIZE;
                par |= it.annotation() == IterAnnotation.PARALLEL;
                unroll |= it.annotation() == IterAnnotation.UNROLL;
            }
        }
        assertTrue(vec && par && unroll, s.toString());
        Module256.check(s);
    }

    @Test
    void registerTileFitsTheRegisters() {
        Sketch sk = StaticMode.ranked(new SketchPolicy(Dags.matmul(1024, 1024, 1024)).sketches()).getFirst();
        long[][] len = StaticTileSizes.tileSizes(sk, AVX512);
        // i: rows of the register tile; j: two vectors of 16 lanes.
        assertEquals(32, len[1][3]);
        assertEquals(8, len[0][3]);
        assertEquals(1024, len[0][0] * len[0][1] * len[0][2] * len[0][3]);
        long[][] avx2 = StaticTileSizes.tileSizes(sk, AVX2);
        assertEquals(16, avx2[1][3]);
        assertEquals(4, avx2[0][3]); // 12 vectors of budget / 2 per row = 6 rows: the largest divisor of 1024 is 4
        assertTrue(avx2[0][0] * avx2[1][0] >= 16, "outer parallel level >= 2 x cores");
    }

    @Test
    void aLargeReusedOperandIsPackedIntoAPanel() {
        Target smallL2 = new Target("small", Set.of("avx512f"), 2, 64, 4 << 10, 16 << 10, 1 << 20);
        ComputeDag dag = Dags.matmul(64, 128, 48);
        State s = StaticMode.schedule(dag, smallL2);
        assertTrue(s.stages().stream().anyMatch(st -> st.name().equals("B.shared")), s.toString());
        Module256.check(s);
        State big = StaticMode.schedule(dag, AVX512);
        assertTrue(big.stages().stream().noneMatch(st -> st.name().endsWith(".shared")), "B fits L2: " + big);
    }

    @Test
    void symbolicShapesKeepTheirExtents() {
        var m = sizeVar("m");
        Tensor a = placeholder(List.of(m, 32), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(32, 48), DType.FLOAT32, "B");
        ComputeDag dag = ComputeDag.of(Linalg.matmul(a, b, "C"));
        State s = AutoScheduler.schedule(dag, AVX512);
        Build.build(s, "static_symbolic");
        assertTrue(StaticMode.generates(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"matmul", "matmul+bias+relu", "conv2d", "softmax", "csr-mm", "matmul64", "depthwise", "bsr-mm"})
    void theHeuristicScheduleGeneratesWithoutFallback(String kind) {
        Dags.Case c = caseOf(kind, new Random(3));
        for (Target t : List.of(AVX512, AVX2)) {
            Sketch best = StaticMode.ranked(new SketchPolicy(c.dag()).sketches()).getFirst();
            State s = StaticMode.annotate(best, StaticTileSizes.tileSizes(best, t), t);
            assertTrue(s != null && StaticMode.generates(s), kind + " on " + t.name() + ": " + best);
        }
    }

    @Test
    void differsFromTheInitialStateForTiledOps() {
        State s = AutoScheduler.schedule(Dags.matmul(64, 64, 64), Target.host());
        assertNotEquals(0, s.steps().size());
    }

    /** A 256³ matmul against the reference (slow to evaluate, so checked once). */
    static final class Module256 {
        static void check(State s) {
            Dags.Case c = new Dags.Case("matmul256", s.dag(), inputs(s.dag(), new Random(1)));
            assertNull(Dags.check(c, s));
        }
    }

    /**
     * The padding of an NCHW convolution is conditional on the column, the axis its consumer vectorizes:
     * it stays a stage of its own (plain vector loads of a padded copy), while NHWC padding, conditional
     * on rows and columns only, is inlined.
     */
    @Test
    void paddingConditionalOnTheVectorizedAxisIsNotInlined() {
        Random rng = new Random(21);
        Tensor in = placeholder(List.of(1, 8, 12, 12), DType.FLOAT32, "data");
        Tensor w = placeholder(List.of(16, 8, 3, 3), DType.FLOAT32, "weight");
        ComputeDag nchw = ComputeDag.of(Conv.conv2dNchw(in, w, Conv2dParams.DEFAULT.withPadding(1), "conv"));
        State s = StaticMode.schedule(nchw, AVX512);
        assertTrue(s.stage(s.stageIndex("conv_pad")).location() instanceof dev.lathe.schedule.ComputeLocation.Root,
                s.toString());
        assertNull(Dags.check(new Dags.Case("nchw", nchw, inputs(nchw, rng)), s));
        Dags.Case nhwc = caseOf("conv2d", rng);
        State t = StaticMode.schedule(nhwc.dag(), AVX512);
        assertTrue(t.steps().stream().anyMatch(st -> st instanceof dev.lathe.schedule.Step.ComputeInline), t.toString());
    }

    static Dags.Case caseOf(String kind, Random rng) {
        return switch (kind) {
            case "matmul64" -> {
                ComputeDag dag = Dags.matmul(64, 96, 40);
                yield new Dags.Case(kind, dag, inputs(dag, rng));
            }
            case "depthwise" -> {
                Tensor in = placeholder(List.of(1, 8, 8, 16), DType.FLOAT32, "data");
                Tensor w = placeholder(List.of(3, 3, 16, 1), DType.FLOAT32, "weight");
                ComputeDag dag = ComputeDag.of(Conv.depthwiseConv2dNhwc(in, w, Conv2dParams.DEFAULT.withPadding(1), "dw"));
                yield new Dags.Case(kind, dag, inputs(dag, rng));
            }
            case "bsr-mm" -> {
                int rows = 32, cols = 16, br = 4, bc = 2, n = 24;
                int[] indptr = new int[rows / br + 1];
                List<Integer> idx = new ArrayList<>();
                for (int r = 0; r < rows / br; r++) {
                    for (int cc = 0; cc < cols / bc; cc++) {
                        if (rng.nextInt(2) == 0) {
                            idx.add(cc);
                        }
                    }
                    indptr[r + 1] = idx.size();
                }
                int nnzb = Math.max(1, idx.size());
                BsrTensors a = BsrTensors.placeholders(rows, cols, br, bc, nnzb, "A");
                Tensor x = placeholder(List.of(cols, n), DType.FLOAT32, "X");
                ComputeDag dag = ComputeDag.of(Bsr.bsrMatmul(a, x, "Y"));
                Map<Tensor, NDArray> in = new HashMap<>();
                in.put(a.data(), NDArray.random(DType.FLOAT32, rng, nnzb, br, bc));
                int[] ind = new int[nnzb];
                for (int i = 0; i < idx.size(); i++) {
                    ind[i] = idx.get(i);
                }
                in.put(a.indices(), NDArray.of(ind, nnzb));
                in.put(a.indptr(), NDArray.of(indptr, indptr.length));
                in.put(x, NDArray.random(DType.FLOAT32, rng, cols, n));
                yield new Dags.Case(kind, dag, in);
            }
            default -> Dags.caseOf(kind, rng);
        };
    }

    static Dags.Case inputsCase(String kind, ComputeDag dag, Random rng) {
        return new Dags.Case(kind, dag, inputs(dag, rng));
    }

    static Map<Tensor, NDArray> inputs(ComputeDag dag, Random rng) {
        Map<Tensor, NDArray> in = new HashMap<>();
        for (var p : dag.placeholders()) {
            in.put(p.output(0), NDArray.random(p.dtype(0), rng, Dags.dims(p.output(0))));
        }
        return in;
    }
}
