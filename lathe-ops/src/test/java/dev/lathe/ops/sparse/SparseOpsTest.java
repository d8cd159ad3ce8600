package dev.lathe.ops.sparse;

import dev.lathe.ir.DType;
import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.KernelCheck;
import dev.lathe.ops.Layout;
import dev.lathe.ops.Linalg;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static dev.lathe.ops.TestData.assertClose;
import static dev.lathe.ops.TestData.assertRejected;
import static dev.lathe.te.Te.placeholder;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every sparse op, compiled and run on real structures, against the reference evaluator and
 * against the dense op on the same matrix: sparsities 0.5 to 0.95 (and 1, a matrix with no
 * block), block shapes 1×1, 16×1, 4×4 and 8×8, with empty block rows.
 */
class SparseOpsTest {
    private final Random rnd = new Random(17);

    /**
     * A random matrix at {@code sparsity} whose first block row is empty, and its last one too
     * when there are three or more.
     */
    private BsrMatrix withEmptyRows(int rows, int cols, int br, int bc, double sparsity) {
        float[] dense = BsrMatrix.random(rows, cols, br, bc, sparsity, rnd).toDense();
        int blockRows = rows / br;
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < br; r++) {
                dense[r * cols + c] = 0;
                if (blockRows >= 3) {
                    dense[(rows - 1 - r) * cols + c] = 0;
                }
            }
        }
        BsrMatrix m = BsrMatrix.fromDense(dense, rows, cols, br, bc);
        assertEquals(0, m.indptr()[1], "block row 0 is empty");
        return m;
    }

    @ParameterizedTest
    @CsvSource({"1,1,0.5", "1,1,0.7", "1,1,0.95", "16,1,0.5", "16,1,0.7", "16,1,0.95", "4,4,0.5", "4,4,0.9",
            "4,4,0.95", "8,8,0.5", "8,8,0.7", "8,8,0.95", "16,1,1.0", "8,8,1.0"})
    void matmulsInBothOrientationsMatchTheDenseProduct(int br, int bc, double sparsity) {
        int rows = 64, cols = 32, n = 8, m = 5;
        BsrMatrix a = sparsity == 1.0 ? BsrMatrix.random(rows, cols, br, bc, 1.0, rnd)
                : withEmptyRows(rows, cols, br, bc, sparsity);
        BsrTensors w = BsrTensors.placeholders(rows, cols, br, bc, a.nnzBlocks(), "W");
        Tensor wDense = placeholder(List.of(rows, cols), DType.FLOAT32, "Wd");
        Tensor b = placeholder(List.of(cols, n), DType.FLOAT32, "B");
        Tensor x = placeholder(List.of(m, cols), DType.FLOAT32, "X");
        Tensor c = Bsr.bsrMatmul(w, b, "C");
        Tensor y = Bsr.denseBsrT(x, w, "Y");
        Tensor cd = Linalg.matmul(wDense, b, "Cd");
        Tensor yd = Linalg.matmulTransposedB(x, wDense, "Yd");
        KernelCheck check = KernelCheck.of(c, y, cd, yd).name("bsr_" + br + "x" + bc).seed(br * 100L + bc)
                .input(wDense, NDArray.of(a.toDense(), rows, cols));
        a.bind(w).forEach(check::input);
        KernelCheck.Result r = check.run();
        assertClose(r.reference(cd).toFloatArray(), r.compiled(c).toFloatArray());
        assertClose(r.reference(yd).toFloatArray(), r.compiled(y).toFloatArray());
        if (sparsity == 1.0) {
            assertEquals(0, a.nnzBlocks());
            assertClose(new float[rows * n], r.compiled(c).toFloatArray());
        }
    }

    @ParameterizedTest
    @CsvSource({"0.5,0.95", "0.7,1.0"})
    void csrProductsMatchTheDenseProduct(double sparsity, double emptySparsity) {
        for (double s : new double[]{sparsity, emptySparsity}) {
            CsrMatrix a = withEmptyRows(12, 10, 1, 1, Math.min(s, 0.99)).toCsr();
            if (s == 1.0) {
                a = CsrMatrix.fromDense(new float[120], 12, 10);
            }
            CsrTensors t = CsrTensors.placeholders(12, 10, a.nnz(), "A");
            Tensor xm = placeholder(List.of(10, 3), DType.FLOAT32, "X");
            Tensor ad = placeholder(List.of(12, 10), DType.FLOAT32, "Ad");
            Tensor y = Csr.csrMm(t, xm, "Y");
            Tensor yd = Linalg.matmul(ad, xm, "Yd");
            KernelCheck check = KernelCheck.of(y, yd).name("csr_mm").input(ad, NDArray.of(a.toDense(), 12, 10));
            a.bind(t).forEach(check::input);
            KernelCheck.Result r = check.run();
            assertClose(r.reference(yd).toFloatArray(), r.compiled(y).toFloatArray());
        }
    }

    /**
     * Both forms of sparse conv2d against the dense convolution with the same weight: {@code kh, kw,
     * stride, pad, dilation, groups, block rows, block cols, sparsity}.
     */
    @ParameterizedTest
    @CsvSource({
            "3,3,1,1,1,1,16,1,0.7",
            "1,1,1,0,1,1,4,4,0.5",
            "3,2,2,1,1,2,8,8,0.9",
            "3,3,1,2,2,1,1,1,0.95",
            "5,5,2,2,1,4,4,4,0.7",
            "3,3,1,1,1,1,16,1,1.0"})
    void sparseConv2dMatchesTheDenseConvolution(int kh, int kw, int stride, int pad, int dil, int groups, int br, int bc,
                                                 double sparsity) {
        int n = 1, h = 9, wd = 8, ci = 8, co = 32;
        int k = kh * kw * (ci / groups);
        if (k % bc != 0) {
            bc = 1;
        }
        BsrMatrix w = sparsity == 1.0 ? BsrMatrix.random(co, k, br, bc, 1.0, rnd)
                : withEmptyRows(co, k, br, bc, sparsity);
        float[] w2 = w.toDense();
        Conv2dParams p = Conv2dParams.DEFAULT.withStride(stride).withPadding(pad).withDilation(dil).withGroups(groups);
        SparseConv.Kernel kernel = new SparseConv.Kernel(kh, kw);
        for (Layout layout : List.of(Layout.NHWC, Layout.NCHW)) {
            int cig = ci / groups;
            Tensor in = layout == Layout.NHWC ? placeholder(List.of(n, h, wd, ci), DType.FLOAT32, "in")
                    : placeholder(List.of(n, ci, h, wd), DType.FLOAT32, "in");
            BsrTensors wt = BsrTensors.placeholders(co, k, br, bc, w.nnzBlocks(), "W");
            Tensor direct = SparseConv.conv2d(in, wt, kernel, p, layout, "direct");
            Tensor im2col = SparseConv.im2colConv2d(in, wt, kernel, p, layout, "im2col");
            Tensor dense;
            NDArray denseWeight;
            if (layout == Layout.NHWC) {
                Tensor dw = placeholder(List.of(kh, kw, cig, co), DType.FLOAT32, "Wd");
                float[] v = new float[w2.length];
                for (int oc = 0; oc < co; oc++) {
                    for (int col = 0; col < k; col++) {
                        v[col * co + oc] = w2[oc * k + col]; // [ky][kx][ci] flattened is the column
                    }
                }
                denseWeight = NDArray.of(v, kh, kw, cig, co);
                dense = Conv.conv2dNhwc(in, dw, p, "dense");
                KernelCheck check = KernelCheck.of(direct, im2col, dense).name("sconv_nhwc").input(dw, denseWeight);
                compare(check, w, wt, direct, im2col, dense);
            } else {
                Tensor dw = placeholder(List.of(co, cig, kh, kw), DType.FLOAT32, "Wd");
                denseWeight = NDArray.of(w2, co, cig, kh, kw);
                dense = Conv.conv2dNchw(in, dw, p, "dense");
                KernelCheck check = KernelCheck.of(direct, im2col, dense).name("sconv_nchw").input(dw, denseWeight);
                compare(check, w, wt, direct, im2col, dense);
            }
        }
    }

    private static void compare(KernelCheck check, BsrMatrix w, BsrTensors wt, Tensor direct, Tensor im2col, Tensor dense) {
        w.bind(wt).forEach(check::input);
        KernelCheck.Result r = check.run();
        float[] want = r.reference(dense).toFloatArray();
        assertClose(want, r.compiled(direct).toFloatArray());
        assertClose(want, r.compiled(im2col).toFloatArray());
    }

    @Test
    void sparseConvRejectsAWeightThatDoesNotFitTheKernel() {
        Tensor in = placeholder(List.of(1, 8, 8, 6), DType.FLOAT32, "in");
        BsrTensors w = BsrTensors.placeholders(16, 54, 16, 1, 10, "W");
        SparseConv.Kernel k3 = new SparseConv.Kernel(3, 3);
        assertEquals(List.of(1L, 6L, 6L, 16L), SparseConv.conv2dNhwc(in, w, k3, Conv2dParams.DEFAULT).shape().stream()
                .map(e -> ((dev.lathe.ir.IntImm) e).value()).toList());
        assertRejected(() -> SparseConv.conv2dNhwc(in, w, new SparseConv.Kernel(2, 3), Conv2dParams.DEFAULT),
                "cols", "KH·KW·CI/groups");
        assertRejected(() -> SparseConv.conv2dNhwc(in, w, k3, Conv2dParams.DEFAULT.withGroups(4)), "groups");
        assertRejected(() -> new SparseConv.Kernel(0, 3), "positive");
        assertRejected(() -> SparseConv.conv2dNchw(in, w, k3, Conv2dParams.DEFAULT), "cols");
    }
}
