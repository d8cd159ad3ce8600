package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.placeholder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Compiled kernels against the reference evaluator for every dtype: integer wrap-around,
 * floor/trunc division with negative operands, float64, float16 storage, bool and uint8.
 * Where the semantics are subtle the expected values are also spelled out by hand.
 */
class CompiledDtypesTest {

    @Test
    void int8ArithmeticWrapsAround() {
        Tensor a = placeholder(List.of(6), DType.INT8, "a");
        Tensor b = placeholder(List.of(6), DType.INT8, "b");
        Tensor sum = compute(List.of(6), i -> a.get(i).add(b.get(i)), "sum");
        Tensor prod = compute(List.of(6), i -> a.get(i).mul(b.get(i)), "prod");
        Tensor neg = compute(List.of(6), i -> a.get(i).neg(), "neg");
        NDArray av = NDArray.fromDoubles(DType.INT8, new double[] {100, -100, 127, -128, 5, -7}, 6);
        NDArray bv = NDArray.fromDoubles(DType.INT8, new double[] {100, -100, 1, -1, 30, 20}, 6);
        KernelCheck.Result r = KernelCheck.of(sum, prod, neg).name("int8_wrap").input(a, av).input(b, bv).run();
        assertArrayEquals(new long[] {-56, 56, -128, 127, 35, 13}, r.compiled(sum).toLongArray());
        // 10000 = 0x2710 -> 0x10; 127 * 1; -128 * -1 = 128 -> -128; 150 -> -106; -140 -> 116
        assertArrayEquals(new long[] {16, 16, 127, -128, -106, 116}, r.compiled(prod).toLongArray());
        assertArrayEquals(new long[] {-100, 100, -127, -128, -5, 7}, r.compiled(neg).toLongArray());

        KernelCheck.of(sum, prod, neg).name("int8_wrap_random").seed(701).run();
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"INT32", "INT64"})
    void integerDivisionWithNegativeOperands(DType t) {
        Tensor a = placeholder(List.of(8), t, "a");
        Tensor b = placeholder(List.of(8), t, "b");
        Tensor fdiv = compute(List.of(8), i -> a.get(i).floordiv(b.get(i)), "fdiv");
        Tensor fmod = compute(List.of(8), i -> a.get(i).floormod(b.get(i)), "fmod");
        Tensor tdiv = compute(List.of(8), i -> a.get(i).truncdiv(b.get(i)), "tdiv");
        Tensor tmod = compute(List.of(8), i -> a.get(i).truncmod(b.get(i)), "tmod");
        // Constant divisors too: the code generator may treat them differently.
        Tensor fdivConst = compute(List.of(8), i -> a.get(i).floordiv(3), "fdiv3");
        Tensor fmodConst = compute(List.of(8), i -> a.get(i).floormod(-4), "fmodm4");
        NDArray av = NDArray.fromDoubles(t, new double[] {7, -7, 7, -7, 0, -1, 6, -6}, 8);
        NDArray bv = NDArray.fromDoubles(t, new double[] {2, 2, -2, -2, -3, 3, 3, -3}, 8);
        KernelCheck.Result r = KernelCheck.of(fdiv, fmod, tdiv, tmod, fdivConst, fmodConst).name("div_" + t)
                .input(a, av).input(b, bv).run();
        assertArrayEquals(new long[] {3, -4, -4, 3, 0, -1, 2, 2}, r.compiled(fdiv).toLongArray());
        assertArrayEquals(new long[] {1, 1, -1, -1, 0, 2, 0, 0}, r.compiled(fmod).toLongArray());
        assertArrayEquals(new long[] {3, -3, -3, 3, 0, 0, 2, 2}, r.compiled(tdiv).toLongArray());
        assertArrayEquals(new long[] {1, -1, 1, -1, 0, -1, 0, 0}, r.compiled(tmod).toLongArray());
        assertArrayEquals(new long[] {2, -3, 2, -3, 0, -1, 2, -2}, r.compiled(fdivConst).toLongArray());
        assertArrayEquals(new long[] {-1, -3, -1, -3, 0, -1, -2, -2}, r.compiled(fmodConst).toLongArray());
    }

    @Test
    void int64ArithmeticBeyond32Bits() {
        Tensor a = placeholder(List.of(4), DType.INT64, "a");
        Tensor y = compute(List.of(4), i -> a.get(i).mul(3_000_000_000L).floordiv(-7), "y");
        KernelCheck.of(y).name("int64_big").seed(702).run();
    }

    @Test
    void float64Matmul() {
        Tensor a = placeholder(List.of(9, 17), DType.FLOAT64, "A");
        Tensor b = placeholder(List.of(17, 6), DType.FLOAT64, "B");
        KernelCheck.of(Linalg.matmul(a, b, "C")).name("matmul_f64").seed(703).run();
    }

    @Test
    void float16StorageElementwise() {
        // float16 is storage only: read as float32, computed in float32, rounded to half when stored.
        Tensor a = placeholder(List.of(4, 8), DType.FLOAT16, "a");
        Tensor b = placeholder(List.of(8), DType.FLOAT16, "b");
        Tensor y = Elementwise.map(Elementwise.add(a, b), e -> e.mul(3f).sub(0.1f), "y");
        Tensor asFloat = Elementwise.cast(y, DType.FLOAT32, "y32");
        KernelCheck.of(y, asFloat).name("f16").seed(704).run();
    }

    @Test
    void boolComparisonOutput() {
        Tensor a = placeholder(List.of(3, 5), DType.FLOAT32, "a");
        Tensor b = placeholder(List.of(5), DType.FLOAT32, "b");
        Tensor lt = compute(List.of(3, 5), (i, j) -> a.get(i, j).lt(b.get(j)), "lt");
        Tensor both = compute(List.of(3, 5), (i, j) -> a.get(i, j).ge(0f).and(b.get(j).ne(a.get(i, j))).not(), "nboth");
        KernelCheck.Result r = KernelCheck.of(lt, both).name("bool_out").seed(705).run();
        for (long v : r.compiled(lt).toLongArray()) {
            org.junit.jupiter.api.Assertions.assertTrue(v == 0 || v == 1, "bool stored as " + v);
        }
        // bool inputs too: a mask selects between two tensors
        Tensor mask = placeholder(List.of(3, 5), DType.BOOL, "mask");
        Tensor sel = compute(List.of(3, 5), (i, j) -> dev.lathe.te.Te.select(mask.get(i, j), a.get(i, j), b.get(j)), "sel");
        KernelCheck.of(sel).name("bool_in").seed(706).run();
    }

    @Test
    void uint8ArithmeticWrapsAndDividesUnsigned() {
        Tensor a = placeholder(List.of(6), DType.UINT8, "a");
        Tensor b = placeholder(List.of(6), DType.UINT8, "b");
        Tensor sum = compute(List.of(6), i -> a.get(i).add(b.get(i)), "sum");
        Tensor diff = compute(List.of(6), i -> a.get(i).sub(b.get(i)), "diff");
        Tensor quot = compute(List.of(6), i -> a.get(i).floordiv(b.get(i).max(1)), "quot");
        Tensor widened = compute(List.of(6), i -> a.get(i).cast(DType.INT32).sub(b.get(i).cast(DType.INT32)), "wide");
        NDArray av = NDArray.fromDoubles(DType.UINT8, new double[] {200, 10, 255, 0, 129, 7}, 6);
        NDArray bv = NDArray.fromDoubles(DType.UINT8, new double[] {100, 20, 1, 1, 2, 0}, 6);
        KernelCheck.Result r = KernelCheck.of(sum, diff, quot, widened).name("uint8").input(a, av).input(b, bv).run();
        assertArrayEquals(new long[] {44, 30, 0, 1, 131, 7}, r.compiled(sum).toLongArray());
        assertArrayEquals(new long[] {100, 246, 254, 255, 127, 7}, r.compiled(diff).toLongArray());
        assertArrayEquals(new long[] {2, 0, 255, 0, 64, 7}, r.compiled(quot).toLongArray());
        assertArrayEquals(new long[] {100, -10, 254, -1, 127, 7}, r.compiled(widened).toLongArray());
        KernelCheck.of(sum, diff, quot, widened).name("uint8_random").seed(707).run();
    }
}
