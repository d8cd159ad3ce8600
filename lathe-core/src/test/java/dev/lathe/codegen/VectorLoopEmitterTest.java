package dev.lathe.codegen;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Var;
import dev.lathe.runtime.CCompiler;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import dev.lathe.tir.For;
import dev.lathe.tir.ForKind;
import dev.lathe.tir.IfThenElse;
import dev.lathe.tir.LetStmt;
import dev.lathe.tir.PrimFunc;
import dev.lathe.tir.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static dev.lathe.te.Te.*;
import static org.junit.jupiter.api.Assertions.*;

class VectorLoopEmitterTest {
    private static final int F32_LANES = VectorTarget.host().lanes(DType.FLOAT32);

    /** Lowers with the loop over {@code var} vectorized, checks against the reference, returns the C. */
    private static String vectorized(ComputeDag dag, String var, double relTol) {
        PrimFunc f = Kernels.lower(dag, "vec", var, ForKind.VECTORIZED);
        return Kernels.checkAgainstReference(f, dag, Kernels.randomInputs(dag, 7), relTol).source();
    }

    private static ComputeDag add(int n, DType t) {
        Tensor a = placeholder(List.of(n), t, "A");
        Tensor b = placeholder(List.of(n), t, "B");
        return ComputeDag.of(compute(List.of(n), i -> a.get(i).add(b.get(i)), "C"));
    }

    /** Long enough for a vector loop whatever the host's width, with and without a tail; and too short for one vector. */
    static java.util.stream.IntStream addExtents() {
        int loop = (RegisterTiles.MAX_UNROLLED_VECTORS + 4) * F32_LANES;
        return java.util.stream.IntStream.of(loop, loop + 3, 3);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("addExtents")
    void elementwiseAddOfFloat32(int n) {
        String c = vectorized(add(n, DType.FLOAT32), "i", 0);
        if (n < F32_LANES) {
            assertTrue(c.contains("fewer iterations than"), c);
            return;
        }
        String type = "lathe_f32x" + F32_LANES;
        assertTrue(c.contains("typedef float " + type + " __attribute__((vector_size(" + 4 * F32_LANES + ")))"), c);
        assertTrue(c.contains("lathe_store_f32x" + F32_LANES + "(&C[i], (lathe_load_f32x" + F32_LANES + "(&A[i]) + lathe_load_f32x"
                + F32_LANES + "(&B[i])));"), c);
        assertTrue(c.contains("i += " + F32_LANES), c);
        boolean tail = n % F32_LANES != 0;
        assertEquals(tail, c.contains("for (; i < " + n + "; ++i)"), c);
    }

    @Test
    void aFewWholeVectorsAreUnrolledIntoBlocks() {
        int n = 2 * F32_LANES;
        String c = vectorized(add(n, DType.FLOAT32), "i", 0);
        assertTrue(c.contains("i = 0;") && c.contains("i = " + F32_LANES + ";"), c);
        assertTrue(!c.contains("i += "), c);
        assertTrue(c.contains("lathe_store_f32x" + F32_LANES + "(&C[i]"), c);
    }

    @Test
    void symbolicExtentGetsARuntimeTail() {
        Var n = sizeVar("n");
        Tensor a = placeholder(List.of(n), DType.FLOAT32, "A");
        Tensor c = compute(List.of(n), i -> a.get(i).mul(3.0f), "C");
        ComputeDag dag = ComputeDag.of(c);
        PrimFunc f = Kernels.lower(dag, "vsym", "i", ForKind.VECTORIZED);
        Module m = Build.compile(f, dag, CCompiler.system());
        assertTrue(m.source().contains("_end - i >= " + F32_LANES), m.source());
        for (int size : new int[]{1, F32_LANES, 3 * F32_LANES + 5}) {
            float[] x = new float[size];
            for (int k = 0; k < size; k++) {
                x[k] = k - 2.5f;
            }
            NDArray out = NDArray.zeros(DType.FLOAT32, size);
            m.call(NDArray.of(x, size), out);
            for (int k = 0; k < size; k++) {
                assertEquals(x[k] * 3.0f, out.getDouble(k), 0, "size " + size + " at " + k);
            }
        }
    }

    @Test
    void invariantOperandsAreBroadcast() {
        Tensor a = placeholder(List.of(5, 37), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(37), DType.FLOAT32, "b");
        Tensor c = placeholder(List.of(5), DType.FLOAT32, "c");
        Tensor d = compute(List.of(5, 37), (i, j) -> a.get(i, j).add(b.get(j)).add(c.get(i)), "D");
        String src = vectorized(ComputeDag.of(d), "j", 0);
        assertTrue(src.contains("lathe_load_f32x" + F32_LANES + "(&b[j])"), src);
        assertTrue(src.contains("lathe_splat_f32x" + F32_LANES + "(c[i])"), src);
    }

    @Test
    void stridedReadIsGathered() {
        Tensor a = placeholder(List.of(37, 6), DType.FLOAT32, "A");
        Tensor t = compute(List.of(6, 37), (i, j) -> a.get(j, i), "T");
        String src = vectorized(ComputeDag.of(t), "j", 0);
        assertTrue(src.contains("gather_A"), src);
        assertTrue(src.contains("lathe_store_f32x" + F32_LANES + "(&T["), src);
    }

    @Test
    void stridedStoreIsScattered() {
        Tensor a = placeholder(List.of(6, 37), DType.FLOAT32, "A");
        Tensor t = compute(List.of(37, 6), (i, j) -> a.get(j, i).mul(2.0f), "T");
        ComputeDag dag = ComputeDag.of(t);
        // Loops j, i with i vectorized: the read A[j, i] is contiguous, the store T[i, j] has stride 6.
        Var i = Var.of("i");
        Var j = Var.of("j");
        var store = new Store(t, List.of(i, j), new dev.lathe.ir.TensorRead(a, List.of(j, i)).mul(2.0f));
        var loops = new For(j, IntImm.of(0), IntImm.of(6), ForKind.SERIAL,
                new For(i, IntImm.of(0), IntImm.of(37), ForKind.VECTORIZED, store));
        PrimFunc f = new PrimFunc("scatter", List.of(a, t), List.of(), loops);
        String src = Kernels.checkAgainstReference(f, dag, Kernels.randomInputs(dag, 5), 0).source();
        assertTrue(src.contains("lathe_load_f32x" + F32_LANES + "(&A["), src);
        assertTrue(src.contains("T[i_l * 6 + j] = x[lane];"), src);
    }

    @Test
    void dataDependentGatherKeepsItsBoundsCheck() {
        Tensor idx = placeholder(List.of(20), DType.INT32, "idx");
        Tensor x = placeholder(List.of(50), DType.FLOAT32, "x");
        ComputeDag dag = ComputeDag.of(compute(List.of(20), i -> x.get(idx.get(i)).mul(2.0f), "G"));
        PrimFunc f = Kernels.lower(dag, "vgather", "i", ForKind.VECTORIZED);
        Module m = Build.compile(f, dag, CCompiler.system());
        assertTrue(m.source().contains("gather_x"), m.source());
        int[] good = new int[20];
        for (int k = 0; k < 20; k++) {
            good[k] = (k * 7) % 50;
        }
        Kernels.run(m, f, dag, Map.of(idx, NDArray.of(good, 20), x, NDArray.random(DType.FLOAT32, new java.util.Random(1), 50)), 0);
        for (int bad : new int[]{1, 18}) {
            int[] wrong = good.clone();
            wrong[bad] = 50;
            var e = assertThrows(dev.lathe.runtime.KernelFaultException.class,
                    () -> m.call(NDArray.of(wrong, 20), NDArray.zeros(DType.FLOAT32, 50), NDArray.zeros(DType.FLOAT32, 20)));
            assertTrue(e.getMessage().contains("x dimension 0"), e.getMessage());
        }
    }

    @Test
    void reluIsACompareAndSelect() {
        Tensor a = placeholder(List.of(70), DType.FLOAT32, "A");
        Tensor r = compute(List.of(70), i -> a.get(i).max(constant(0, DType.FLOAT32)), "R");
        String src = vectorized(ComputeDag.of(r), "i", 0);
        assertTrue(src.contains("lathe_select_f32x" + F32_LANES + "((x > x_1), x, x_1)"), src);
    }

    @Test
    void selectWhoseBranchesReadOnlyWhatTheConditionReadsIsABlend() {
        Tensor a = placeholder(List.of(45), DType.FLOAT32, "A");
        Tensor r = compute(List.of(45), i -> select(a.get(i).gt(0.0f), a.get(i), a.get(i).mul(0.125f)), "R");
        String src = vectorized(ComputeDag.of(r), "i", 0);
        assertTrue(src.contains("lathe_select_f32x" + F32_LANES + "((lathe_load_f32x"), src);
    }

    @Test
    void guardedReadsOfPaddingStayPerLane() {
        int n = 37;
        Tensor a = placeholder(List.of(n), DType.FLOAT32, "A");
        Tensor p = compute(List.of(n + 2), i -> select(i.ge(1).and(i.le(n)), a.get(i.sub(1)), constant(0, DType.FLOAT32)), "P");
        String src = vectorized(ComputeDag.of(p), "i", 0);
        // A[i - 1] must not be read for i = 0 and i = n + 1: the select is computed lane by lane.
        assertTrue(src.contains("sel["), src);
    }

    @Test
    void expRunsLaneByLane() {
        Tensor a = placeholder(List.of(50), DType.FLOAT32, "A");
        Tensor e = compute(List.of(50), i -> exp(a.get(i)).add(1.0f), "E");
        String src = vectorized(ComputeDag.of(e), "i", 1e-6);
        assertTrue(src.contains("expf(x_l)"), src);
    }

    @Test
    void int32ArithmeticWrapsLikeTheScalarCode() {
        Tensor a = placeholder(List.of(40), DType.INT32, "A");
        Tensor b = placeholder(List.of(40), DType.INT32, "B");
        Tensor c = compute(List.of(40), i -> a.get(i).mul(b.get(i)).add(a.get(i)).sub(7), "C");
        ComputeDag dag = ComputeDag.of(c);
        PrimFunc f = Kernels.lower(dag, "vint", "i", ForKind.VECTORIZED);
        int[] x = new int[40];
        int[] y = new int[40];
        for (int k = 0; k < 40; k++) {
            x[k] = Integer.MAX_VALUE - 3 * k;
            y[k] = k - 20;
        }
        Module m = Kernels.checkAgainstReference(f, dag, Map.of(dag.placeholders().get(0).output(0), NDArray.of(x, 40),
                dag.placeholders().get(1).output(0), NDArray.of(y, 40)), 0);
        assertTrue(m.source().contains("lathe_u32x"), m.source());
    }

    @Test
    void int64AndCastsOfTheLoopVariable() {
        Tensor a = placeholder(List.of(29), DType.INT64, "A");
        Tensor c = compute(List.of(29), i -> a.get(i).add(i.mul(3)).cast(DType.FLOAT32).add(i.cast(DType.FLOAT32)), "C");
        String src = vectorized(ComputeDag.of(c), "i", 0);
        assertTrue(src.contains("lathe_iota_i64x"), src);
        assertTrue(src.contains("__builtin_convertvector("), src);
    }

    @Test
    void float64() {
        Tensor a = placeholder(List.of(3, 21), DType.FLOAT64, "A");
        Tensor b = placeholder(List.of(21), DType.FLOAT64, "B");
        Tensor c = compute(List.of(3, 21), (i, j) -> a.get(i, j).div(b.get(j)).sub(a.get(i, j)).min(b.get(j)), "C");
        String src = vectorized(ComputeDag.of(c), "j", 0);
        assertTrue(src.contains("lathe_f64x" + VectorTarget.host().lanes(DType.FLOAT64)), src);
    }

    @Test
    void masksOfDifferentWidthsCombine() {
        Tensor a = placeholder(List.of(43), DType.FLOAT64, "A");
        Tensor b = placeholder(List.of(43), DType.FLOAT32, "B");
        Tensor c = compute(List.of(43), i -> {
            Expr both = a.get(i).gt(0.0).and(b.get(i).lt(0.5f).or(b.get(i).gt(0.9f).not()));
            return select(both, a.get(i).cast(DType.FLOAT32), b.get(i))
                    .add(b.get(i).gt(0.0f).cast(DType.FLOAT32))
                    .add(a.get(i).cast(DType.BOOL).eq(both).cast(DType.FLOAT32));
        }, "C");
        String src = vectorized(ComputeDag.of(c), "i", 0);
        assertTrue(src.contains("__builtin_convertvector(("), src);
        assertFalse(src.contains("kept scalar"), src);
    }

    @Test
    void float16StaysScalar() {
        Tensor a = placeholder(List.of(33), DType.FLOAT16, "A");
        Tensor c = compute(List.of(33), i -> a.get(i).add(a.get(i)), "C");
        String src = vectorized(ComputeDag.of(c), "i", 0);
        assertTrue(src.contains("kept scalar"), src);
        assertTrue(src.contains("#pragma omp simd"), src);
    }

    @Test
    void reductionIntoOneAccumulatorStaysScalarWithoutSimdPragma() {
        Tensor a = placeholder(List.of(50), DType.FLOAT32, "A");
        IterVar k = reduceAxis(0, 50, "k");
        Tensor s = compute(List.of(2), i -> sum(a.get(k).mul(i.cast(DType.FLOAT32)), k), "S");
        String src = vectorized(ComputeDag.of(s), "k", 1e-6);
        assertTrue(src.contains("k: kept scalar, every iteration stores to the same element of S"), src);
        assertFalse(src.contains("omp simd"), src);
        assertFalse(src.contains("vector_size"), src);
    }

    @Test
    void allocationInsideTheLoopStaysScalar() {
        Tensor a = placeholder(List.of(20), DType.FLOAT32, "A");
        Tensor c = compute(List.of(20), i -> a.get(i).mul(2.0f).add(1.0f), "C");
        ComputeDag dag = ComputeDag.of(c);
        Tensor tmp = placeholder(List.of(1), DType.FLOAT32, "T");
        Var i = Var.of("i");
        var zero = List.<Expr>of(IntImm.of(0));
        var body = new dev.lathe.tir.Allocate(tmp, List.of(IntImm.of(1)), dev.lathe.tir.Seq.of(
                new Store(tmp, zero, new dev.lathe.ir.TensorRead(a, List.of(i)).mul(2.0f)),
                new Store(c, List.of(i), new dev.lathe.ir.TensorRead(tmp, zero).add(1.0f))));
        PrimFunc f = new PrimFunc("scratch", List.of(a, c), List.of(),
                new For(i, IntImm.of(0), IntImm.of(20), ForKind.VECTORIZED, body));
        String src = Kernels.checkAgainstReference(f, dag, Kernels.randomInputs(dag, 4), 0).source();
        assertTrue(src.contains("i: kept scalar, every iteration stores to the same element of T"), src);
        assertFalse(src.contains("omp simd"), src);
    }

    /** A split of a 67-long loop by 16 with its guard, written as the schedule lowering would. */
    @ParameterizedTest
    @ValueSource(ints = {64, 67})
    void splitLoopWithAndWithoutGuard(int n) {
        Tensor a = placeholder(List.of(n), DType.FLOAT32, "A");
        Tensor c = compute(List.of(n), i -> a.get(i).mul(2.0f), "C");
        ComputeDag dag = ComputeDag.of(c);
        Var outer = Var.of("i_o");
        Var inner = Var.of("i_i");
        Expr i = outer.mul(16).add(inner);
        var store = new Store(c, List.of(i), new dev.lathe.ir.TensorRead(a, List.of(i)).mul(2.0f));
        var body = n % 16 == 0 ? store : IfThenElse.of(i.lt(n), store);
        var loops = new For(outer, IntImm.of(0), IntImm.of((n + 15) / 16), ForKind.SERIAL,
                new For(inner, IntImm.of(0), IntImm.of(16), ForKind.VECTORIZED, body));
        PrimFunc f = new PrimFunc("split", List.of(a, c), List.of(), loops);
        String src = Kernels.checkAgainstReference(f, dag, Kernels.randomInputs(dag, 3), 0).source();
        if (n % 16 == 0) {
            assertTrue(src.contains("lathe_load_f32x" + F32_LANES + "(&A[((i_o * 16) + i_i)])"), src);
        } else {
            assertTrue(src.contains("i_i: kept scalar, the condition"), src);
        }
    }

    @Test
    void letBoundVectorsAndInvariantConditions() {
        Var n = sizeVar("n");
        Tensor a = placeholder(List.of(n, 40), DType.FLOAT32, "A");
        Tensor c = compute(List.of(n, 40), (i, j) -> select(i.lt(1), a.get(i, j).mul(4.0f), a.get(i, j).mul(2.0f).add(1.0f)), "C");
        ComputeDag dag = ComputeDag.of(c);
        Var i = Var.of("i");
        Var j = Var.of("j");
        Var t = Var.of("t", DType.FLOAT32);
        var read = new dev.lathe.ir.TensorRead(a, List.of(i, j));
        var body = new LetStmt(t, read.mul(2.0f), new IfThenElse(i.lt(1),
                new Store(c, List.of(i, j), t.add(t)), java.util.Optional.of(new Store(c, List.of(i, j), t.add(1.0f)))));
        var loops = new For(i, IntImm.of(0), n, ForKind.SERIAL, new For(j, IntImm.of(0), IntImm.of(40), ForKind.VECTORIZED, body));
        PrimFunc f = new PrimFunc("lets", List.of(a, c), List.of(n), loops);
        Module m = Build.compile(f, dag, CCompiler.system());
        assertTrue(m.source().contains("const lathe_f32x" + F32_LANES + " t = "), m.source());
        assertTrue(m.source().contains("if ((i < 1)) {"), m.source());
        NDArray x = NDArray.random(DType.FLOAT32, new java.util.Random(5), 3, 40);
        NDArray out = NDArray.zeros(DType.FLOAT32, 3, 40);
        m.call(x, out);
        NDArray want = dev.lathe.reference.ReferenceEvaluator.evaluate(dag, Map.of(a, x)).get(c);
        assertArrayEquals(want.toFloatArray(), out.toFloatArray());
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32, 64})
    void anyVectorWidthCompilesAndRuns(int bytes) {
        // Vectors wider than the host's are split by GCC: the code stays correct everywhere.
        ComputeDag dag = ComputeDag.of(compute(List.of(45), i -> placeholder(List.of(45), DType.FLOAT32, "A").get(i)
                .max(constant(0.5, DType.FLOAT32)).mul(i.cast(DType.FLOAT32)), "C"));
        PrimFunc f = Kernels.lower(dag, "width", "i", ForKind.VECTORIZED);
        CodegenC.Source src = CodegenC.generate(f, new VectorTarget(bytes));
        // Lanes follow the float32 data; the int64 loop variable spans twice the bytes.
        assertTrue(src.text().contains("typedef int64_t lathe_i64x" + bytes / 4 + " __attribute__((vector_size(" + 2 * bytes + ")))"), src.text());
        Module m = new Module(f.name(), src.entry(), List.of(
                new Module.Param("A", DType.FLOAT32, List.of(IntImm.of(45)), false),
                new Module.Param("C", DType.FLOAT32, List.of(IntImm.of(45)), true)),
                List.of(), src.text(), src.checkedSites(), CCompiler.system().compile(src.text()));
        Kernels.run(m, f, dag, Kernels.randomInputs(dag, 11), 0);
    }

    @Test
    void targetFollowsCpuFlags() {
        assertEquals(64, VectorTarget.fromCpuFlags(java.util.Set.of("avx2", "avx512f")).vectorBytes());
        assertEquals(32, VectorTarget.fromCpuFlags(java.util.Set.of("sse2", "avx2")).vectorBytes());
        assertEquals(16, VectorTarget.fromCpuFlags(java.util.Set.of("asimd")).vectorBytes());
        assertEquals(16, VectorTarget.AVX512.lanes(DType.FLOAT32));
        assertEquals(4, VectorTarget.AVX2.lanes(DType.FLOAT64));
        assertThrows(IllegalArgumentException.class, () -> new VectorTarget(48));
    }
}
