package dev.lathe.ops;

import dev.lathe.ir.Var;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Random data, tolerant comparisons and structural checks shared by the op tests. */
public final class TestData {
    private TestData() {
    }

    /** Uniform values in [-1, 1). */
    public static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    /**
     * Every tensor of the DAG (intermediates included) as the {@link ReferenceEvaluator} computes
     * it; {@code inputs} holds each placeholder's flat row-major values, converted to its dtype,
     * in a shape evaluated with {@code sizes}.
     */
    public static Map<Tensor, NDArray> reference(ComputeDag dag, Map<Tensor, double[]> inputs, Map<Var, Long> sizes) {
        Map<Tensor, NDArray> arrays = new LinkedHashMap<>();
        inputs.forEach((t, v) -> arrays.put(t, NDArray.fromDoubles(t.dtype(), v, KernelCheck.shapeOf(t, sizes))));
        return ReferenceEvaluator.evaluateAll(dag, arrays, sizes);
    }

    public static Map<Tensor, NDArray> reference(ComputeDag dag, Map<Tensor, double[]> inputs) {
        return reference(dag, inputs, Map.of());
    }

    public static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    public static double[] doubles(int[] f) {
        return Arrays.stream(f).asDoubleStream().toArray();
    }

    /** Element-wise comparison with a tolerance relative to the magnitude of the expected values. */
    public static void assertClose(float[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            double bound = tol * Math.max(1, Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= bound) && !(expected[i] == actual[i])) {
                fail("element " + i + ": expected " + expected[i] + " but was " + actual[i] + "\nexpected "
                        + Arrays.toString(Arrays.copyOf(expected, Math.min(16, expected.length))) + "...\nactual   "
                        + Arrays.toString(Arrays.copyOf(actual, Math.min(16, actual.length))) + "...");
            }
        }
    }

    public static void assertClose(float[] expected, float[] actual) {
        assertClose(expected, actual, 1e-5);
    }

    /** The printed shape, e.g. {@code [4, 5]} or {@code [n, 5]}. */
    public static String shape(Tensor t) {
        return t.shape().toString();
    }

    /** Builds the DAG of {@code outputs}, checks it prints, and returns how many ops it has (placeholders included). */
    public static int opCount(Tensor... outputs) {
        ComputeDag dag = ComputeDag.of(outputs);
        String text = dag.toString();
        assertTrue(text.contains("outputs:"), text);
        assertEquals(64, dag.workloadKey().length());
        return dag.ops().size();
    }

    /** Asserts an IllegalArgumentException whose message contains every fragment. */
    public static IllegalArgumentException assertRejected(Runnable r, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    public static List<Object> dims(Object... d) {
        return List.of(d);
    }
}
