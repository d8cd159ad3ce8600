package dev.lathe.ops;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;

/**
 * Plain-Java reference implementations of every operator in {@code dev.lathe.ops}, written as
 * directly as possible so that they can serve as an oracle for the reference evaluator and for
 * compiled kernels.
 *
 * <p>Conventions: a tensor is a {@code float[]} in row-major (C) order together with an
 * {@code int[]} shape; the layout named by a method (NCHW, NHWC, ...) gives the meaning of each
 * dimension, exactly as in the corresponding op. Sums and products accumulate in double and are
 * rounded to float once, so results are at least as accurate as a float32 kernel's; compare with
 * a relative tolerance. Inputs are not modified. Index arrays of sparse formats are {@code int[]}
 * as in SciPy.
 */
public final class NaiveOps {
    private NaiveOps() {
    }

    // ---- shapes

    /** Number of elements of a shape (1 for rank 0). */
    public static int size(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Row-major strides of a shape. */
    public static int[] strides(int... shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    /** The multi-index of flat position {@code flat} in a row-major shape. */
    public static int[] unravel(int flat, int... shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    /** {@code (in + padTotal - dilation*(k-1) - 1) / stride + 1}, the output extent of a sliding window. */
    public static int windowOutput(int in, int padTotal, int k, int dilation, int stride) {
        return Math.floorDiv(in + padTotal - dilation * (k - 1) - 1, stride) + 1;
    }

    // ---- linear algebra

    /** {@code C[M,N] = A[M,K] · B[K,N]}. */
    public static float[] matmul(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int r = 0; r < k; r++) {
                    acc += (double) a[i * k + r] * b[r * n + j];
                }
                c[i * n + j] = (float) acc;
            }
        }
        return c;
    }

    /** {@code Y[M,N] = X[M,K] · W[N,K]ᵀ}. */
    public static float[] matmulTransposedB(float[] x, float[] w, int m, int k, int n) {
        return matmul(x, transpose(w, n, k), m, k, n);
    }

    /** {@code C[B,M,N] = A[B,M,K] · B[B,K,N]}. */
    public static float[] batchMatmul(float[] a, float[] b, int batch, int m, int k, int n) {
        float[] c = new float[batch * m * n];
        for (int p = 0; p < batch; p++) {
            float[] cp = matmul(Arrays.copyOfRange(a, p * m * k, (p + 1) * m * k),
                    Arrays.copyOfRange(b, p * k * n, (p + 1) * k * n), m, k, n);
            System.arraycopy(cp, 0, c, p * m * n, m * n);
        }
        return c;
    }

    /** The transpose of a row-major {@code [rows, cols]} matrix. */
    public static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    /** Permutes the dimensions: output dimension {@code d} is input dimension {@code perm[d]}. */
    public static float[] permute(float[] x, int[] shape, int... perm) {
        int[] outShape = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            outShape[d] = shape[perm[d]];
        }
        int[] inStrides = strides(shape);
        float[] out = new float[x.length];
        for (int f = 0; f < out.length; f++) {
            int[] o = unravel(f, outShape);
            int src = 0;
            for (int d = 0; d < shape.length; d++) {
                src += o[d] * inStrides[perm[d]];
            }
            out[f] = x[src];
        }
        return out;
    }

    // ---- padding and convolution

    /** Pads each dimension {@code d} with {@code before[d]} and {@code after[d]} elements of {@code value}. */
    public static float[] pad(float[] x, int[] shape, int[] before, int[] after, float value) {
        int[] outShape = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            outShape[d] = shape[d] + before[d] + after[d];
        }
        int[] inStrides = strides(shape);
        float[] out = new float[size(outShape)];
        for (int f = 0; f < out.length; f++) {
            int[] o = unravel(f, outShape);
            int src = 0;
            boolean inside = true;
            for (int d = 0; d < shape.length; d++) {
                int i = o[d] - before[d];
                inside &= i >= 0 && i < shape[d];
                src += i * inStrides[d];
            }
            out[f] = inside ? x[src] : value;
        }
        return out;
    }

    /** {@code out[N,CO,OH,OW]} from {@code in[N,C,H,W]} and {@code w[CO,C/groups,KH,KW]}. */
    public static float[] conv2dNchw(float[] in, int[] inShape, float[] w, int[] wShape, Conv2dParams p) {
        int n = inShape[0], c = inShape[1], h = inShape[2], wd = inShape[3];
        int co = wShape[0], cg = wShape[1], kh = wShape[2], kw = wShape[3];
        int g = p.groups();
        int oh = windowOutput(h, p.padding().totalH(), kh, p.dilation().h(), p.stride().h());
        int ow = windowOutput(wd, p.padding().totalW(), kw, p.dilation().w(), p.stride().w());
        int coPerGroup = co / g;
        float[] out = new float[n * co * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < co; o++) {
                int group = o / coPerGroup;
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        double acc = 0;
                        for (int r = 0; r < cg; r++) {
                            int ic = group * cg + r;
                            for (int ky = 0; ky < kh; ky++) {
                                int iy = y * p.stride().h() + ky * p.dilation().h() - p.padding().top();
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = x * p.stride().w() + kx * p.dilation().w() - p.padding().left();
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        acc += (double) in[((b * c + ic) * h + iy) * wd + ix]
                                                * w[((o * cg + r) * kh + ky) * kw + kx];
                                    }
                                }
                            }
                        }
                        out[((b * co + o) * oh + y) * ow + x] = (float) acc;
                    }
                }
            }
        }
        return out;
    }

    /** {@code out[N,OH,OW,CO]} from {@code in[N,H,W,C]} and {@code w[KH,KW,C/groups,CO]}. */
    public static float[] conv2dNhwc(float[] in, int[] inShape, float[] w, int[] wShape, Conv2dParams p) {
        int[] inNchw = {inShape[0], inShape[3], inShape[1], inShape[2]};
        int[] wOihw = {wShape[3], wShape[2], wShape[0], wShape[1]};
        float[] out = conv2dNchw(permute(in, inShape, 0, 3, 1, 2), inNchw, permute(w, wShape, 3, 2, 0, 1), wOihw, p);
        int oh = windowOutput(inShape[1], p.padding().totalH(), wShape[0], p.dilation().h(), p.stride().h());
        int ow = windowOutput(inShape[2], p.padding().totalW(), wShape[1], p.dilation().w(), p.stride().w());
        return permute(out, new int[] {inShape[0], wShape[3], oh, ow}, 0, 2, 3, 1);
    }

    /** {@code out[N,C*M,OH,OW]} from {@code in[N,C,H,W]} and {@code w[C,M,KH,KW]}; output channel {@code c*M+m}. */
    public static float[] depthwiseConv2dNchw(float[] in, int[] inShape, float[] w, int[] wShape, Conv2dParams p) {
        int c = inShape[1], m = wShape[1];
        // A depthwise convolution is a grouped one with one group per input channel; weight
        // [C, M, KH, KW] is then [C*M, 1, KH, KW] in memory.
        return conv2dNchw(in, inShape, w, new int[] {c * m, 1, wShape[2], wShape[3]}, p.withGroups(c));
    }

    /** {@code out[N,OH,OW,C*M]} from {@code in[N,H,W,C]} and {@code w[KH,KW,C,M]}; output channel {@code c*M+m}. */
    public static float[] depthwiseConv2dNhwc(float[] in, int[] inShape, float[] w, int[] wShape, Conv2dParams p) {
        int c = inShape[3], m = wShape[3];
        float[] wNchw = permute(w, wShape, 2, 3, 0, 1);
        float[] out = depthwiseConv2dNchw(permute(in, inShape, 0, 3, 1, 2),
                new int[] {inShape[0], c, inShape[1], inShape[2]}, wNchw, new int[] {c, m, wShape[0], wShape[1]}, p);
        int oh = windowOutput(inShape[1], p.padding().totalH(), wShape[0], p.dilation().h(), p.stride().h());
        int ow = windowOutput(inShape[2], p.padding().totalW(), wShape[1], p.dilation().w(), p.stride().w());
        return permute(out, new int[] {inShape[0], c * m, oh, ow}, 0, 2, 3, 1);
    }

    // ---- pooling

    /** Max pooling over H and W of a 4-D tensor in {@code layout}; padded positions are ignored. */
    public static float[] maxPool2d(float[] in, int[] shape, Pool2dParams p, Layout layout) {
        return pool(in, shape, p, layout, true);
    }

    /** Average pooling, dividing by the number of in-bounds elements of each window (count_include_pad=false). */
    public static float[] avgPool2d(float[] in, int[] shape, Pool2dParams p, Layout layout) {
        return pool(in, shape, p, layout, false);
    }

    private static float[] pool(float[] in, int[] shape, Pool2dParams p, Layout layout, boolean isMax) {
        int ha = layout.heightAxis(), wa = layout.widthAxis();
        int[] outShape = shape.clone();
        outShape[ha] = windowOutput(shape[ha], p.padding().totalH(), p.kernel().h(), 1, p.stride().h());
        outShape[wa] = windowOutput(shape[wa], p.padding().totalW(), p.kernel().w(), 1, p.stride().w());
        int[] st = strides(shape);
        float[] out = new float[size(outShape)];
        for (int f = 0; f < out.length; f++) {
            int[] o = unravel(f, outShape);
            double acc = isMax ? Double.NEGATIVE_INFINITY : 0;
            int count = 0;
            for (int ky = 0; ky < p.kernel().h(); ky++) {
                for (int kx = 0; kx < p.kernel().w(); kx++) {
                    int iy = o[ha] * p.stride().h() + ky - p.padding().top();
                    int ix = o[wa] * p.stride().w() + kx - p.padding().left();
                    if (iy < 0 || iy >= shape[ha] || ix < 0 || ix >= shape[wa]) {
                        continue;
                    }
                    int[] idx = o.clone();
                    idx[ha] = iy;
                    idx[wa] = ix;
                    int src = 0;
                    for (int d = 0; d < 4; d++) {
                        src += idx[d] * st[d];
                    }
                    acc = isMax ? Math.max(acc, in[src]) : acc + in[src];
                    count++;
                }
            }
            out[f] = (float) (isMax ? acc : acc / count);
        }
        return out;
    }

    // ---- element-wise

    public static float[] relu(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.max(x[i], 0f);
        }
        return out;
    }

    /** {@code x + bias[idx[axis]]}. */
    public static float[] biasAdd(float[] x, int[] shape, float[] bias, int axis) {
        float[] out = new float[x.length];
        for (int f = 0; f < x.length; f++) {
            out[f] = x[f] + bias[unravel(f, shape)[axis]];
        }
        return out;
    }

    /** The NumPy broadcast of two shapes. */
    public static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int da = d - (rank - a.length) >= 0 ? a[d - (rank - a.length)] : 1;
            int db = d - (rank - b.length) >= 0 ? b[d - (rank - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[d] = da == 1 ? db : da;
        }
        return out;
    }

    /** {@code op(a, b)} with NumPy broadcasting; the result has {@link #broadcastShape}. */
    public static float[] broadcastBinary(float[] a, int[] aShape, float[] b, int[] bShape, DoubleBinaryOperator op) {
        int[] shape = broadcastShape(aShape, bShape);
        float[] out = new float[size(shape)];
        for (int f = 0; f < out.length; f++) {
            int[] o = unravel(f, shape);
            out[f] = (float) op.applyAsDouble(a[broadcastFlat(o, aShape)], b[broadcastFlat(o, bShape)]);
        }
        return out;
    }

    private static int broadcastFlat(int[] outIdx, int[] shape) {
        int offset = outIdx.length - shape.length;
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            flat = flat * shape[d] + (shape[d] == 1 ? 0 : outIdx[offset + d]);
        }
        return flat;
    }

    // ---- normalization

    /** Softmax along {@code axis}, subtracting the maximum first. */
    public static float[] softmax(float[] x, int[] shape, int axis) {
        float[] out = new float[x.length];
        int stride = strides(shape)[axis];
        int n = shape[axis];
        for (int f = 0; f < x.length; f++) {
            if (unravel(f, shape)[axis] != 0) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                max = Math.max(max, x[f + k * stride]);
            }
            double sum = 0;
            for (int k = 0; k < n; k++) {
                sum += Math.exp(x[f + k * stride] - max);
            }
            for (int k = 0; k < n; k++) {
                out[f + k * stride] = (float) (Math.exp(x[f + k * stride] - max) / sum);
            }
        }
        return out;
    }

    /** Layer normalization over the last axis of {@code x[..., D]} with biased variance. */
    public static float[] layerNorm(float[] x, int[] shape, float[] gamma, float[] beta, float eps) {
        int d = shape[shape.length - 1];
        float[] out = new float[x.length];
        for (int row = 0; row < x.length / d; row++) {
            double mean = 0;
            for (int j = 0; j < d; j++) {
                mean += x[row * d + j];
            }
            mean /= d;
            double var = 0;
            for (int j = 0; j < d; j++) {
                double dev = x[row * d + j] - mean;
                var += dev * dev;
            }
            var /= d;
            double inv = 1 / Math.sqrt(var + eps);
            for (int j = 0; j < d; j++) {
                out[row * d + j] = (float) ((x[row * d + j] - mean) * inv * gamma[j] + beta[j]);
            }
        }
        return out;
    }

    // ---- reductions

    /** Indices and values of an arg-reduction; the shape is the input's without the reduced axis. */
    public record Arg(long[] index, float[] value) {
    }

    /** The first maximum along {@code axis}. */
    public static Arg argmax(float[] x, int[] shape, int axis) {
        return arg(x, shape, axis, true);
    }

    /** The first minimum along {@code axis}. */
    public static Arg argmin(float[] x, int[] shape, int axis) {
        return arg(x, shape, axis, false);
    }

    private static Arg arg(float[] x, int[] shape, int axis, boolean largest) {
        int n = shape[axis];
        int stride = strides(shape)[axis];
        long[] index = new long[x.length / n];
        float[] value = new float[x.length / n];
        int out = 0;
        for (int f = 0; f < x.length; f++) {
            if (unravel(f, shape)[axis] != 0) {
                continue;
            }
            int best = 0;
            for (int k = 1; k < n; k++) {
                float v = x[f + k * stride];
                float b = x[f + best * stride];
                if (largest ? v > b : v < b) {
                    best = k;
                }
            }
            index[out] = best;
            value[out] = x[f + best * stride];
            out++;
        }
        return new Arg(index, value);
    }

    public static float sumAll(float[] x) {
        double acc = 0;
        for (float v : x) {
            acc += v;
        }
        return (float) acc;
    }

    public static float prodAll(float[] x) {
        double acc = 1;
        for (float v : x) {
            acc *= v;
        }
        return (float) acc;
    }

    // ---- sparse

    /** A CSR matrix as SciPy stores it. */
    public record Csr(float[] data, int[] indices, int[] indptr, int rows, int cols) {
    }

    /** A BSR matrix: {@code data[nnzb, br, bc]} row-major, block-column {@code indices[nnzb]}, {@code indptr[rows/br + 1]}. */
    public record Bsr(float[] data, int[] indices, int[] indptr, int rows, int cols, int blockRows, int blockCols) {
        public int nnzBlocks() {
            return indices.length;
        }
    }

    /** The CSR form of a dense row-major {@code [rows, cols]} matrix, keeping the non-zeros. */
    public static Csr csrFromDense(float[] dense, int rows, int cols) {
        int nnz = 0;
        for (float v : dense) {
            nnz += v != 0 ? 1 : 0;
        }
        float[] data = new float[nnz];
        int[] indices = new int[nnz];
        int[] indptr = new int[rows + 1];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (dense[i * cols + j] != 0) {
                    data[k] = dense[i * cols + j];
                    indices[k++] = j;
                }
            }
            indptr[i + 1] = k;
        }
        return new Csr(data, indices, indptr, rows, cols);
    }

    /** The BSR form of a dense matrix, keeping the blocks with any non-zero. */
    public static Bsr bsrFromDense(float[] dense, int rows, int cols, int br, int bc) {
        int nbr = rows / br, nbc = cols / bc;
        float[] data = new float[0];
        int[] indices = new int[0];
        int[] indptr = new int[nbr + 1];
        int nnzb = 0;
        for (int i = 0; i < nbr; i++) {
            for (int j = 0; j < nbc; j++) {
                float[] block = new float[br * bc];
                boolean any = false;
                for (int r = 0; r < br; r++) {
                    for (int c = 0; c < bc; c++) {
                        block[r * bc + c] = dense[(i * br + r) * cols + j * bc + c];
                        any |= block[r * bc + c] != 0;
                    }
                }
                if (any) {
                    data = Arrays.copyOf(data, (nnzb + 1) * br * bc);
                    System.arraycopy(block, 0, data, nnzb * br * bc, br * bc);
                    indices = Arrays.copyOf(indices, nnzb + 1);
                    indices[nnzb++] = j;
                }
            }
            indptr[i + 1] = nnzb;
        }
        return new Bsr(data, indices, indptr, rows, cols, br, bc);
    }

    /** {@code y = A · x} for a CSR {@code A}. */
    public static float[] csrMv(Csr a, float[] x) {
        float[] y = new float[a.rows()];
        for (int i = 0; i < a.rows(); i++) {
            double acc = 0;
            for (int k = a.indptr()[i]; k < a.indptr()[i + 1]; k++) {
                acc += (double) a.data()[k] * x[a.indices()[k]];
            }
            y[i] = (float) acc;
        }
        return y;
    }

    /** {@code Y[rows, n] = A · X[cols, n]} for a CSR {@code A}. */
    public static float[] csrMm(Csr a, float[] x, int n) {
        float[] y = new float[a.rows() * n];
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int k = a.indptr()[i]; k < a.indptr()[i + 1]; k++) {
                    acc += (double) a.data()[k] * x[a.indices()[k] * n + j];
                }
                y[i * n + j] = (float) acc;
            }
        }
        return y;
    }

    /** {@code C[rows, n] = A · B[cols, n]} for a BSR {@code A}. */
    public static float[] bsrMatmul(Bsr a, float[] b, int n) {
        int br = a.blockRows(), bc = a.blockCols();
        double[] acc = new double[a.rows() * n];
        for (int blockRow = 0; blockRow < a.rows() / br; blockRow++) {
            for (int blk = a.indptr()[blockRow]; blk < a.indptr()[blockRow + 1]; blk++) {
                for (int r = 0; r < br; r++) {
                    for (int c = 0; c < bc; c++) {
                        double v = a.data()[(blk * br + r) * bc + c];
                        int k = a.indices()[blk] * bc + c;
                        for (int j = 0; j < n; j++) {
                            acc[(blockRow * br + r) * n + j] += v * b[k * n + j];
                        }
                    }
                }
            }
        }
        return toFloat(acc);
    }

    /** {@code Y[m, rows] = X[m, cols] · Wᵀ} for a BSR {@code W}. */
    public static float[] denseBsrT(float[] x, int m, Bsr w) {
        // (X · Wᵀ) = (W · Xᵀ)ᵀ
        float[] wxT = bsrMatmul(w, transpose(x, m, w.cols()), m);
        return transpose(wxT, w.rows(), m);
    }

    /** The dense row-major form of a BSR matrix. */
    public static float[] bsrToDense(Bsr a) {
        float[] dense = new float[a.rows() * a.cols()];
        int br = a.blockRows(), bc = a.blockCols();
        for (int blockRow = 0; blockRow < a.rows() / br; blockRow++) {
            for (int blk = a.indptr()[blockRow]; blk < a.indptr()[blockRow + 1]; blk++) {
                for (int r = 0; r < br; r++) {
                    for (int c = 0; c < bc; c++) {
                        dense[(blockRow * br + r) * a.cols() + a.indices()[blk] * bc + c] = a.data()[(blk * br + r) * bc + c];
                    }
                }
            }
        }
        return dense;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * The error function by Abramowitz–Stegun 7.1.26 (absolute error below 1.5e-7): enough for
     * float32 comparisons, and independent of the reference evaluator's series.
     */
    public static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return Math.copySign(y, x);
    }
}
