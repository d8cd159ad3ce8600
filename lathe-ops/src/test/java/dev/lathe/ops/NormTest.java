package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.ir.Var;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.lathe.ops.TestData.assertClose;
import static dev.lathe.ops.TestData.assertRejected;
import static dev.lathe.ops.TestData.opCount;
import static dev.lathe.ops.TestData.random;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.sizeVar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormTest {
    private final Random rnd = new Random(13);

    @Test
    void softmaxAlongEachAxis() {
        int[] s = {3, 4, 5};
        for (int axis : new int[] {0, 1, 2, -1}) {
            Tensor x = placeholder(List.of(3, 4, 5), DType.FLOAT32, "x");
            Tensor y = Norm.softmax(x, axis);
            assertEquals("[3, 4, 5]", y.shape().toString());
            assertEquals(5, opCount(y)); // x, max, exp, sum, softmax
            float[] xv = random(rnd, 60);
            for (int i = 0; i < xv.length; i++) {
                xv[i] *= 50; // large values: only a max-subtracted softmax stays finite
            }
            var ev = TestData.reference(ComputeDag.of(y), Map.of(x, TestData.doubles(xv)));
            assertClose(NaiveOps.softmax(xv, s, axis < 0 ? axis + 3 : axis), ev.get(y).toFloatArray(), 1e-5);
        }
    }

    @Test
    void softmaxStagesAndErrors() {
        Var n = sizeVar("n");
        Tensor x = placeholder(List.of(n, 1000), DType.FLOAT32, "x");
        Tensor y = Norm.softmax(x, 1, "sm");
        String text = ComputeDag.of(y).toString();
        for (String stage : List.of("sm_max", "sm_exp", "sm_sum", "sm[")) {
            assertTrue(text.contains(stage), text);
        }
        assertEquals("[n]", ComputeDag.of(y).ops().get(1).shape().toString());
        assertRejected(() -> Norm.softmax(x, 2), "axis 2", "rank 2");
        assertRejected(() -> Norm.softmax(placeholder(List.of(4), DType.INT32, "i"), 0), "float", "int32");
    }

    @Test
    void layerNormMatchesNaive() {
        Var rows = sizeVar("rows");
        Tensor x = placeholder(List.of(2, rows, 6), DType.FLOAT32, "x");
        Tensor gamma = placeholder(List.of(6), DType.FLOAT32, "gamma");
        Tensor beta = placeholder(List.of(6), DType.FLOAT32, "beta");
        Tensor y = Norm.layerNorm(x, gamma, beta, 1e-5);
        assertEquals("[2, rows, 6]", y.shape().toString());
        assertEquals(7, opCount(y)); // x, gamma, beta, sum, mean, varsum, layer_norm
        float[] xv = random(rnd, 2 * 3 * 6);
        float[] gv = random(rnd, 6);
        float[] bv = random(rnd, 6);
        var ev = TestData.reference(ComputeDag.of(y),
                Map.of(x, TestData.doubles(xv), gamma, TestData.doubles(gv), beta, TestData.doubles(bv)), Map.of(rows, 3L));
        assertClose(NaiveOps.layerNorm(xv, new int[] {2, 3, 6}, gv, bv, 1e-5f), ev.get(y).toFloatArray(), 1e-4);
    }

    @Test
    void layerNormWithSymbolicHiddenSizeAndErrors() {
        Var d = sizeVar("D");
        Tensor x = placeholder(List.of(128, d), DType.FLOAT32, "x");
        Tensor y = Norm.layerNorm(x, placeholder(List.of(d), DType.FLOAT32, "g"), placeholder(List.of(d), DType.FLOAT32, "b"), 1e-5);
        assertEquals("[128, D]", y.shape().toString());
        Tensor x2 = placeholder(List.of(128, 768), DType.FLOAT32, "x");
        assertRejected(() -> Norm.layerNorm(x2, placeholder(List.of(767), DType.FLOAT32, "g"),
                placeholder(List.of(768), DType.FLOAT32, "b"), 1e-5), "length of g", "768 and 767");
        assertRejected(() -> Norm.layerNorm(x2, placeholder(List.of(768), DType.FLOAT32, "g"),
                placeholder(List.of(768), DType.FLOAT32, "b"), -1), "eps");
        assertRejected(() -> Norm.layerNorm(placeholder(List.of(), DType.FLOAT32, "s"), placeholder(List.of(1), DType.FLOAT32, "g"),
                placeholder(List.of(1), DType.FLOAT32, "b"), 0), "scalar");
    }
}
