package dev.lathe.runtime;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Var;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.lathe.te.Te.*;
import static org.junit.jupiter.api.Assertions.*;

class ModuleTest {
    private static Module vectorAdd() {
        Var n = sizeVar("n");
        Tensor a = placeholder(List.of(n), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(n), DType.FLOAT32, "B");
        Tensor c = compute(List.of(n), i -> a.get(i).add(b.get(i)), "C");
        return Build.build(ComputeDag.of(c), "vadd");
    }

    @Test
    void wrongNumberOfArraysIsRejected() {
        Module m = vectorAdd();
        NDArray a = NDArray.zeros(DType.FLOAT32, 4);
        var e = assertThrows(KernelArgumentException.class, () -> m.call(a, a));
        assertTrue(e.getMessage().contains("takes 3 arrays"), e.getMessage());
    }

    @Test
    void wrongDtypeIsRejected() {
        Module m = vectorAdd();
        var e = assertThrows(KernelArgumentException.class, () -> m.call(NDArray.zeros(DType.FLOAT64, 4),
                NDArray.zeros(DType.FLOAT32, 4), NDArray.zeros(DType.FLOAT32, 4)));
        assertTrue(e.getMessage().contains("must be float32, got float64"), e.getMessage());
    }

    @Test
    void inconsistentSizeVariableIsRejected() {
        Module m = vectorAdd();
        var e = assertThrows(KernelArgumentException.class, () -> m.call(NDArray.zeros(DType.FLOAT32, 4),
                NDArray.zeros(DType.FLOAT32, 5), NDArray.zeros(DType.FLOAT32, 4)));
        assertTrue(e.getMessage().contains("size variable n is 4"), e.getMessage());
    }

    @Test
    void wrongRankIsRejected() {
        Module m = vectorAdd();
        var e = assertThrows(KernelArgumentException.class, () -> m.call(NDArray.zeros(DType.FLOAT32, 4),
                NDArray.zeros(DType.FLOAT32, 4), NDArray.zeros(DType.FLOAT32, 2, 2)));
        assertTrue(e.getMessage().contains("must have 1 dimensions"), e.getMessage());
    }

    @Test
    void outputAliasingAnInputIsRejected() {
        Module m = vectorAdd();
        NDArray a = NDArray.zeros(DType.FLOAT32, 4);
        var e = assertThrows(KernelArgumentException.class, () -> m.call(a, NDArray.zeros(DType.FLOAT32, 4), a));
        assertTrue(e.getMessage().contains("shares memory"), e.getMessage());
    }

    @Test
    void sizeVariableNotDeterminedByAnyShapeMustBeGiven() {
        Var n = sizeVar("n");
        Tensor a = placeholder(List.of(n.mul(2)), DType.FLOAT32, "A");
        Tensor c = compute(List.of(n.mul(2)), i -> a.get(i).mul(3.0f), "C");
        Module m = Build.build(ComputeDag.of(c), "twice");
        NDArray x = NDArray.of(new float[]{1, 2, 3, 4}, 4);
        NDArray y = NDArray.zeros(DType.FLOAT32, 4);
        var e = assertThrows(KernelArgumentException.class, () -> m.call(x, y));
        assertTrue(e.getMessage().contains("size variable n") && e.getMessage().contains("not bound"), e.getMessage());
        m.call(Map.of("n", 2L), x, y);
        assertArrayEquals(new float[]{3, 6, 9, 12}, y.toFloatArray());
        var wrong = assertThrows(KernelArgumentException.class, () -> m.call(Map.of("n", 3L), x, y));
        assertTrue(wrong.getMessage().contains("must have shape"), wrong.getMessage());
    }

    @Test
    void variableOutsideAnyShapeIsAClearError() {
        Var m = sizeVar("m");
        Tensor a = placeholder(List.of(4), DType.INT64, "A");
        Tensor c = compute(List.of(4), i -> a.get(i).add(m), "C");
        var e = assertThrows(IllegalArgumentException.class, () -> Build.build(ComputeDag.of(c)));
        assertTrue(e.getMessage().contains("variable m"), e.getMessage());
    }

    @Test
    void dataDependentIndexOutOfBoundsFaultsInsteadOfCrashing() {
        Tensor idx = placeholder(List.of(3), DType.INT32, "idx");
        Tensor x = placeholder(List.of(5), DType.FLOAT32, "x");
        Tensor g = compute(List.of(3), i -> x.get(idx.get(i)), "gather");
        Module m = Build.build(ComputeDag.of(g), "gather");
        NDArray xs = NDArray.of(new float[]{10, 11, 12, 13, 14}, 5);
        NDArray out = NDArray.zeros(DType.FLOAT32, 3);
        m.call(NDArray.of(new int[]{4, 0, 2}, 3), xs, out);
        assertArrayEquals(new float[]{14, 10, 12}, out.toFloatArray());
        var e = assertThrows(KernelFaultException.class, () -> m.call(NDArray.of(new int[]{1, 5, 2}, 3), xs, out));
        assertTrue(e.getMessage().contains("index out of bounds") && e.getMessage().contains("x dimension 0"), e.getMessage());
        assertThrows(KernelFaultException.class, () -> m.call(NDArray.of(new int[]{-1, 0, 0}, 3), xs, out));
    }

    @Test
    void integerDivisionByZeroFaults() {
        Tensor a = placeholder(List.of(3), DType.INT32, "a");
        Tensor b = placeholder(List.of(3), DType.INT32, "b");
        Tensor q = compute(List.of(3), i -> a.get(i).floordiv(b.get(i)), "q");
        Module m = Build.build(ComputeDag.of(q), "div");
        NDArray out = NDArray.zeros(DType.INT32, 3);
        m.call(NDArray.of(new int[]{7, -7, 7}, 3), NDArray.of(new int[]{2, 2, -2}, 3), out);
        assertArrayEquals(new long[]{3, -4, -4}, out.toLongArray());
        var e = assertThrows(KernelFaultException.class,
                () -> m.call(NDArray.of(new int[]{7, 7, 7}, 3), NDArray.of(new int[]{2, 0, 1}, 3), out));
        assertTrue(e.getMessage().contains("division or modulo by zero"), e.getMessage());
    }

    @Test
    void exportedModuleLoadsWithoutACompiler(@TempDir Path dir) throws Exception {
        Module m = vectorAdd();
        m.export(dir);
        assertTrue(Files.exists(dir.resolve("module.json")));
        // Loading never runs the compiler: it only reads module.json and the library.
        Module loaded = Module.load(dir);
        NDArray a = NDArray.of(new float[]{1, 2, 3}, 3);
        NDArray b = NDArray.of(new float[]{10, 20, 30}, 3);
        NDArray c = NDArray.zeros(DType.FLOAT32, 3);
        loaded.call(a, b, c);
        assertArrayEquals(new float[]{11, 22, 33}, c.toFloatArray());
        assertEquals(m.signature(), loaded.signature());
        assertThrows(KernelArgumentException.class, () -> loaded.call(a, NDArray.zeros(DType.FLOAT32, 4), c));
    }

    @Test
    void missingCompilerIsAClearError(@TempDir Path dir) {
        CCompiler cc = new CCompiler("/nonexistent/lathe-cc", CCompiler.DEFAULT_FLAGS, dir);
        var e = assertThrows(CompilerNotFoundException.class, () -> cc.compile("int f(void) { return 0; }"));
        assertTrue(e.getMessage().contains("no C compiler found") && e.getMessage().contains("CC"), e.getMessage());
    }

    @Test
    void compileErrorKeepsTheSourceAndTheCompilerOutput(@TempDir Path dir) {
        CCompiler cc = new CCompiler(CCompiler.system().command(), CCompiler.DEFAULT_FLAGS, dir);
        var e = assertThrows(CompileException.class, () -> cc.compile("int f(void) { return undefined_name; }"));
        assertTrue(Files.exists(e.source()));
        assertTrue(e.getMessage().contains(e.source().toString()));
        assertTrue(e.compilerOutput().contains("undefined_name"), e.compilerOutput());
    }

    @Test
    void compiledLibrariesAreCached(@TempDir Path dir) {
        CCompiler cc = new CCompiler(CCompiler.system().command(), CCompiler.DEFAULT_FLAGS, dir);
        Path first = cc.compile("int f(void) { return 1; }");
        Path again = cc.compile("int f(void) { return 1; }");
        Path other = cc.compile("int f(void) { return 2; }");
        assertEquals(first, again);
        assertNotEquals(first, other);
    }

    @Test
    void symbolicMatmulRunsAtTwoSizes() {
        Var n = sizeVar("n");
        Tensor a = placeholder(List.of(n, 8), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(8, 5), DType.FLOAT32, "B");
        IterVar k = reduceAxis(0, 8, "k");
        Tensor c = compute(List.of(n, 5), (i, j) -> sum(a.get(i, k).mul(b.get(k, j)), k), "C");
        Module m = Build.build(ComputeDag.of(c), "symmm");
        for (int rows : new int[]{3, 11}) {
            float[] av = new float[rows * 8];
            float[] bv = new float[8 * 5];
            for (int i = 0; i < av.length; i++) av[i] = (i % 7) - 3;
            for (int i = 0; i < bv.length; i++) bv[i] = (i % 5) - 2;
            NDArray out = NDArray.zeros(DType.FLOAT32, rows, 5);
            m.call(NDArray.of(av, rows, 8), NDArray.of(bv, 8, 5), out);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < 5; j++) {
                    float s = 0;
                    for (int q = 0; q < 8; q++) s += av[i * 8 + q] * bv[q * 5 + j];
                    assertEquals(s, out.getDouble(i * 5L + j), 0, "at " + i + "," + j + " rows=" + rows);
                }
            }
        }
    }
}
