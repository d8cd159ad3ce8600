package dev.lathe.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.lathe.ops.NaiveOps.size;
import static dev.lathe.ops.NaiveOps.strides;
import static dev.lathe.ops.NaiveOps.unravel;

/**
 * Plain-Java references for the operators of whole-model graphs (shape transformations,
 * slicing, N-d products, multi-axis reductions, ceil-mode pooling, transposed convolution),
 * written loop by loop from the operators' definitions, with the conventions of
 * {@link NaiveOps}: a tensor is a row-major {@code float[]} with an {@code int[]} shape.
 */
public final class GraphNaiveOps {
    private GraphNaiveOps() {
    }

    /** A tensor value: flat row-major data and its shape. */
    public record Nd(float[] data, int[] shape) {
        float at(int... idx) {
            int f = 0;
            int[] s = strides(shape);
            for (int d = 0; d < idx.length; d++) {
                f += idx[d] * s[d];
            }
            return data[f];
        }
    }

    /** The element indices a strided slice picks from an axis of extent {@code dim}, after clamping. */
    public static List<Integer> sliceIndices(long start, long end, long step, int dim) {
        long s = start < 0 ? start + dim : start;
        long e = end < 0 ? end + dim : end;
        List<Integer> picked = new ArrayList<>();
        if (step > 0) {
            s = Math.clamp(s, 0, dim);
            e = Math.clamp(e, 0, dim);
            for (long i = s; i < e; i += step) {
                picked.add((int) i);
            }
        } else {
            s = Math.clamp(s, -1, dim - 1);
            e = Math.clamp(e, -1, dim - 1);
            for (long i = s; i > e; i += step) {
                picked.add((int) i);
            }
        }
        return picked;
    }

    /** Picks, along each axis, the listed indices (null: all): the general form of slice and split. */
    public static Nd pick(Nd x, List<List<Integer>> perAxis) {
        int rank = x.shape().length;
        int[] outShape = new int[rank];
        for (int d = 0; d < rank; d++) {
            outShape[d] = perAxis.get(d) == null ? x.shape()[d] : perAxis.get(d).size();
        }
        float[] out = new float[size(outShape)];
        for (int f = 0; f < out.length; f++) {
            int[] o = unravel(f, outShape);
            int[] i = new int[rank];
            for (int d = 0; d < rank; d++) {
                i[d] = perAxis.get(d) == null ? o[d] : perAxis.get(d).get(o[d]);
            }
            out[f] = x.at(i);
        }
        return new Nd(out, outShape);
    }

    public static Nd concat(List<Nd> xs, int axis) {
        int[] shape = xs.getFirst().shape().clone();
        shape[axis] = xs.stream().mapToInt(x -> x.shape()[axis]).sum();
        float[] out = new float[size(shape)];
        for (int f = 0; f < out.length; f++) {
            int[] o = unravel(f, shape);
            int k = 0;
            while (o[axis] >= xs.get(k).shape()[axis]) {
                o[axis] -= xs.get(k).shape()[axis];
                k++;
            }
            out[f] = xs.get(k).at(o);
        }
        return new Nd(out, shape);
    }

    public static Nd gather(Nd data, long[] indices, int[] indexShape, int axis) {
        int r = data.shape().length;
        int q = indexShape.length;
        int[] shape = new int[r - 1 + q];
        for (int d = 0; d < axis; d++) {
            shape[d] = data.shape()[d];
        }
        System.arraycopy(indexShape, 0, shape, axis, q);
        for (int d = axis + 1; d < r; d++) {
            shape[d - 1 + q] = data.shape()[d];
        }
        float[] out = new float[size(shape)];
        for (int f = 0; f < out.length; f++) {
            int[] o = unravel(f, shape);
            int[] j = Arrays.copyOfRange(o, axis, axis + q);
            long k = indices[j.length == 0 ? 0 : flat(j, indexShape)];
            int[] i = new int[r];
            for (int d = 0; d < r; d++) {
                i[d] = d < axis ? o[d] : d == axis ? (int) (k < 0 ? k + data.shape()[axis] : k) : o[d - 1 + q];
            }
            out[f] = data.at(i);
        }
        return new Nd(out, shape);
    }

    private static int flat(int[] idx, int[] shape) {
        int f = 0;
        for (int d = 0; d < idx.length; d++) {
            f = f * shape[d] + idx[d];
        }
        return f;
    }

    /** Sum, mean, max, min or product over the given (non-negative) axes. */
    public static Nd reduce(Nd x, Reduction.Kind kind, int[] axes, boolean keepDims) {
        int rank = x.shape().length;
        boolean[] red = new boolean[rank];
        for (int a : axes) {
            red[a] = true;
        }
        int[] kept = new int[rank];
        for (int d = 0; d < rank; d++) {
            kept[d] = red[d] ? 1 : x.shape()[d];
        }
        double[] acc = new double[size(kept)];
        int[] count = new int[acc.length];
        Arrays.fill(acc, kind == Reduction.Kind.PROD ? 1 : kind == Reduction.Kind.MAX ? Double.NEGATIVE_INFINITY
                : kind == Reduction.Kind.MIN ? Double.POSITIVE_INFINITY : 0);
        for (int f = 0; f < x.data().length; f++) {
            int[] i = unravel(f, x.shape());
            for (int d = 0; d < rank; d++) {
                if (red[d]) {
                    i[d] = 0;
                }
            }
            int o = flat(i, kept);
            double v = x.data()[f];
            acc[o] = switch (kind) {
                case SUM, MEAN -> acc[o] + v;
                case PROD -> acc[o] * v;
                case MAX -> Math.max(acc[o], v);
                case MIN -> Math.min(acc[o], v);
            };
            count[o]++;
        }
        float[] out = new float[acc.length];
        for (int o = 0; o < out.length; o++) {
            out[o] = (float) (kind == Reduction.Kind.MEAN ? acc[o] / count[o] : acc[o]);
        }
        int[] shape = keepDims ? kept : Arrays.stream(kept).filter(new java.util.function.IntPredicate() {
            int d = 0;

            @Override
            public boolean test(int v) {
                return !red[d++];
            }
        }).toArray();
        return new Nd(out, shape);
    }

    /** NumPy matmul: 1-d operands promoted and dropped again, batch dimensions broadcast. */
    public static Nd matmulNd(Nd a, Nd b) {
        int[] as = a.shape().length == 1 ? new int[] {1, a.shape()[0]} : a.shape();
        int[] bs = b.shape().length == 1 ? new int[] {b.shape()[0], 1} : b.shape();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        int[] batch = NaiveOps.broadcastShape(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        int nb = size(batch);
        float[] out = new float[nb * m * n];
        for (int p = 0; p < nb; p++) {
            int[] bi = unravel(p, batch);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int r = 0; r < k; r++) {
                        acc += (double) a.data()[offset(bi, as, i, r)] * b.data()[offset(bi, bs, r, j)];
                    }
                    out[(p * m + i) * n + j] = (float) acc;
                }
            }
        }
        List<Integer> shape = new ArrayList<>(Arrays.stream(batch).boxed().toList());
        if (a.shape().length > 1) {
            shape.add(m);
        }
        if (b.shape().length > 1) {
            shape.add(n);
        }
        return new Nd(out, shape.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Flat offset of {@code [batch..., row, col]} in an operand whose batch dimensions broadcast. */
    private static int offset(int[] batch, int[] shape, int row, int col) {
        int r = shape.length;
        int f = 0;
        for (int d = 0; d < r - 2; d++) {
            int bd = batch[batch.length - (r - 2) + d];
            f = f * shape[d] + (shape[d] == 1 ? 0 : bd);
        }
        return (f * shape[r - 2] + row) * shape[r - 1] + col;
    }

    /** Max or average pooling of NCHW with explicit pads, dilation, ceil mode and count_include_pad. */
    public static Nd pool(Nd x, boolean isMax, int[] k, int[] stride, int[] padBegin, int[] padEnd, int[] dilation,
                          boolean ceil, boolean countIncludePad) {
        int n = x.shape()[0], c = x.shape()[1], h = x.shape()[2], w = x.shape()[3];
        int oh = poolOut(h, k[0], stride[0], padBegin[0], padEnd[0], dilation[0], ceil);
        int ow = poolOut(w, k[1], stride[1], padBegin[1], padEnd[1], dilation[1], ceil);
        float[] out = new float[n * c * oh * ow];
        int f = 0;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        double best = Double.NEGATIVE_INFINITY;
                        double sum = 0;
                        int count = 0;
                        for (int ky = 0; ky < k[0]; ky++) {
                            for (int kx = 0; kx < k[1]; kx++) {
                                int iy = y * stride[0] + ky * dilation[0] - padBegin[0];
                                int ix = xx * stride[1] + kx * dilation[1] - padBegin[1];
                                boolean inPadded = iy < h + padEnd[0] && ix < w + padEnd[1];
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    float v = x.at(b, ch, iy, ix);
                                    best = Math.max(best, v);
                                    sum += v;
                                    count++;
                                } else if (countIncludePad && inPadded) {
                                    count++;
                                }
                            }
                        }
                        out[f++] = (float) (isMax ? best : sum / count);
                    }
                }
            }
        }
        return new Nd(out, new int[] {n, c, oh, ow});
    }

    private static int poolOut(int in, int k, int s, int pb, int pe, int d, boolean ceil) {
        int span = in + pb + pe - (d * (k - 1) + 1);
        int out = (ceil ? Math.ceilDiv(span, s) : Math.floorDiv(span, s)) + 1;
        if (ceil && (out - 1) * s >= in + pb) {
            out--;
        }
        return out;
    }

    /** Transposed convolution as a scatter: every input element adds its weighted kernel into the output. */
    public static Nd convTranspose(Nd x, Nd w, int[] stride, int[] padBegin, int[] padEnd, int[] outPad, int[] dilation,
                                   int groups) {
        int n = x.shape()[0], c = x.shape()[1], h = x.shape()[2], wd = x.shape()[3];
        int cog = w.shape()[1], kh = w.shape()[2], kw = w.shape()[3];
        int cig = c / groups;
        int oh = stride[0] * (h - 1) + outPad[0] + dilation[0] * (kh - 1) + 1 - padBegin[0] - padEnd[0];
        int ow = stride[1] * (wd - 1) + outPad[1] + dilation[1] * (kw - 1) + 1 - padBegin[1] - padEnd[1];
        int co = cog * groups;
        double[] acc = new double[n * co * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int ic = 0; ic < c; ic++) {
                int g = ic / cig;
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < wd; xx++) {
                        for (int o = 0; o < cog; o++) {
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int oy = y * stride[0] + ky * dilation[0] - padBegin[0];
                                    int ox = xx * stride[1] + kx * dilation[1] - padBegin[1];
                                    if (oy >= 0 && oy < oh && ox >= 0 && ox < ow) {
                                        acc[((b * co + g * cog + o) * oh + oy) * ow + ox] +=
                                                (double) x.at(b, ic, y, xx) * w.at(ic, o, ky, kx);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] out = new float[acc.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) acc[i];
        }
        return new Nd(out, new int[] {n, co, oh, ow});
    }

    /** Layer normalization over the axes from {@code axis} on, scale and bias of the normalized shape. */
    public static float[] layerNorm(float[] x, int[] shape, int axis, float[] scale, float[] bias, double eps) {
        int inner = size(Arrays.copyOfRange(shape, axis, shape.length));
        float[] out = new float[x.length];
        for (int o = 0; o < x.length / inner; o++) {
            double mean = 0;
            for (int i = 0; i < inner; i++) {
                mean += x[o * inner + i];
            }
            mean /= inner;
            double var = 0;
            for (int i = 0; i < inner; i++) {
                double dv = x[o * inner + i] - mean;
                var += dv * dv;
            }
            var /= inner;
            for (int i = 0; i < inner; i++) {
                double y = (x[o * inner + i] - mean) / Math.sqrt(var + eps);
                out[o * inner + i] = (float) (y * (scale == null ? 1 : scale[i]) + (bias == null ? 0 : bias[i]));
            }
        }
        return out;
    }
}
