package dev.lathe.examples;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IterVar;
import dev.lathe.ops.Conv;
import dev.lathe.ops.Layout;
import dev.lathe.ops.Padding2d;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import dev.lathe.template.Template;

import java.util.List;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.sum;

/**
 * conv2d (NHWC, stride 1, "same" padding, e.g. C1: 1×56×56×64 → 64, 3×3, pad 1) declared as
 * im2col + matmul:
 * <pre>
 * pad[n, h, w, ci]          the padded input (inlined into im2col)
 * im2col[y, kk] = pad[0, y / W + kk / (KW·CI), y % W + kk / CI % KW, kk % CI]     y = h·W + w, kk = (kh·KW + kw)·CI + ci
 * C[y, co] = Σ_kk im2col[y, kk] · B[kk, co]                                        the NHWC output as [H·W, CO]
 * </pre>
 * {@code B} is the HWIO weight viewed as {@code [KH·KW·CI, CO]} (the same memory). The knobs are
 * those of {@link MatmulTemplate#tileGemm} on {@code C}, plus {@code im2col_at}: im2col computed
 * once for the whole image ("root") or per row block of C (at {@code i.1}, so the rows stay in cache).
 */
public final class Im2colConv2dTemplate {
    public static final Template TEMPLATE = (cfg, dag) -> {
        State s = State.initial(dag).computeInline("pad");
        String at = cfg.defineKnob("im2col_at", List.of("i.1", "root"));
        s = MatmulTemplate.tileGemm(cfg, s, "C", "B");
        if (!at.equals("root")) {
            s = s.computeAt("im2col", "C", at);
        }
        return s;
    };

    private Im2colConv2dTemplate() {
    }

    /** C1 of the conv benchmarks: 1×56×56×64, 64 output channels, 3×3, pad 1. */
    public static ComputeDag declareC1() {
        return declare(56, 56, 64, 64, 3, 3, 1);
    }

    public static ComputeDag declare(int h, int w, int ci, int co, int kh, int kw, int pad) {
        Tensor input = placeholder(List.of(1, h, w, ci), DType.FLOAT32, "data");
        Tensor weight = placeholder(List.of(kh * kw * ci, co), DType.FLOAT32, "B");
        return ComputeDag.of(matmul(im2col(input, kh, kw, pad), weight));
    }

    /** The im2col matrix {@code [OH·OW, KH·KW·CI]} of a padded NHWC image (batch 1, stride 1). */
    static Tensor im2col(Tensor input, int kh, int kw, int pad) {
        long h = Sizes.of(input, 1);
        long w = Sizes.of(input, 2);
        long ci = Sizes.of(input, 3);
        long oh = h + 2L * pad - kh + 1;
        long ow = w + 2L * pad - kw + 1;
        Tensor padded = Conv.pad2d(input, Layout.NHWC, Padding2d.of(pad), 0, "pad");
        return compute(List.of(oh * ow, kh * kw * ci), (y, kk) -> {
            Expr r = kk.floordiv(ci);
            return padded.get(0, y.floordiv(ow).add(r.floordiv(kw)), y.floormod(ow).add(r.floormod(kw)), kk.floormod(ci));
        }, "im2col");
    }

    static Tensor matmul(Tensor a, Tensor b) {
        IterVar k = reduceAxis(0, a.shape().get(1), "k");
        return compute(List.of(a.shape().get(0), b.shape().get(1)), (i, j) -> sum(a.get(i, k.var()).mul(b.get(k.var(), j)), k), "C");
    }

    /** Static extents of declared tensors. */
    static final class Sizes {
        private Sizes() {
        }

        static long of(Tensor t, int axis) {
            return ((dev.lathe.ir.IntImm) t.shape().get(axis)).value();
        }
    }
}
