package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.ir.Var;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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

class PoolTest {
    private final Random rnd = new Random(5);

    private static final List<Pool2dParams> CASES = List.of(
            Pool2dParams.of(2),
            Pool2dParams.of(3, 2, 1),
            new Pool2dParams(Size2d.of(3, 2), Size2d.of(1, 2), Padding2d.of(2, 0, 1, 1)),
            new Pool2dParams(Size2d.of(2, 3), Size2d.of(3, 1), Padding2d.of(0, 2)));

    private static int[] shape(Layout layout, int n, int c, int h, int w) {
        return layout == Layout.NCHW ? new int[] {n, c, h, w} : new int[] {n, h, w, c};
    }

    private static List<Object> dims(int[] s) {
        return List.of(s[0], s[1], s[2], s[3]);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void maxAndAvgMatchNaive(Layout layout) {
        int[] s = shape(layout, 2, 3, 7, 6);
        for (Pool2dParams p : CASES) {
            Tensor x = placeholder(dims(s), DType.FLOAT32, "x");
            Tensor mx = Pool.maxPool2d(x, p, layout);
            Tensor avg = Pool.avgPool2d(x, p, layout);
            float[] xv = random(rnd, NaiveOps.size(s));
            var ev = TestData.reference(ComputeDag.of(mx, avg), Map.of(x, TestData.doubles(xv)));
            assertClose(NaiveOps.maxPool2d(xv, s, p, layout), ev.get(mx).toFloatArray());
            assertClose(NaiveOps.avgPool2d(xv, s, p, layout), ev.get(avg).toFloatArray());
        }
    }

    @Test
    void shapesStagesAndBorderCounts() {
        Tensor x = placeholder(List.of(1, 64, 112, 112), DType.FLOAT32, "x");
        Tensor mx = Pool.maxPool2d(x, Pool2dParams.of(3, 2, 1), Layout.NCHW);
        assertEquals("[1, 64, 56, 56]", mx.shape().toString());
        assertEquals(3, opCount(mx)); // x, max_pool2d_pad, max_pool2d
        Tensor avg = Pool.avgPool2d(x, Pool2dParams.of(2), Layout.NCHW, "avg");
        assertEquals(3, opCount(avg)); // x, avg_sum, avg: no padding, no pad stage
        Tensor nhwc = Pool.maxPool2d(placeholder(List.of(1, 112, 112, 64), DType.FLOAT32, "y"),
                Pool2dParams.of(3, 2, 1), Layout.NHWC);
        assertEquals("[1, 56, 56, 64]", nhwc.shape().toString());

        // A 3x3 window at a corner with padding 1 covers 4 elements: the average of ones is 1, not 4/9.
        Tensor ones = placeholder(List.of(1, 1, 3, 3), DType.FLOAT32, "ones");
        Tensor a = Pool.avgPool2d(ones, Pool2dParams.of(3, 1, 1), Layout.NCHW);
        double[] v = TestData.reference(ComputeDag.of(a), Map.of(ones, new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1})).get(a).toDoubleArray();
        for (double e : v) {
            assertEquals(1.0, e, 1e-6);
        }
    }

    @Test
    void intMaxPoolAndSymbolicShapes() {
        Tensor x = placeholder(List.of(1, 1, 2, 2), DType.INT32, "x");
        Tensor mx = Pool.maxPool2d(x, Pool2dParams.of(2, 1, 1), Layout.NCHW);
        double[] v = TestData.reference(ComputeDag.of(mx), Map.of(x, new double[] {-7, -3, -9, -8})).get(mx).toDoubleArray();
        assertEquals(List.of(-7.0, -3.0, -3.0, -7.0, -3.0, -3.0, -9.0, -8.0, -8.0),
                java.util.Arrays.stream(v).boxed().toList());

        Var h = sizeVar("H");
        Tensor y = placeholder(List.of(1, 4, h, 8), DType.FLOAT32, "y");
        assertEquals("[1, 4, floordiv(H - 1, 2) + 1, 4]", Pool.avgPool2d(y, Pool2dParams.of(3, 2, 1), Layout.NCHW)
                .shape().toString());
    }

    @Test
    void rejectsInvalidArguments() {
        assertRejected(() -> Pool2dParams.of(2, 1, 2), "smaller than the kernel");
        assertRejected(() -> Pool2dParams.of(2, 0, 0), "positive");
        assertRejected(() -> Pool.avgPool2d(placeholder(List.of(1, 1, 4, 4), DType.INT32, "x"), Pool2dParams.of(2),
                Layout.NCHW), "float", "cast");
        assertRejected(() -> Pool.maxPool2d(placeholder(List.of(1, 4, 4), DType.FLOAT32, "x"), Pool2dParams.of(2),
                Layout.NCHW), "rank 4");
        assertRejected(() -> Pool.maxPool2d(placeholder(List.of(1, 1, 4, 2), DType.FLOAT32, "x"), Pool2dParams.of(3),
                Layout.NCHW), "width", "output size");
    }
}
