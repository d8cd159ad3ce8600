package dev.lathe.te;

import dev.lathe.ir.DType;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.MalformedExpressionException;
import dev.lathe.ir.Reducer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static dev.lathe.ir.DType.FLOAT32;
import static dev.lathe.ir.DType.FLOAT64;
import static dev.lathe.ir.DType.INT64;
import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.computeMulti;
import static dev.lathe.te.Te.computeN;
import static dev.lathe.te.Te.ifThenElse;
import static dev.lathe.te.Te.max;
import static dev.lathe.te.Te.min;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.prod;
import static dev.lathe.te.Te.reduce;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComputeDagTest {

    private static ComputeDag matmul(int n, int m, int k, DType t, String a, String b, String c, String kName) {
        Tensor ta = placeholder(List.of(n, k), t, a);
        Tensor tb = placeholder(List.of(k, m), t, b);
        IterVar r = reduceAxis(0, k, kName);
        return ComputeDag.of(compute(List.of(n, m), (i, j) -> sum(ta.get(i, r).mul(tb.get(r, j)), r), c));
    }

    private static ComputeDag matmul() {
        return matmul(2, 2, 3, FLOAT32, "A", "B", "C", "k");
    }

    @Test
    void opsAreInTopologicalOrder() {
        Tensor a = placeholder(List.of(4), FLOAT32, "A");
        Tensor b = placeholder(List.of(4), FLOAT32, "B");
        Tensor c = compute(List.of(4), i -> a.get(i).add(b.get(i)), "C");
        Tensor d = compute(List.of(4), i -> c.get(i).mul(a.get(i)), "D");
        Tensor e = compute(List.of(4), i -> d.get(i).sub(c.get(i)), "E");
        ComputeDag dag = ComputeDag.of(e, c);
        assertEquals(List.of(a.op(), b.op(), c.op(), d.op(), e.op()), dag.ops());
        for (int i = 0; i < dag.ops().size(); i++) {
            for (Tensor in : dag.ops().get(i).inputs()) {
                assertTrue(dag.ops().indexOf(in.op()) < i, in.name() + " comes before " + dag.ops().get(i).name());
            }
        }
        assertEquals(List.of(a, b, e, c), dag.arguments());
    }

    @Test
    void printingShowsEveryReducerIncludingACustomDefinition() {
        Tensor a = placeholder(List.of(2, 3), FLOAT32, "A");
        IterVar k = reduceAxis(0, 3, "k");
        Reducer argmax = Reducer.define("argmax", List.of(INT64, FLOAT32),
                (x, y) -> List.of(
                        ifThenElse(y.get(1).gt(x.get(1)), y.get(0), x.get(0)),
                        ifThenElse(y.get(1).gt(x.get(1)), y.get(1), x.get(1))),
                List.of(-1L, Float.NEGATIVE_INFINITY));
        Tensor s = compute(List.of(2), i -> sum(a.get(i, k), k), "S");
        Tensor p = compute(List.of(2), i -> prod(a.get(i, k), k), "P");
        Tensor mx = compute(List.of(2), i -> max(a.get(i, k), k), "Mx");
        Tensor mn = compute(List.of(2), i -> min(a.get(i, k), k), "Mn");
        List<Tensor> am = computeMulti(List.of(2), v -> reduce(argmax, List.of(k.var(), a.get(v.getFirst(), k)), k), "am");
        String text = ComputeDag.of(List.of(s, p, mx, mn, am.get(0), am.get(1))).toString();

        assertTrue(text.contains("S[i] : float32 = sum(A[i, k], axis=[k in [0, 3)])"), text);
        assertTrue(text.contains("P[i] : float32 = prod(A[i, k], axis=[k in [0, 3)])"), text);
        assertTrue(text.contains("Mx[i] : float32 = max(A[i, k], axis=[k in [0, 3)])"), text);
        assertTrue(text.contains("Mn[i] : float32 = min(A[i, k], axis=[k in [0, 3)])"), text);
        assertTrue(text.contains("reducer argmax<int64, float32>((x0, x1), (y0, y1)) = "
                + "(select(y1 > x1, y0, x0), select(y1 > x1, y1, x1)), identity (-1, -inff)"), text);
        assertTrue(text.contains("am_v0[i] : int64 = argmax((k, A[i, k]), axis=[k in [0, 3)]).0"), text);
        assertTrue(text.contains("am_v1[i] : float32 = argmax((k, A[i, k]), axis=[k in [0, 3)]).1"), text);
        assertEquals(1, text.split("reducer argmax", -1).length - 1, "the definition is printed once:\n" + text);
    }

    @Test
    void workloadKeyIgnoresNames() {
        ComputeDag x = matmul(2, 2, 3, FLOAT32, "A", "B", "C", "k");
        ComputeDag y = matmul(2, 2, 3, FLOAT32, "X", "Y", "Z", "red");
        assertEquals(x.canonicalText(), y.canonicalText());
        assertEquals(x.workloadKey(), y.workloadKey());
        assertNotEquals(x.toString(), y.toString());
    }

    @Test
    void workloadKeyChangesWithShapeDtypeConstantReducerOrExpression() {
        String base = matmul().workloadKey();
        assertNotEquals(base, matmul(2, 4, 3, FLOAT32, "A", "B", "C", "k").workloadKey(), "shape");
        assertNotEquals(base, matmul(2, 2, 3, FLOAT64, "A", "B", "C", "k").workloadKey(), "dtype");

        Supplier<Tensor> in = () -> placeholder(List.of(4), FLOAT32, "A");
        Tensor a1 = in.get();
        Tensor a2 = in.get();
        assertNotEquals(ComputeDag.of(compute(List.of(4), i -> a1.get(i).mul(2f), "B")).workloadKey(),
                ComputeDag.of(compute(List.of(4), i -> a2.get(i).mul(3f), "B")).workloadKey(), "constant");
        Tensor a3 = in.get();
        Tensor b3 = placeholder(List.of(4), FLOAT32, "A2");
        Tensor a4 = in.get();
        Tensor b4 = placeholder(List.of(4), FLOAT32, "A2");
        assertNotEquals(ComputeDag.of(compute(List.of(4), i -> a3.get(i).add(b3.get(i)), "C")).workloadKey(),
                ComputeDag.of(compute(List.of(4), i -> a4.get(i).sub(b4.get(i)), "C")).workloadKey(), "expression");

        Tensor a5 = in.get();
        Tensor a6 = in.get();
        Tensor a7 = in.get();
        IterVar k5 = reduceAxis(0, 4, "k");
        IterVar k6 = reduceAxis(0, 4, "k");
        IterVar k7 = reduceAxis(0, 4, "k");
        String sumKey = ComputeDag.of(computeN(List.of(), v -> sum(a5.get(k5), k5), "S")).workloadKey();
        assertNotEquals(sumKey, ComputeDag.of(computeN(List.of(), v -> max(a6.get(k6), k6), "S")).workloadKey(), "reducer");
        // A custom reducer that is merely called "sum" is not the sum.
        Reducer fakeSum = Reducer.define("sum", List.of(FLOAT32), (x, y) -> List.of(x.getFirst().mul(y.getFirst())),
                List.of(0f));
        assertFalse(fakeSum.isBuiltin());
        assertNotEquals(sumKey, ComputeDag.of(computeN(List.of(), v -> reduce(fakeSum, List.of(a7.get(k7)), k7).getFirst(),
                "S")).workloadKey(), "custom reducer named sum");
    }

    @Test
    void builtinReducersAreRecognizedByStructure() {
        for (DType t : List.of(FLOAT32, INT64, DType.UINT8)) {
            assertTrue(Reducer.sum(t).isBuiltin());
            assertTrue(Reducer.prod(t).isBuiltin());
            assertTrue(Reducer.max(t).isBuiltin());
            assertTrue(Reducer.min(t).isBuiltin());
        }
        Reducer wrongIdentity = Reducer.define("max", List.of(FLOAT32), (x, y) -> List.of(x.getFirst().max(y.getFirst())),
                List.of(0f));
        assertFalse(wrongIdentity.isBuiltin());
        Reducer boolSum = Reducer.define("sum", List.of(DType.BOOL), (x, y) -> List.of(x.getFirst().or(y.getFirst())),
                List.of(false));
        assertFalse(boolSum.isBuiltin());
    }

    /**
     * The key must be stable across JVM runs and machines (tuning records are looked up by it).
     * Changing the canonical form on purpose changes this value: update it then, knowing that
     * existing tuning records stop matching.
     */
    @Test
    void workloadKeyIsStableAcrossRuns() {
        ComputeDag dag = matmul();
        assertEquals("""
                t0 = placeholder(float32, [2, 3])
                t1 = placeholder(float32, [3, 2])
                t2[v0, v1] : float32 = sum(t0[v0, v2] * t1[v2, v1], axis=[v2 in [0, 3)])    for v0 < 2, v1 < 2
                outputs: t2""", dag.canonicalText());
        assertEquals("41d9f848348d761201d8a9a831d621bfb25d5d28e982bcb3ae25f465df5386d9", dag.workloadKey());
    }

    @Test
    void iteratorsCanBeUsedDirectlyAsIndices() {
        Tensor a = placeholder(List.of(3), FLOAT32, "A");
        IterVar k = reduceAxis(0, 3, "k");
        Tensor s = computeN(List.of(), v -> sum(a.get(k).mul(a.get(k)), k), "S");
        String text = ComputeDag.of(s).toString();
        assertTrue(text.contains("S[] : float32 = sum(A[k] * A[k], axis=[k in [0, 3)])"), text);
    }

    @Test
    void reductionInsideAReductionBoundIsRejected() {
        Tensor a = placeholder(List.of(3), INT64, "A");
        IterVar k = reduceAxis(0, 3, "k");
        assertThrows(MalformedExpressionException.class, () -> reduceAxis(0, sum(a.get(k), k), "k2"));
    }

    @Test
    void floatIndexIsRejected() {
        Tensor a = placeholder(List.of(3), FLOAT32, "A");
        Tensor f = placeholder(List.of(3), FLOAT32, "F");
        var e = assertThrows(MalformedExpressionException.class,
                () -> compute(List.of(3), i -> a.get(f.get(i)), "B"));
        assertTrue(e.getMessage().contains("indices must be integers"), e.getMessage());
        assertThrows(MalformedExpressionException.class, () -> a.get(1.5));
    }

    @Test
    void mismatchedDtypesAreRejected() {
        Tensor a = placeholder(List.of(3), FLOAT32, "A");
        Tensor b = placeholder(List.of(3), FLOAT64, "B");
        var e = assertThrows(MalformedExpressionException.class,
                () -> compute(List.of(3), i -> a.get(i).add(b.get(i)), "C"));
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("float64"), e.getMessage());
    }

    @Test
    void integerTrueDivisionIsRejected() {
        Tensor a = placeholder(List.of(3), INT64, "A");
        var e = assertThrows(MalformedExpressionException.class, () -> compute(List.of(3), i -> a.get(i).div(2), "C"));
        assertTrue(e.getMessage().contains("floordiv"), e.getMessage());
    }

    @Test
    void reductionNestedInArithmeticIsRejected() {
        Tensor a = placeholder(List.of(3, 3), FLOAT32, "A");
        IterVar k = reduceAxis(0, 3, "k");
        var e = assertThrows(MalformedExpressionException.class,
                () -> compute(List.of(3), i -> sum(a.get(i, k), k).mul(2f), "C"));
        assertTrue(e.getMessage().contains("whole body"), e.getMessage());
    }

    @Test
    void twoOperationsOfOneNameAreRefused() {
        Tensor a = Te.placeholder(List.of(4), dev.lathe.ir.DType.FLOAT32, "x");
        Tensor b = Te.placeholder(List.of(4), dev.lathe.ir.DType.FLOAT32, "x");
        Tensor c = Te.compute(List.of(4), i -> a.get(i).add(b.get(i)), "sum");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ComputeDag.of(c));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }
}
