package dev.lathe.ops;

import dev.lathe.ops.GraphNaiveOps.Nd;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import static dev.lathe.ops.TestData.assertRejected;
import static dev.lathe.ops.TransformTest.f32;
import static dev.lathe.ops.TransformTest.input;
import static dev.lathe.ops.TransformTest.matches;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Normalizations, pooling and (transposed) convolutions with the attributes of whole-model graphs:
 * each compiled under the default schedule, checked against the reference evaluator by
 * {@link KernelCheck}, and the result against plain Java.
 */
class GraphNnTest {
    @Test
    void softmaxOverAnyAxisOfA4dTensor() {
        int[] shape = {2, 3, 4, 5};
        Tensor x = f32("x", shape);
        int seed = 901;
        for (int axis : new int[] {-1, 1, -4}) {
            Tensor y = Norm.softmax(x, axis);
            KernelCheck.Result r = KernelCheck.of(y).name("softmax").seed(seed++).run();
            int a = axis < 0 ? axis + 4 : axis;
            matches(new Nd(NaiveOps.softmax(input(r, x).data(), shape, a), shape), r, y, 1e-5);
        }
    }

    @Test
    void layerNormOverTrailingAxesWithBroadcastScale() {
        int[] shape = {2, 3, 4};
        Tensor x = f32("x", shape);
        Tensor scale = f32("scale", 3, 4);
        Tensor bias = f32("bias", 4);
        Tensor y = Norm.layerNorm(x, scale, bias, -2, 1e-5, "ln");
        Tensor last = Norm.layerNorm(x, f32("gamma", 4), null, -1, 1e-3, "ln_last");
        KernelCheck.Result r = KernelCheck.of(y, last).name("layer_norm").seed(910).run();
        float[] bv = input(r, bias).data();
        float[] fullBias = new float[12];
        for (int i = 0; i < 12; i++) {
            fullBias[i] = bv[i % 4];
        }
        Nd in = input(r, x);
        matches(new Nd(GraphNaiveOps.layerNorm(in.data(), shape, 1, input(r, scale).data(), fullBias, 1e-5), shape), r, y, 1e-4);
        Tensor gamma = r.inputs().keySet().stream().filter(t -> t.name().equals("gamma")).findFirst().orElseThrow();
        matches(new Nd(GraphNaiveOps.layerNorm(in.data(), shape, 2, input(r, gamma).data(), null, 1e-3), shape), r, last, 1e-4);
        assertRejected(() -> Norm.layerNorm(x, f32("s", 2, 3, 4), null, 1, 1e-5, "e"), "more dimensions");
        assertRejected(() -> Norm.layerNorm(x, f32("s", 5), null, -1, 1e-5, "e"), "do not broadcast");
    }

    @Test
    void batchNormInference() {
        int[] shape = {2, 3, 4, 5};
        Tensor x = f32("x", shape);
        Tensor[] p = {f32("scale", 3), f32("bias", 3), f32("mean", 3), f32("var", 3)};
        Tensor var = Elementwise.map(p[3], e -> e.mul(e).add(0.1f), "var_pos");
        Tensor y = Norm.batchNorm(x, p[0], p[1], p[2], var, 1e-5, "bn");
        KernelCheck.Result r = KernelCheck.of(y).name("batch_norm").seed(920).run();
        float[] xv = input(r, x).data();
        float[] s = input(r, p[0]).data();
        float[] b = input(r, p[1]).data();
        float[] m = input(r, p[2]).data();
        float[] v = input(r, p[3]).data();
        float[] expected = new float[xv.length];
        for (int i = 0; i < xv.length; i++) {
            int c = i / 20 % 3;
            double vv = (double) v[c] * v[c] + 0.1f;
            expected[i] = (float) ((xv[i] - m[c]) / Math.sqrt(vv + 1e-5) * s[c] + b[c]);
        }
        matches(new Nd(expected, shape), r, y, 1e-5);
        assertRejected(() -> Norm.batchNorm(x, f32("s", 4), p[1], p[2], p[3], 1e-5, "e"), "channels", "3 and 4");
    }

    @Test
    void poolingWithCeilModeDilationAndCountIncludePad() {
        Tensor x = f32("x", 2, 3, 7, 8);
        record Case(int kh, int kw, int sh, int sw, Padding2d pad, int dh, int dw, boolean ceil) {
        }
        Case[] cases = {
                new Case(3, 3, 2, 2, Padding2d.NONE, 1, 1, true),
                new Case(3, 2, 2, 3, new Padding2d(1, 0, 2, 1), 1, 1, true),
                new Case(2, 3, 1, 2, new Padding2d(1, 1, 0, 2), 2, 1, false),
                new Case(3, 3, 3, 3, Padding2d.of(1), 2, 2, true),
        };
        int seed = 930;
        for (Case c : cases) {
            Pool2dParams p = new Pool2dParams(Size2d.of(c.kh(), c.kw()), Size2d.of(c.sh(), c.sw()), c.pad());
            Size2d dil = Size2d.of(c.dh(), c.dw());
            int[] k = {c.kh(), c.kw()};
            int[] s = {c.sh(), c.sw()};
            int[] pb = {c.pad().top(), c.pad().left()};
            int[] pe = {c.pad().bottom(), c.pad().right()};
            int[] d = {c.dh(), c.dw()};
            Tensor max = Pool.maxPool2d(x, p, dil, c.ceil(), Layout.NCHW, "max_pool");
            Tensor avgIn = Pool.avgPool2d(x, p, c.ceil(), true, Layout.NCHW, "avg_incl");
            Tensor avgEx = Pool.avgPool2d(x, p, c.ceil(), false, Layout.NCHW, "avg_excl");
            boolean avg = c.dh() == 1 && c.dw() == 1;
            KernelCheck.Result r = (avg ? KernelCheck.of(max, avgIn, avgEx) : KernelCheck.of(max)).name("pool").seed(seed++).run();
            Nd in = input(r, x);
            matches(GraphNaiveOps.pool(in, true, k, s, pb, pe, d, c.ceil(), false), r, max);
            if (avg) {
                matches(GraphNaiveOps.pool(in, false, k, s, pb, pe, d, c.ceil(), true), r, avgIn, 1e-5);
                matches(GraphNaiveOps.pool(in, false, k, s, pb, pe, d, c.ceil(), false), r, avgEx, 1e-5);
            }
        }
        Tensor g = Pool.globalAvgPool(x, "gap");
        KernelCheck.Result r = KernelCheck.of(g).name("gap").seed(940).run();
        matches(GraphNaiveOps.reduce(input(r, x), Reduction.Kind.MEAN, new int[] {2, 3}, true), r, g, 1e-5);
        assertEquals("[2, 3, 1, 1]", g.shape().toString());
    }

    @Test
    void convWithAsymmetricAndAutoPadding() {
        Tensor x = f32("x", 1, 4, 7, 6);
        Tensor w = f32("w", 6, 2, 3, 2);
        Size2d k = Size2d.of(3, 2);
        int seed = 950;
        for (AutoPad mode : AutoPad.values()) {
            Size2d stride = Size2d.of(2, 1);
            Size2d dil = Size2d.of(1, 2);
            Padding2d pad = mode.resolve(7, 6, k, stride, dil);
            Conv2dParams p = new Conv2dParams(stride, pad, dil, 2);
            Tensor y = Conv.conv2dNchw(x, w, p, "conv");
            Tensor b = f32("b", 6);
            Tensor withBias = Elementwise.biasAdd(y, b, 1);
            KernelCheck.Result r = KernelCheck.of(withBias).name("conv_pad").seed(seed++).run();
            float[] conv = NaiveOps.conv2dNchw(input(r, x).data(), new int[] {1, 4, 7, 6}, input(r, w).data(),
                    new int[] {6, 2, 3, 2}, p);
            int[] outShape = {1, 6, NaiveOps.windowOutput(7, pad.totalH(), 3, 1, 2), NaiveOps.windowOutput(6, pad.totalW(), 2, 2, 1)};
            if (mode != AutoPad.VALID) {
                assertEquals(4, outShape[2], mode + " keeps ceil(H / stride)");
                assertEquals(6, outShape[3], mode + " keeps ceil(W / stride)");
            }
            matches(new Nd(NaiveOps.biasAdd(conv, outShape, input(r, b).data(), 1), outShape), r, withBias, 1e-5);
        }
        assertEquals(new Padding2d(1, 0, 2, 1), AutoPad.SAME_UPPER.resolve(5, 4, Size2d.of(4, 2), Size2d.of(1), Size2d.of(1)));
        assertEquals(new Padding2d(2, 1, 1, 0), AutoPad.SAME_LOWER.resolve(5, 4, Size2d.of(4, 2), Size2d.of(1), Size2d.of(1)));
    }

    @Test
    void convTransposeWithStridesPaddingOutputPaddingDilationAndGroups() {
        record Case(int c, int cog, int groups, int kh, int kw, int sh, int sw, Padding2d pad, int oph, int opw, int dh, int dw) {
        }
        Case[] cases = {
                new Case(3, 2, 1, 3, 3, 1, 1, Padding2d.NONE, 0, 0, 1, 1),
                new Case(4, 3, 2, 3, 2, 2, 3, new Padding2d(1, 0, 2, 1), 1, 2, 1, 1),
                new Case(2, 2, 1, 2, 3, 2, 1, new Padding2d(0, 2, 1, 3), 0, 1, 2, 2),
                new Case(4, 1, 4, 3, 3, 3, 2, Padding2d.of(4), 2, 1, 1, 3),
        };
        int seed = 960;
        for (Case c : cases) {
            Tensor x = f32("x", 2, c.c(), 4, 5);
            Tensor w = f32("w", c.c(), c.cog(), c.kh(), c.kw());
            Conv2dParams p = new Conv2dParams(Size2d.of(c.sh(), c.sw()), c.pad(), Size2d.of(c.dh(), c.dw()), c.groups());
            Tensor y = ConvTranspose.convTranspose2dNchw(x, w, p, c.oph(), c.opw(), "conv_t");
            KernelCheck.Result r = KernelCheck.of(y).name("conv_transpose").seed(seed++).run();
            matches(GraphNaiveOps.convTranspose(input(r, x), input(r, w), new int[] {c.sh(), c.sw()},
                    new int[] {c.pad().top(), c.pad().left()}, new int[] {c.pad().bottom(), c.pad().right()},
                    new int[] {c.oph(), c.opw()}, new int[] {c.dh(), c.dw()}, c.groups()), r, y, 1e-5);
        }
        Tensor x = f32("x", 1, 2, 4, 4);
        Tensor w = f32("w", 2, 1, 3, 3);
        assertRejected(() -> ConvTranspose.convTranspose2dNchw(x, w, Conv2dParams.DEFAULT.withStride(2), 2, 0, "e"),
                "output padding 2", "[0, 2)");
        assertRejected(() -> ConvTranspose.convTranspose2dNchw(x, f32("w", 3, 1, 3, 3), Conv2dParams.DEFAULT, 0, 0, "e"),
                "input channels");
    }
}
