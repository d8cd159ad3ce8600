package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.ir.Var;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static dev.lathe.ops.TestData.assertClose;
import static dev.lathe.ops.TestData.assertRejected;
import static dev.lathe.ops.TestData.opCount;
import static dev.lathe.ops.TestData.random;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.sizeVar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvTest {
    private final Random rnd = new Random(11);

    @Test
    void padSelectsTheFillValueOutsideTheInput() {
        Tensor x = placeholder(List.of(2, 3), DType.FLOAT32, "x");
        Tensor p = Conv.pad(x, new int[] {1, 0}, new int[] {2, 1}, -5.0);
        assertEquals("[5, 4]", p.shape().toString());
        assertEquals("x_pad", p.name());
        assertTrue(ComputeDag.of(p).toString().contains("select("), ComputeDag.of(p).toString());
        float[] xv = random(rnd, 6);
        var ev = TestData.reference(ComputeDag.of(p), Map.of(x, TestData.doubles(xv)));
        assertClose(NaiveOps.pad(xv, new int[] {2, 3}, new int[] {1, 0}, new int[] {2, 1}, -5f), ev.get(p).toFloatArray());
    }

    @Test
    void padWithoutWidthsIsTheInputAndPadChecksItsArguments() {
        Tensor x = placeholder(List.of(sizeVar("n"), 3), DType.FLOAT32, "x");
        assertSame(x, Conv.pad(x, new int[] {0, 0}, new int[] {0, 0}, 0));
        assertEquals("[n + 3, 3]", Conv.pad(x, new int[] {1, 0}, new int[] {2, 0}, 0).shape().toString());
        assertRejected(() -> Conv.pad(x, new int[] {1}, new int[] {1, 1}, 0), "rank 2", "one per dimension");
        assertRejected(() -> Conv.pad(x, new int[] {-1, 0}, new int[] {1, 1}, 0), "negative");
        assertRejected(() -> Conv.pad(placeholder(List.of(2), DType.INT32, "i"), new int[] {1}, new int[] {1}, 0.5, "p"),
                "0.5", "int32");
    }

    static Stream<Arguments> convCases() {
        Conv2dParams d = Conv2dParams.DEFAULT;
        return Stream.of(
                // n, c, h, w, co, kh, kw, params
                Arguments.of(1, 3, 6, 6, 4, 3, 3, d.withPadding(1)),
                Arguments.of(2, 2, 7, 5, 3, 3, 2, d.withStride(2, 1).withPadding(1, 0, 2, 1)),
                Arguments.of(1, 2, 9, 9, 2, 3, 3, d.withDilation(2).withPadding(2)),
                Arguments.of(1, 4, 5, 6, 6, 1, 3, d.withGroups(2).withPadding(0, 1)),
                Arguments.of(1, 4, 6, 6, 4, 3, 3, d.withGroups(4).withStride(2).withPadding(1)),
                Arguments.of(1, 3, 8, 7, 2, 2, 3, d.withStride(3, 2).withDilation(1, 2)),
                Arguments.of(1, 1, 4, 4, 1, 4, 4, d));
    }

    @ParameterizedTest
    @MethodSource("convCases")
    void conv2dNchwMatchesNaive(int n, int c, int h, int w, int co, int kh, int kw, Conv2dParams p) {
        int[] inShape = {n, c, h, w};
        int[] wShape = {co, c / p.groups(), kh, kw};
        Tensor in = placeholder(List.of(n, c, h, w), DType.FLOAT32, "data");
        Tensor wt = placeholder(List.of(co, c / p.groups(), kh, kw), DType.FLOAT32, "kernel");
        Tensor out = Conv.conv2dNchw(in, wt, p);
        int oh = NaiveOps.windowOutput(h, p.padding().totalH(), kh, p.dilation().h(), p.stride().h());
        int ow = NaiveOps.windowOutput(w, p.padding().totalW(), kw, p.dilation().w(), p.stride().w());
        assertEquals(List.of(n, co, oh, ow).toString(), out.shape().toString());
        float[] iv = random(rnd, NaiveOps.size(inShape));
        float[] wv = random(rnd, NaiveOps.size(wShape));
        var ev = TestData.reference(ComputeDag.of(out), Map.of(in, TestData.doubles(iv), wt, TestData.doubles(wv)));
        assertClose(NaiveOps.conv2dNchw(iv, inShape, wv, wShape, p), ev.get(out).toFloatArray());
    }

    @ParameterizedTest
    @MethodSource("convCases")
    void conv2dNhwcMatchesNaive(int n, int c, int h, int w, int co, int kh, int kw, Conv2dParams p) {
        int[] inShape = {n, h, w, c};
        int[] wShape = {kh, kw, c / p.groups(), co};
        Tensor in = placeholder(List.of(n, h, w, c), DType.FLOAT32, "data");
        Tensor wt = placeholder(List.of(kh, kw, c / p.groups(), co), DType.FLOAT32, "kernel");
        Tensor out = Conv.conv2dNhwc(in, wt, p);
        float[] iv = random(rnd, NaiveOps.size(inShape));
        float[] wv = random(rnd, NaiveOps.size(wShape));
        var ev = TestData.reference(ComputeDag.of(out), Map.of(in, TestData.doubles(iv), wt, TestData.doubles(wv)));
        assertClose(NaiveOps.conv2dNhwc(iv, inShape, wv, wShape, p), ev.get(out).toFloatArray());
    }

    @ParameterizedTest
    @MethodSource("convCases")
    void naiveNhwcIsNaiveNchwTransposed(int n, int c, int h, int w, int co, int kh, int kw, Conv2dParams p) {
        int[] inShape = {n, c, h, w};
        int[] wShape = {co, c / p.groups(), kh, kw};
        float[] iv = random(rnd, NaiveOps.size(inShape));
        float[] wv = random(rnd, NaiveOps.size(wShape));
        float[] nchw = NaiveOps.conv2dNchw(iv, inShape, wv, wShape, p);
        float[] nhwc = NaiveOps.conv2dNhwc(NaiveOps.permute(iv, inShape, 0, 2, 3, 1), new int[] {n, h, w, c},
                NaiveOps.permute(wv, wShape, 2, 3, 1, 0), new int[] {kh, kw, c / p.groups(), co}, p);
        int oh = NaiveOps.windowOutput(h, p.padding().totalH(), kh, p.dilation().h(), p.stride().h());
        int ow = NaiveOps.windowOutput(w, p.padding().totalW(), kw, p.dilation().w(), p.stride().w());
        assertClose(NaiveOps.permute(nchw, new int[] {n, co, oh, ow}, 0, 2, 3, 1), nhwc);
    }

    @Test
    void naiveOneByOneConvIsAMatmul() {
        int c = 3, co = 4, hw = 5;
        float[] in = random(rnd, c * hw);
        float[] w = random(rnd, co * c);
        float[] conv = NaiveOps.conv2dNchw(in, new int[] {1, c, 1, hw}, w, new int[] {co, c, 1, 1}, Conv2dParams.DEFAULT);
        assertClose(NaiveOps.matmul(w, in, co, c, hw), conv);
    }

    @Test
    void resnetStemShapeAndStages() {
        Tensor in = placeholder(List.of(1, 3, 224, 224), DType.FLOAT32, "data");
        Tensor w = placeholder(List.of(64, 3, 7, 7), DType.FLOAT32, "kernel");
        Tensor out = Conv.conv2dNchw(in, w, Conv2dParams.DEFAULT.withStride(2).withPadding(3), "stem");
        assertEquals("[1, 64, 112, 112]", out.shape().toString());
        assertEquals(4, opCount(out)); // data, stem_pad, kernel, stem
        assertTrue(ComputeDag.of(out).toString().contains("stem_pad"));
        Tensor unpadded = Conv.conv2dNchw(in, placeholder(List.of(64, 3, 1, 1), DType.FLOAT32, "k1"), Conv2dParams.DEFAULT);
        assertEquals(3, opCount(unpadded));
        Tensor nhwc = Conv.conv2dNhwc(placeholder(List.of(1, 56, 56, 64), DType.FLOAT32, "d"),
                placeholder(List.of(3, 3, 64, 64), DType.FLOAT32, "k"), Conv2dParams.DEFAULT.withPadding(1));
        assertEquals("[1, 56, 56, 64]", nhwc.shape().toString());
    }

    @Test
    void symbolicSpatialExtents() {
        Var h = sizeVar("H");
        Var w = sizeVar("W");
        Tensor in = placeholder(List.of(1, 2, h, w), DType.FLOAT32, "data");
        Tensor k = placeholder(List.of(3, 2, 3, 3), DType.FLOAT32, "kernel");
        Conv2dParams p = Conv2dParams.DEFAULT.withStride(2).withPadding(1);
        Tensor out = Conv.conv2dNchw(in, k, p);
        assertEquals("[1, 3, floordiv(H - 1, 2) + 1, floordiv(W - 1, 2) + 1]", out.shape().toString());
        int[] inShape = {1, 2, 7, 6};
        int[] wShape = {3, 2, 3, 3};
        float[] iv = random(rnd, NaiveOps.size(inShape));
        float[] wv = random(rnd, NaiveOps.size(wShape));
        var ev = TestData.reference(ComputeDag.of(out), Map.of(in, TestData.doubles(iv), k, TestData.doubles(wv)),
                Map.of(h, 7L, w, 6L));
        assertClose(NaiveOps.conv2dNchw(iv, inShape, wv, wShape, p), ev.get(out).toFloatArray());
    }

    @Test
    void depthwiseMatchesNaiveInBothLayouts() {
        for (int mult : new int[] {1, 2}) {
            Conv2dParams p = Conv2dParams.DEFAULT.withPadding(1).withStride(1, 2);
            int[] inShape = {1, 3, 5, 6};
            int[] wShape = {3, mult, 3, 3};
            Tensor in = placeholder(List.of(1, 3, 5, 6), DType.FLOAT32, "data");
            Tensor w = placeholder(List.of(3, mult, 3, 3), DType.FLOAT32, "kernel");
            Tensor out = Conv.depthwiseConv2dNchw(in, w, p);
            assertEquals("[1, " + 3 * mult + ", 5, 3]", out.shape().toString());
            float[] iv = random(rnd, NaiveOps.size(inShape));
            float[] wv = random(rnd, NaiveOps.size(wShape));
            var ev = TestData.reference(ComputeDag.of(out), Map.of(in, TestData.doubles(iv), w, TestData.doubles(wv)));
            assertClose(NaiveOps.depthwiseConv2dNchw(iv, inShape, wv, wShape, p), ev.get(out).toFloatArray());

            int[] inNhwc = {1, 5, 6, 3};
            int[] wNhwc = {3, 3, 3, mult};
            Tensor in2 = placeholder(List.of(1, 5, 6, 3), DType.FLOAT32, "data");
            Tensor w2 = placeholder(List.of(3, 3, 3, mult), DType.FLOAT32, "kernel");
            Tensor out2 = Conv.depthwiseConv2dNhwc(in2, w2, p);
            assertEquals("[1, 5, 3, " + 3 * mult + "]", out2.shape().toString());
            float[] iv2 = random(rnd, NaiveOps.size(inNhwc));
            float[] wv2 = random(rnd, NaiveOps.size(wNhwc));
            var ev2 = TestData.reference(ComputeDag.of(out2), Map.of(in2, TestData.doubles(iv2), w2, TestData.doubles(wv2)));
            assertClose(NaiveOps.depthwiseConv2dNhwc(iv2, inNhwc, wv2, wNhwc, p), ev2.get(out2).toFloatArray());
        }
    }

    @Test
    void rejectsInvalidParameters() {
        Tensor in = placeholder(List.of(1, 6, 8, 8), DType.FLOAT32, "data");
        assertRejected(() -> Conv.conv2dNchw(in, placeholder(List.of(4, 2, 3, 3), DType.FLOAT32, "k"),
                Conv2dParams.DEFAULT.withGroups(4)), "input channels", "multiple of 4", "6");
        assertRejected(() -> Conv.conv2dNchw(in, placeholder(List.of(5, 2, 3, 3), DType.FLOAT32, "k"),
                Conv2dParams.DEFAULT.withGroups(3)), "output channels", "multiple of 3", "5");
        assertRejected(() -> Conv.conv2dNchw(in, placeholder(List.of(6, 3, 3, 3), DType.FLOAT32, "k"),
                Conv2dParams.DEFAULT.withGroups(3)), "weight's input-channel dimension", "2 and 3");
        assertRejected(() -> Conv.conv2dNchw(in, placeholder(List.of(4, 6, 9, 3), DType.FLOAT32, "k"),
                Conv2dParams.DEFAULT), "height", "output size", "smaller kernel");
        assertRejected(() -> Conv.conv2dNhwc(placeholder(List.of(1, 8, 8, 6), DType.FLOAT32, "d"),
                placeholder(List.of(3, 5, 6, 4), DType.FLOAT32, "k"), Conv2dParams.DEFAULT.withDilation(3)), "width");
        assertRejected(() -> Conv2dParams.DEFAULT.withStride(0), "positive");
        assertRejected(() -> Conv2dParams.DEFAULT.withDilation(1, -1), "positive");
        assertRejected(() -> Conv2dParams.DEFAULT.withGroups(0), "groups must be positive");
        assertRejected(() -> Conv2dParams.DEFAULT.withPadding(-1), "negative");
        assertRejected(() -> Conv.conv2dNchw(in, placeholder(List.of(4, 6, 3), DType.FLOAT32, "k"), Conv2dParams.DEFAULT),
                "weight", "rank 4");
        assertRejected(() -> Conv.conv2dNchw(in, placeholder(List.of(4, 6, 3, 3), DType.FLOAT64, "k"), Conv2dParams.DEFAULT),
                "float32", "float64");
        assertRejected(() -> Conv.depthwiseConv2dNchw(in, placeholder(List.of(6, 1, 3, 3), DType.FLOAT32, "k"),
                Conv2dParams.DEFAULT.withGroups(6)), "leave groups at 1");
        assertRejected(() -> Conv.depthwiseConv2dNchw(in, placeholder(List.of(5, 1, 3, 3), DType.FLOAT32, "k"),
                Conv2dParams.DEFAULT), "input channels");
    }
}
