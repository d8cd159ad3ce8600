package dev.lathe.reference;

import dev.lathe.ir.DType;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Reducer;
import dev.lathe.ir.Var;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.lathe.ir.DType.BOOL;
import static dev.lathe.ir.DType.FLOAT16;
import static dev.lathe.ir.DType.FLOAT32;
import static dev.lathe.ir.DType.FLOAT64;
import static dev.lathe.ir.DType.INT32;
import static dev.lathe.ir.DType.INT64;
import static dev.lathe.ir.DType.INT8;
import static dev.lathe.ir.DType.UINT8;
import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.computeMulti;
import static dev.lathe.te.Te.computeN;
import static dev.lathe.te.Te.erf;
import static dev.lathe.te.Te.ifThenElse;
import static dev.lathe.te.Te.max;
import static dev.lathe.te.Te.min;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.prod;
import static dev.lathe.te.Te.reduce;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.round;
import static dev.lathe.te.Te.sigmoid;
import static dev.lathe.te.Te.sizeVar;
import static dev.lathe.te.Te.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceEvaluatorTest {

    /** Evaluates a one-output DAG. */
    private static NDArray eval(Tensor out, Map<Tensor, NDArray> inputs) {
        return ReferenceEvaluator.evaluate(ComputeDag.of(out), inputs).get(out);
    }

    private static NDArray f32(float... v) {
        return NDArray.of(v, v.length);
    }

    private static NDArray ints(DType t, long... v) {
        NDArray a = NDArray.zeros(t, v.length);
        for (int i = 0; i < v.length; i++) {
            a.setLong(i, v[i]);
        }
        return a;
    }

    @Test
    void matmul2x3by3x2() {
        Tensor a = placeholder(List.of(2, 3), FLOAT32, "A");
        Tensor b = placeholder(List.of(3, 2), FLOAT32, "B");
        IterVar k = reduceAxis(0, 3, "k");
        Tensor c = compute(List.of(2, 2), (i, j) -> sum(a.get(i, k).mul(b.get(k, j)), k), "C");
        NDArray out = eval(c, Map.of(
                a, NDArray.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3),
                b, NDArray.of(new float[]{7, 8, 9, 10, 11, 12}, 3, 2)));
        assertArrayEquals(new long[]{2, 2}, out.shape());
        assertArrayEquals(new float[]{58, 64, 139, 154}, out.toFloatArray());
    }

    @Test
    void sumWithWhereSkipsPointsWhereTheConditionIsFalse() {
        Tensor a = placeholder(List.of(2, 3), FLOAT32, "A");
        IterVar k = reduceAxis(0, 3, "k");
        Tensor s = compute(List.of(2), i -> sum(a.get(i, k), a.get(i, k).gt(0f), k), "S");
        NDArray out = eval(s, Map.of(a, NDArray.of(new float[]{1, -2, 3, -4, 5, 6}, 2, 3)));
        assertArrayEquals(new float[]{4, 11}, out.toFloatArray());
    }

    @Test
    void maxMinAndProdReductions() {
        Tensor a = placeholder(List.of(2, 3), FLOAT32, "A");
        NDArray in = NDArray.of(new float[]{1.5f, -2, 3, 4, 0.5f, 6}, 2, 3);
        IterVar k = reduceAxis(0, 3, "k");
        IterVar k2 = reduceAxis(0, 2, "k2");
        assertArrayEquals(new float[]{3, 6}, eval(compute(List.of(2), i -> max(a.get(i, k), k), "Mx"), Map.of(a, in)).toFloatArray());
        assertArrayEquals(new float[]{-2, 0.5f}, eval(compute(List.of(2), i -> min(a.get(i, k), k), "Mn"), Map.of(a, in)).toFloatArray());
        // Exactly two factors: a wrong identity (0, or a factor counted twice) would show.
        assertArrayEquals(new float[]{-3, 2}, eval(compute(List.of(2), i -> prod(a.get(i, k2), k2), "P"), Map.of(a, in)).toFloatArray());
    }

    @Test
    void integerProdOverTwoElements() {
        Tensor a = placeholder(List.of(2), INT32, "A");
        IterVar k = reduceAxis(0, 2, "k");
        Tensor p = computeN(List.of(), v -> prod(a.get(k), k), "P");
        assertArrayEquals(new long[]{-21}, eval(p, Map.of(a, ints(INT32, 3, -7))).toLongArray());
    }

    @Test
    void reductionToAScalarHasRankZero() {
        Tensor a = placeholder(List.of(2, 3), FLOAT64, "A");
        IterVar r = reduceAxis(0, 2, "r");
        IterVar c = reduceAxis(0, 3, "c");
        Tensor total = computeN(List.of(), v -> sum(a.get(r, c), r, c), "total");
        NDArray out = eval(total, Map.of(a, NDArray.of(new double[]{1, 2, 3, 4, 5, 6.5}, 2, 3)));
        assertEquals(0, out.ndim());
        assertEquals(21.5, out.getDouble(0));
    }

    @Test
    void emptyReductionGivesTheIdentity() {
        Tensor a = placeholder(List.of(3), FLOAT32, "A");
        IterVar k = reduceAxis(0, 0, "k");
        assertArrayEquals(new double[]{Double.NEGATIVE_INFINITY},
                eval(computeN(List.of(), v -> max(a.get(k), k), "M"), Map.of(a, f32(1, 2, 3))).toDoubleArray());
    }

    @Test
    void argmaxWithACustomTwoValueReducer() {
        Reducer argmax = Reducer.define("argmax", List.of(INT64, FLOAT32),
                (x, y) -> List.of(
                        ifThenElse(y.get(1).gt(x.get(1)), y.get(0), x.get(0)),
                        ifThenElse(y.get(1).gt(x.get(1)), y.get(1), x.get(1))),
                List.of(-1L, Float.NEGATIVE_INFINITY));
        Tensor a = placeholder(List.of(2, 4), FLOAT32, "A");
        IterVar k = reduceAxis(0, 4, "k");
        List<Tensor> am = computeMulti(List.of(2), v -> reduce(argmax, List.of(k.var(), a.get(v.getFirst(), k)), k), "am");
        Map<Tensor, NDArray> out = ReferenceEvaluator.evaluate(ComputeDag.of(am),
                Map.of(a, NDArray.of(new float[]{3, 7, 7, 1, -1, -5, -0.5f, -2}, 2, 4)));
        assertEquals(INT64, out.get(am.get(0)).dtype());
        assertArrayEquals(new long[]{1, 2}, out.get(am.get(0)).toLongArray(), "first maximum wins ties");
        assertArrayEquals(new float[]{7, -0.5f}, out.get(am.get(1)).toFloatArray());
    }

    /** y = A·x for A in CSR form: the reduce axis's bounds are read from indptr. */
    private static Tensor[] csrSpmv() {
        Var nnz = sizeVar("nnz");
        Tensor indptr = placeholder(List.of(4), INT32, "indptr");
        Tensor indices = placeholder(List.of(nnz), INT32, "indices");
        Tensor data = placeholder(List.of(nnz), FLOAT32, "data");
        Tensor x = placeholder(List.of(3), FLOAT32, "x");
        Tensor y = compute(List.of(3), i -> {
            IterVar k = reduceAxis(indptr.get(i), indptr.get(i.add(1)), "k");
            return sum(data.get(k).mul(x.get(indices.get(k))), k);
        }, "y");
        return new Tensor[]{indptr, indices, data, x, y};
    }

    @Test
    void csrSparseMatrixTimesVectorWithDataDependentBounds() {
        Tensor[] t = csrSpmv();
        // rows: [1 at col 0, 2 at col 2], [] (empty), [4 at col 0, 3 at col 1, 5 at col 2]
        NDArray y = eval(t[4], Map.of(
                t[0], ints(INT32, 0, 2, 2, 5),
                t[1], ints(INT32, 0, 2, 1, 0, 2),
                t[2], f32(1, 2, 3, 4, 5),
                t[3], f32(10, 20, 30)));
        assertArrayEquals(new float[]{70, 0, 250}, y.toFloatArray());
    }

    @Test
    void dataDependentReadOutOfBoundsNamesTheTensor() {
        Tensor[] t = csrSpmv();
        var e = assertThrows(IndexOutOfBoundsException.class, () -> eval(t[4], Map.of(
                t[0], ints(INT32, 0, 2, 2, 5),
                t[1], ints(INT32, 0, 7, 1, 0, 2),
                t[2], f32(1, 2, 3, 4, 5),
                t[3], f32(10, 20, 30))));
        assertTrue(e.getMessage().contains("x[7]"), e.getMessage());
    }

    @Test
    void reduceBoundsMayDependOnOuterAndEarlierReduceIterators() {
        Tensor a = placeholder(List.of(4), INT64, "A");
        Tensor prefix = compute(List.of(4), i -> {
            IterVar j = reduceAxis(0, i.add(1), "j");
            return sum(a.get(j), j);
        }, "prefix");
        assertArrayEquals(new long[]{1, 3, 6, 10}, eval(prefix, Map.of(a, ints(INT64, 1, 2, 3, 4))).toLongArray());

        IterVar k1 = reduceAxis(0, 4, "k1");
        IterVar k2 = reduceAxis(0, k1, "k2");
        Tensor pairs = computeN(List.of(), v -> sum(a.get(k1).mul(0).add(1), k1, k2), "pairs");
        assertArrayEquals(new long[]{6}, eval(pairs, Map.of(a, ints(INT64, 1, 2, 3, 4))).toLongArray());
    }

    @Test
    void floorAndTruncDivisionOnNegativeIntegers() {
        Tensor a = placeholder(List.of(4), INT32, "A");
        Tensor b = placeholder(List.of(4), INT32, "B");
        Map<Tensor, NDArray> in = Map.of(a, ints(INT32, -7, 7, -7, 7), b, ints(INT32, 2, -2, -2, 2));
        assertArrayEquals(new long[]{-4, -4, 3, 3}, eval(compute(List.of(4), i -> a.get(i).floordiv(b.get(i)), "fd"), in).toLongArray());
        assertArrayEquals(new long[]{1, -1, -1, 1}, eval(compute(List.of(4), i -> a.get(i).floormod(b.get(i)), "fm"), in).toLongArray());
        assertArrayEquals(new long[]{-3, -3, 3, 3}, eval(compute(List.of(4), i -> a.get(i).truncdiv(b.get(i)), "td"), in).toLongArray());
        assertArrayEquals(new long[]{-1, 1, -1, 1}, eval(compute(List.of(4), i -> a.get(i).truncmod(b.get(i)), "tm"), in).toLongArray());
    }

    @Test
    void integerDivisionByZeroThrows() {
        Tensor a = placeholder(List.of(2), INT32, "A");
        Tensor b = placeholder(List.of(2), INT32, "B");
        Tensor q = compute(List.of(2), i -> a.get(i).floordiv(b.get(i)), "q");
        var e = assertThrows(ArithmeticException.class,
                () -> eval(q, Map.of(a, ints(INT32, 1, 2), b, ints(INT32, 1, 0))));
        assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
    }

    @Test
    void castsFollowC() {
        Tensor f = placeholder(List.of(5), FLOAT32, "F");
        NDArray fs = f32(-2.7f, -0.5f, 0.5f, 2.7f, 300.5f);
        assertArrayEquals(new long[]{-2, 0, 0, 2, 300},
                eval(compute(List.of(5), i -> f.get(i).cast(INT32), "toInt"), Map.of(f, fs)).toLongArray());

        Tensor n = placeholder(List.of(3), INT32, "N");
        NDArray ns = ints(INT32, 300, -129, -1);
        assertArrayEquals(new long[]{44, 127, -1},
                eval(compute(List.of(3), i -> n.get(i).cast(INT8), "toI8"), Map.of(n, ns)).toLongArray());
        assertArrayEquals(new long[]{44, 127, 255},
                eval(compute(List.of(3), i -> n.get(i).cast(UINT8), "toU8"), Map.of(n, ns)).toLongArray());

        Tensor z = placeholder(List.of(4), FLOAT64, "Z");
        NDArray zs = NDArray.of(new double[]{0.0, -0.0, 0.1, Double.NaN}, 4);
        Tensor asBool = compute(List.of(4), i -> z.get(i).cast(BOOL), "toBool");
        assertArrayEquals(new long[]{0, 0, 1, 1}, eval(asBool, Map.of(z, zs)).toLongArray());
        Tensor back = compute(List.of(4), i -> z.get(i).cast(BOOL).cast(FLOAT32).mul(2.5f), "fromBool");
        assertArrayEquals(new float[]{0, 0, 2.5f, 2.5f}, eval(back, Map.of(z, zs)).toFloatArray());
    }

    @Test
    void int64IsExactAndConvertsToFloatWithOneRounding() {
        Tensor a = placeholder(List.of(2), INT64, "A");
        NDArray as = ints(INT64, (1L << 62) + 1, Long.MAX_VALUE);
        assertArrayEquals(new long[]{(1L << 62) + 2, Long.MIN_VALUE},
                eval(compute(List.of(2), i -> a.get(i).add(1), "inc"), Map.of(a, as)).toLongArray());
        // 2^24 + 1 is not a float: it rounds to even (2^24), never through a double first.
        Tensor b = placeholder(List.of(2), INT64, "B");
        NDArray bs = ints(INT64, (1L << 24) + 1, (1L << 53) + 1);
        assertArrayEquals(new double[]{16777216, 9007199254740992.0},
                eval(compute(List.of(2), i -> b.get(i).cast(FLOAT32).cast(FLOAT64), "f"), Map.of(b, bs)).toDoubleArray());
        assertArrayEquals(new double[]{16777217, 9007199254740992.0},
                eval(compute(List.of(2), i -> b.get(i).cast(FLOAT64), "d"), Map.of(b, bs)).toDoubleArray());
    }

    @Test
    void selectAsPaddingDoesNotReadTheBranchNotTaken() {
        Tensor a = placeholder(List.of(3), FLOAT32, "A");
        Tensor padded = compute(List.of(5), i -> ifThenElse(i.ge(1).and(i.lt(4)), a.get(i.sub(1)), 0f), "pad");
        assertArrayEquals(new float[]{0, 7, 8, 9, 0}, eval(padded, Map.of(a, f32(7, 8, 9))).toFloatArray());

        Tensor unguarded = compute(List.of(5), i -> a.get(i.sub(1)), "shift");
        var e = assertThrows(IndexOutOfBoundsException.class, () -> eval(unguarded, Map.of(a, f32(7, 8, 9))));
        assertTrue(e.getMessage().contains("A[-1]"), e.getMessage());
    }

    @Test
    void logicalAndShortCircuitsLikeC() {
        Tensor a = placeholder(List.of(3), FLOAT32, "A");
        // At i = 0 the left operand is false, so A[-1] is never read.
        Tensor rising = compute(List.of(3), i -> i.ge(1).and(a.get(i).gt(a.get(i.sub(1)))).cast(INT32), "rising");
        assertArrayEquals(new long[]{0, 1, 0}, eval(rising, Map.of(a, f32(5, 6, 2))).toLongArray());
    }

    @Test
    void multiOutputComputeWithoutReduction() {
        Tensor a = placeholder(List.of(3), INT32, "A");
        List<Tensor> qr = computeMulti(List.of(3), v -> List.of(a.get(v.getFirst()).floordiv(3),
                a.get(v.getFirst()).floormod(3)), "qr");
        Map<Tensor, NDArray> out = ReferenceEvaluator.evaluate(ComputeDag.of(qr), Map.of(a, ints(INT32, 7, -7, 9)));
        assertArrayEquals(new long[]{2, -3, 3}, out.get(qr.get(0)).toLongArray());
        assertArrayEquals(new long[]{1, 2, 0}, out.get(qr.get(1)).toLongArray());
    }

    @Test
    void int8WrapsAfterEveryOperation() {
        Tensor a = placeholder(List.of(3), INT8, "A");
        NDArray as = ints(INT8, 100, -100, 127);
        assertArrayEquals(new long[]{-56, 56, -2},
                eval(compute(List.of(3), i -> a.get(i).add(a.get(i)), "twice"), Map.of(a, as)).toLongArray());
        // Wrapping before the division: (100 + 100) wraps to -56, and -56 floordiv 2 is -28 (not 100).
        assertArrayEquals(new long[]{-28, 28, -1},
                eval(compute(List.of(3), i -> a.get(i).add(a.get(i)).floordiv(2), "half"), Map.of(a, as)).toLongArray());
        Tensor u = placeholder(List.of(2), UINT8, "U");
        assertArrayEquals(new long[]{240, 246},
                eval(compute(List.of(2), i -> u.get(i).add(10).sub(u.get(i).mul(0).add(20)), "u8"),
                        Map.of(u, ints(UINT8, 250, 0))).toLongArray());
    }

    @Test
    void float32RoundsAfterEveryOperationAndFloat64DoesNot() {
        Tensor a = placeholder(List.of(1), FLOAT32, "A");
        Tensor c = compute(List.of(1), i -> a.get(i).add(1e-8f).sub(a.get(i)), "C");
        assertArrayEquals(new float[]{0}, eval(c, Map.of(a, f32(1))).toFloatArray());

        Tensor d = placeholder(List.of(1), FLOAT64, "D");
        Tensor e = compute(List.of(1), i -> d.get(i).add(1e-8).sub(d.get(i)), "E");
        assertEquals(1e-8, eval(e, Map.of(d, NDArray.of(new double[]{1}, 1))).getDouble(0), 1e-16);
    }

    @Test
    void float16IsStorageOnlyArithmeticRunsInFloat32() {
        Tensor a = placeholder(List.of(1), FLOAT16, "A");
        Tensor b = placeholder(List.of(1), FLOAT16, "B");
        NDArray as = NDArray.fromDoubles(FLOAT16, new double[]{2048}, 1);
        NDArray bs = NDArray.fromDoubles(FLOAT16, new double[]{1}, 1);
        // 2049 is no half: rounded per operation, (2048 + 1) - 2048 would be 0; in float32 it is 1.
        Tensor c = compute(List.of(1), i -> a.get(i).add(b.get(i)).sub(a.get(i)), "C");
        NDArray out = eval(c, Map.of(a, as, b, bs));
        assertEquals(FLOAT16, out.dtype());
        assertEquals(1.0, out.getDouble(0));
        // The stored value is rounded to half (ties to even): 2048 + 1 -> 2048.
        Tensor s = compute(List.of(1), i -> a.get(i).add(b.get(i)), "S");
        assertEquals(2048.0, eval(s, Map.of(a, as, b, bs)).getDouble(0));

        Tensor v = placeholder(List.of(3), FLOAT16, "V");
        IterVar k = reduceAxis(0, 3, "k");
        Tensor total = computeN(List.of(), x -> sum(v.get(k), k), "total");
        assertEquals(2050.0, eval(total, Map.of(v, NDArray.fromDoubles(FLOAT16, new double[]{2048, 1, 1}, 3))).getDouble(0),
                "a float16 sum accumulates in float32");
    }

    @Test
    void intrinsics() {
        Tensor a = placeholder(List.of(4), FLOAT32, "A");
        NDArray as = f32(0.5f, 1.5f, 2.5f, -0.5f);
        assertArrayEquals(new double[]{0, 2, 2, -0.0},
                eval(compute(List.of(4), i -> round(a.get(i)), "r"), Map.of(a, as)).toDoubleArray(), "round half to even");
        float[] sig = eval(compute(List.of(4), i -> sigmoid(a.get(i)), "s"), Map.of(a, as)).toFloatArray();
        for (int i = 0; i < 4; i++) {
            double x = as.getDouble(i);
            assertEquals((float) (1 / (1 + Math.exp(-x))), sig[i]);
        }
        Tensor n = placeholder(List.of(2), INT32, "N");
        assertArrayEquals(new long[]{5, 3},
                eval(compute(List.of(2), i -> dev.lathe.te.Te.abs(n.get(i)), "abs"), Map.of(n, ints(INT32, -5, 3))).toLongArray());
    }

    @Test
    void erfThroughTheEvaluator() {
        Tensor a = placeholder(List.of(4), FLOAT64, "A");
        NDArray out = eval(compute(List.of(4), i -> erf(a.get(i)), "E"), Map.of(a, NDArray.of(new double[]{0.5, 1, 2, -3}, 4)));
        double[] want = {0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.9999779095030014};
        double[] got = out.toDoubleArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(want[i], got[i], Math.abs(want[i]) * 1e-15);
        }
    }

    @Test
    void sizeVariableIsBoundFromAnInputShape() {
        Var n = sizeVar("n");
        Tensor a = placeholder(List.of(n), FLOAT32, "A");
        Tensor b = compute(List.of(n), i -> a.get(i).mul(2f), "B");
        NDArray out = eval(b, Map.of(a, f32(1, 2, 3, 4)));
        assertArrayEquals(new float[]{2, 4, 6, 8}, out.toFloatArray());
        assertEquals(Map.of(n, 4L), ReferenceEvaluator.bindSizeVars(ComputeDag.of(b), Map.of(a, f32(1, 2, 3, 4)), Map.of()));
    }

    @Test
    void sizeVariableUsedOnlyInABodyComesFromSizeVars() {
        Var n = sizeVar("n");
        Tensor a = placeholder(List.of(3), INT64, "A");
        Tensor b = compute(List.of(3), i -> a.get(i).add(n), "B");
        Map<Tensor, NDArray> in = Map.of(a, ints(INT64, 1, 2, 3));
        assertArrayEquals(new long[]{11, 12, 13},
                ReferenceEvaluator.evaluate(ComputeDag.of(b), in, Map.of(n, 10L)).get(b).toLongArray());
        var e = assertThrows(IllegalArgumentException.class, () -> ReferenceEvaluator.evaluate(ComputeDag.of(b), in));
        assertTrue(e.getMessage().contains("n"), e.getMessage());
    }

    @Test
    void unboundSizeVariableIsNamed() {
        Var n = sizeVar("n");
        Var m = sizeVar("m");
        Tensor a = placeholder(List.of(n), FLOAT32, "A");
        Tensor b = compute(List.of(m), i -> a.get(i.floormod(n)), "B");
        ComputeDag dag = ComputeDag.of(b);
        var e = assertThrows(IllegalArgumentException.class, () -> ReferenceEvaluator.evaluate(dag, Map.of(a, f32(1, 2))));
        assertTrue(e.getMessage().contains("size variable(s) m "), e.getMessage());

        var sameName = assertThrows(IllegalArgumentException.class,
                () -> ReferenceEvaluator.evaluate(dag, Map.of(a, f32(1, 2)), Map.of(sizeVar("m"), 3L)));
        assertTrue(sameName.getMessage().contains("same name"), sameName.getMessage());

        assertArrayEquals(new float[]{1, 2, 1, 2, 1},
                ReferenceEvaluator.evaluate(dag, Map.of(a, f32(1, 2)), Map.of(m, 5L)).get(b).toFloatArray());
    }

    @Test
    void badInputsAreRejectedWithNameExpectedAndActual() {
        Tensor a = placeholder(List.of(2, 3), FLOAT32, "A");
        Tensor b = compute(List.of(2, 3), (i, j) -> a.get(i, j).add(1f), "B");
        ComputeDag dag = ComputeDag.of(b);

        var dtype = assertThrows(IllegalArgumentException.class,
                () -> ReferenceEvaluator.evaluate(dag, Map.of(a, NDArray.zeros(FLOAT64, 2, 3))));
        assertTrue(dtype.getMessage().contains("A") && dtype.getMessage().contains("float32")
                && dtype.getMessage().contains("float64"), dtype.getMessage());

        var shape = assertThrows(IllegalArgumentException.class,
                () -> ReferenceEvaluator.evaluate(dag, Map.of(a, NDArray.zeros(FLOAT32, 3, 2))));
        assertTrue(shape.getMessage().contains("input A") && shape.getMessage().contains("[2, 3]")
                && shape.getMessage().contains("[3, 2]"), shape.getMessage());

        var rank = assertThrows(IllegalArgumentException.class,
                () -> ReferenceEvaluator.evaluate(dag, Map.of(a, NDArray.zeros(FLOAT32, 6))));
        assertTrue(rank.getMessage().contains("rank 2"), rank.getMessage());

        var missing = assertThrows(IllegalArgumentException.class, () -> ReferenceEvaluator.evaluate(dag, Map.of()));
        assertTrue(missing.getMessage().contains("input A"), missing.getMessage());

        var notInput = assertThrows(IllegalArgumentException.class,
                () -> ReferenceEvaluator.evaluate(dag, Map.of(a, NDArray.zeros(FLOAT32, 2, 3), b, NDArray.zeros(FLOAT32, 2, 3))));
        assertTrue(notInput.getMessage().contains("B is not an input"), notInput.getMessage());
    }

    @Test
    void evaluateAllReturnsIntermediatesInOpOrder() {
        Tensor a = placeholder(List.of(2), FLOAT32, "A");
        Tensor b = compute(List.of(2), i -> a.get(i).mul(3f), "B");
        Tensor c = compute(List.of(2), i -> b.get(i).add(1f), "C");
        Map<Tensor, NDArray> all = ReferenceEvaluator.evaluateAll(ComputeDag.of(c), Map.of(a, f32(1, 2)), Map.of());
        assertEquals(List.of(a, b, c), List.copyOf(all.keySet()));
        assertArrayEquals(new float[]{3, 6}, all.get(b).toFloatArray());
        assertArrayEquals(new float[]{4, 7}, all.get(c).toFloatArray());
    }
}
