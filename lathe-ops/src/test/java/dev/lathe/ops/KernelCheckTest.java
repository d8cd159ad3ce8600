package dev.lathe.ops;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.runtime.CCompiler;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.List;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.placeholder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker itself: it must fail on a wrong kernel and say where and why. */
class KernelCheckTest {
    @Test
    void toleranceDefaultsPerDtype() {
        assertEquals(new Tolerance(1e-5, 1e-5), Tolerance.of(DType.FLOAT32));
        assertEquals(new Tolerance(1e-12, 1e-12), Tolerance.of(DType.FLOAT64));
        assertEquals(new Tolerance(1e-3, 1e-5), Tolerance.of(DType.FLOAT16));
        for (DType t : List.of(DType.INT8, DType.UINT8, DType.INT32, DType.INT64, DType.BOOL)) {
            assertEquals(Tolerance.EXACT, Tolerance.of(t));
        }
    }

    @Test
    void toleranceAcceptsWithinAtolPlusRtolAndHandlesNanAndInfinity() {
        Tolerance t = new Tolerance(1e-3, 1e-6);
        assertTrue(t.accepts(1000.9, 1000)); // 0.9 <= 1e-6 + 1.0
        assertFalse(t.accepts(1001.1, 1000));
        assertTrue(t.accepts(5e-7, 0));
        assertFalse(t.accepts(2e-6, 0));
        assertTrue(t.accepts(Double.NaN, Double.NaN));
        assertFalse(t.accepts(Double.NaN, 1));
        assertFalse(t.accepts(1, Double.NaN));
        assertTrue(t.accepts(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertFalse(t.accepts(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertFalse(t.accepts(Double.MAX_VALUE, Double.POSITIVE_INFINITY));
        assertFalse(Tolerance.EXACT.accepts(1 + 1e-15, 1));
    }

    @Test
    void mismatchNamesTheWorstElementAndItsIndex() {
        NDArray expected = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        NDArray actual = NDArray.of(new float[] {1, 2.01f, 3, 4, 5.5f, 6}, 2, 3);
        String msg = Tolerance.of(DType.FLOAT32).mismatch(expected, actual).orElseThrow();
        assertTrue(msg.contains("2 of 6 elements differ"), msg);
        assertTrue(msg.contains("flat index 4 = [1, 1]"), msg);
        assertTrue(msg.contains("expected 5.0 but got 5.5"), msg);
        assertTrue(Tolerance.of(DType.FLOAT32).mismatch(expected, expected.copy()).isEmpty());

        NDArray ints = NDArray.of(new int[] {7, -7}, 2);
        String exact = Tolerance.EXACT.mismatch(ints, NDArray.of(new int[] {7, -6}, 2)).orElseThrow();
        assertTrue(exact.contains("expected -7 but got -6"), exact);
        assertTrue(Tolerance.EXACT.mismatch(ints, NDArray.of(new int[] {7, -7, 0}, 3)).isPresent());
    }

    @Test
    void aWrongKernelFailsWithTheSeedAndTheElement() {
        Tensor x = placeholder(List.of(4, 5), DType.FLOAT32, "x");
        Tensor plusOne = compute(List.of(4, 5), (i, j) -> x.get(i, j).add(1f), "y");
        Tensor x2 = placeholder(List.of(4, 5), DType.FLOAT32, "x");
        Tensor plusTwo = compute(List.of(4, 5), (i, j) -> x2.get(i, j).add(j.eq(3L).cast(DType.FLOAT32)).add(1f), "y");
        Module wrong = Build.build(ComputeDag.of(plusOne), "plus_one");
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> KernelCheck.of(plusTwo).module(wrong).name("plus").seed(42).run());
        assertTrue(e.getMessage().contains("seed 42"), e.getMessage());
        assertTrue(e.getMessage().contains("4 of 20 elements differ"), e.getMessage());
        assertTrue(e.getMessage().contains("output y"), e.getMessage());
    }

    @Test
    void aKernelThatLeavesElementsUnwrittenIsCaughtByThePoisonedRun() {
        // The right answer is all zeros, which the zeroed run cannot tell from "never written".
        Tensor x = placeholder(List.of(6), DType.INT32, "x");
        Tensor zeros = compute(List.of(6), i -> x.get(i).mul(0), "z");
        KernelCheck.of(zeros).name("zeros").run();
        // A hand-written kernel that writes only the even elements.
        String src = "#include <stdint.h>\n"
                + "int32_t lathe_half(void* const* args, const int64_t* sizes) {\n"
                + "  int32_t* z = (int32_t*)args[1];\n"
                + "  for (int i = 0; i < 6; i += 2) z[i] = 0;\n"
                + "  return 0;\n"
                + "}\n";
        Module half = new Module("half", "lathe_half",
                List.of(new Module.Param("x", DType.INT32, x.shape(), false),
                        new Module.Param("z", DType.INT32, zeros.shape(), true)),
                List.of(), src, List.of(), CCompiler.system().compile(src));
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> KernelCheck.of(zeros).module(half).name("half").run());
        assertTrue(e.getMessage().contains("pre-filled"), e.getMessage());
        assertTrue(e.getMessage().contains("3 of 6 elements differ"), e.getMessage());
    }

    @Test
    void randomIndexInputsAreRefused() {
        Tensor idx = placeholder(List.of(3), DType.INT32, "idx");
        Tensor v = placeholder(List.of(10), DType.FLOAT32, "v");
        Tensor g = compute(List.of(3), i -> v.get(idx.get(i).cast(DType.INT64)), "gather");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelCheck.of(g).run());
        assertTrue(e.getMessage().contains("idx"), e.getMessage());
        KernelCheck.of(g).input(idx, NDArray.of(new int[] {9, 0, 4}, 3)).run();
    }
}
