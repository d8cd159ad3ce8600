package dev.lathe.ops;

import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Var;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.lathe.te.Te.computeN;
import static dev.lathe.te.Te.exp;
import static dev.lathe.te.Te.max;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.rsqrt;
import static dev.lathe.te.Te.sum;

/**
 * Normalizations, each as a chain of separate computes so that every reduction is a stage of
 * its own (a reduction can only be the whole body of a compute) and the scheduler may fuse or
 * inline the element-wise stages. Float tensors only.
 */
public final class Norm {
    private Norm() {
    }

    /**
     * {@code exp(x - max) / Σ exp(x - max)} along {@code axis}, subtracting the maximum so that
     * exp cannot overflow. Stages: {@code <name>_max}, {@code <name>_exp}, {@code <name>_sum}, {@code <name>}.
     */
    public static Tensor softmax(Tensor x, int axis) {
        return softmax(x, axis, "softmax");
    }

    public static Tensor softmax(Tensor x, int axis, String name) {
        Dims.requireFloat(x, "softmax");
        int a = Dims.axis(axis, x.ndim(), "softmax");
        List<Expr> reduced = Dims.without(x.shape(), a);
        IterVar k = reduceAxis(0, x.shape().get(a), "k");
        // An explicit array: with a single axis, max(expr, k) would resolve to the element-wise max(Expr, Object).
        IterVar[] maxAxes = {k};
        Tensor maxElem = computeN(reduced, v -> max(x.get(insert(v, a, k.var())), maxAxes), name + "_max");
        Tensor e = computeN(x.shape(), v -> exp(x.get(v).sub(maxElem.get(Dims.without(v, a)))), name + "_exp");
        IterVar k2 = reduceAxis(0, x.shape().get(a), "k");
        Tensor total = computeN(reduced, v -> sum(e.get(insert(v, a, k2.var())), k2), name + "_sum");
        return computeN(x.shape(), v -> e.get(v).div(total.get(Dims.without(v, a))), name);
    }

    /**
     * Layer normalization over the last axis: {@code (x - mean) / sqrt(var + eps) * gamma + beta}
     * for {@code x[..., D]}, {@code gamma[D]}, {@code beta[D]}, with the biased variance (divided by
     * D) computed in a second pass over {@code x - mean}. Stages: {@code <name>_sum},
     * {@code <name>_mean}, {@code <name>_varsum}, {@code <name>}.
     */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        return layerNorm(x, gamma, beta, eps, "layer_norm");
    }

    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps, String name) {
        Dims.requireFloat(x, "layerNorm");
        if (x.ndim() == 0) {
            throw new IllegalArgumentException("layerNorm needs a tensor of rank >= 1 to normalize its last axis, "
                    + "but " + x.name() + " is a scalar");
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("layerNorm: eps must be a non-negative number, got " + eps);
        }
        int a = x.ndim() - 1;
        Expr d = x.shape().get(a);
        for (Tensor t : List.of(gamma, beta)) {
            Dims.requireRank(t, 1, "layerNorm: " + t.name());
            Dims.requireSameDtype(x, t, "layerNorm");
            Dims.requireSame(d, t.shape().getFirst(), "layerNorm: the last dimension of the input and the length of " + t.name());
        }
        List<Expr> reduced = Dims.without(x.shape(), a);
        Expr count = d.cast(x.dtype());
        IterVar k = reduceAxis(0, d, "k");
        Tensor total = computeN(reduced, v -> sum(x.get(append(v, k.var())), k), name + "_sum");
        Tensor mean = computeN(reduced, v -> total.get(v).div(count), name + "_mean");
        IterVar k2 = reduceAxis(0, d, "k");
        Tensor varSum = computeN(reduced, v -> {
            Expr dev = x.get(append(v, k2.var())).sub(mean.get(v));
            return sum(dev.mul(dev), k2);
        }, name + "_varsum");
        return computeN(x.shape(), v -> {
            List<Var> outer = v.subList(0, a);
            Var j = v.get(a);
            Expr inv = rsqrt(varSum.get(outer).div(count).add(eps));
            return x.get(v).sub(mean.get(outer)).mul(inv).mul(gamma.get(j)).add(beta.get(j));
        }, name);
    }

    /**
     * Layer normalization over the axes {@code axis..rank-1} (negative counts from the end):
     * {@code (x - mean) / sqrt(var + eps) · scale + bias}, with mean and the biased variance taken
     * over those axes, and {@code scale} and {@code bias} (null for none) broadcasting to
     * {@code x.shape[axis:]}. Stages: {@code <name>_mean_sum}, {@code <name>_mean},
     * {@code <name>_dev} (x - mean), {@code <name>_sq}, {@code <name>_var_sum}, {@code <name>_var}
     * and {@code <name>}.
     */
    public static Tensor layerNorm(Tensor x, Tensor scale, Tensor bias, int axis, double eps, String name) {
        Dims.requireFloat(x, "layerNorm");
        int a = Dims.axis(axis, x.ndim(), "layerNorm");
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("layerNorm: eps must be a non-negative number, got " + eps);
        }
        List<Expr> inner = x.shape().subList(a, x.ndim());
        for (Tensor t : Arrays.asList(scale, bias)) {
            if (t != null) {
                Dims.requireSameDtype(x, t, "layerNorm");
                List<Expr> b = Elementwise.broadcastShape(inner, t.shape());
                if (b.size() != inner.size()) {
                    throw new IllegalArgumentException("layerNorm: " + t.name() + " " + t.shape()
                            + " has more dimensions than the normalized axes " + inner);
                }
                for (int d = 0; d < b.size(); d++) {
                    Dims.requireSame(b.get(d), inner.get(d), "layerNorm: " + t.name() + " broadcast against the normalized axes; dimension " + d);
                }
            }
        }
        int[] axes = new int[x.ndim() - a];
        for (int d = 0; d < axes.length; d++) {
            axes[d] = a + d;
        }
        Tensor mean = Reduction.reduceAxes(x, Reduction.Kind.MEAN, axes, true, false, name + "_mean");
        Tensor dev = computeN(x.shape(), v -> x.get(v).sub(mean.get(keptIndex(v, a))), name + "_dev");
        Tensor sq = computeN(x.shape(), v -> dev.get(v).mul(dev.get(v)), name + "_sq");
        Tensor variance = Reduction.reduceAxes(sq, Reduction.Kind.MEAN, axes, true, false, name + "_var");
        return computeN(x.shape(), v -> {
            Expr y = dev.get(v).mul(rsqrt(variance.get(keptIndex(v, a)).add(eps)));
            List<Var> tail = v.subList(a, v.size());
            if (scale != null) {
                y = y.mul(scale.get(Elementwise.broadcastIndex(scale, tail)));
            }
            return bias == null ? y : y.add(bias.get(Elementwise.broadcastIndex(bias, tail)));
        }, name);
    }

    /** The index into a keep-dims reduction over the axes from {@code axis} on. */
    private static List<Expr> keptIndex(List<Var> v, int axis) {
        List<Expr> idx = new ArrayList<>(v.subList(0, axis));
        for (int d = axis; d < v.size(); d++) {
            idx.add(IntImm.of(0));
        }
        return idx;
    }

    /**
     * Batch normalization with running statistics (inference): for {@code x[N, C, ...]} and
     * {@code scale}, {@code bias}, {@code mean}, {@code var} of shape {@code [C]},
     * {@code (x - mean[c]) / sqrt(var[c] + eps) · scale[c] + bias[c]}. One element-wise stage.
     */
    public static Tensor batchNorm(Tensor x, Tensor scale, Tensor bias, Tensor mean, Tensor var, double eps, String name) {
        Dims.requireFloat(x, "batchNorm");
        if (x.ndim() < 2) {
            throw new IllegalArgumentException("batchNorm needs x of rank >= 2 ([N, C, ...]), but " + x.name()
                    + " has shape " + x.shape());
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("batchNorm: eps must be a non-negative number, got " + eps);
        }
        for (Tensor t : List.of(scale, bias, mean, var)) {
            Dims.requireRank(t, 1, "batchNorm: " + t.name());
            Dims.requireSameDtype(x, t, "batchNorm");
            Dims.requireSame(x.shape().get(1), t.shape().getFirst(), "batchNorm: the channels of x (dim 1) and the length of " + t.name());
        }
        return computeN(x.shape(), v -> {
            Var c = v.get(1);
            return x.get(v).sub(mean.get(c)).mul(rsqrt(var.get(c).add(eps))).mul(scale.get(c)).add(bias.get(c));
        }, name);
    }

    private static List<Expr> insert(List<Var> v, int axis, Var k) {
        List<Expr> idx = new ArrayList<>(v);
        idx.add(axis, k);
        return idx;
    }

    private static List<Expr> append(List<Var> v, Var k) {
        return insert(v, v.size(), k);
    }
}
