package dev.lathe.ops;

import dev.lathe.ir.Expr;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Var;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
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

    private static List<Expr> insert(List<Var> v, int axis, Var k) {
        List<Expr> idx = new ArrayList<>(v);
        idx.add(axis, k);
        return idx;
    }

    private static List<Expr> append(List<Var> v, Var k) {
        return insert(v, v.size(), k);
    }
}
