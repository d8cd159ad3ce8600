package dev.lathe.examples;

import dev.lathe.codegen.VectorTarget;
import dev.lathe.ir.DType;
import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.Elementwise;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.List;

import static dev.lathe.te.Te.placeholder;

/**
 * A register-blocked fp32 conv2d in NHWC, {@code conv[n, y, x, co] = Σ_{ry, rx, ci} pad[n, y+ry, x+rx, ci] ·
 * weight[ry, rx, ci, co]}, alone (C1) or followed by {@code relu(conv + bias[co])} (C6):
 * <pre>
 * i, j:parallel, l, m:vectorize =>                (the zero-padded input, once)
 *     &#64;conv_pad = i, j, l, m
 * {i, j}:parallel, m.0, l.0 =>
 *     i, j, ry, rx, rc, l:unroll, m:vectorize =>    (XT × OCT accumulators in vector registers)
 *         &#64;conv = i, j, l, m // ry, rx, rc
 *     l.1:unroll, m.1:vectorize =>                   (bias and relu fused in the write-back)
 *         &#64;relu = i, j, {l.0, l.1}/l, {m.0, m.1}/m
 * </pre>
 * Each step of the reduction loads OCT/lanes weight vectors and broadcasts XT input values, then
 * issues XT · OCT/lanes fused multiply-adds into the accumulators. The tile is 16 vectors (the
 * register-tile limit of the code generator), so that it stays in registers. In C6, bias_add is
 * computed at the same loop as a second register tile rather than inlined (compute_at cannot reach
 * through an inlined stage); the printed nest then has an {@code @bias_add} level before {@code @relu}.
 */
public final class Conv2dBiasReluSchedule {
    /** Output channels per tile: two float32 vectors of the host (32 with AVX-512, 16 with AVX2). */
    public static final int OCT = 2 * VectorTarget.host().lanes(DType.FLOAT32);
    /**
     * Output columns per tile: 8, so the tile is 16 vector accumulators (the code generator's
     * register-tile limit). On an AVX-512 host 8 × 32 measured faster than 4 × 64 (about 1.3×): two
     * weight vectors and eight broadcasts feed sixteen fused multiply-adds.
     */
    public static final int XT = 8;

    private Conv2dBiasReluSchedule() {
    }

    /** The C1 workload: 1 × 56 × 56 × 64 input, 3 × 3 × 64 × 64 weight, stride 1, pad 1. */
    public static ComputeDag c1() {
        return declare(1, 56, 56, 64, 64, 3, 1, 1, false);
    }

    /** The C6 workload: C1 followed by a bias along the output channels and relu. */
    public static ComputeDag c6() {
        return declare(1, 56, 56, 64, 64, 3, 1, 1, true);
    }

    /**
     * {@code data[n, h, w, ci]}, {@code weight[k, k, ci, co]} (and {@code bias[co]}); output {@code conv}, or
     * {@code relu} with {@code biasRelu}.
     */
    public static ComputeDag declare(int n, int h, int w, int ci, int co, int k, int stride, int pad, boolean biasRelu) {
        Tensor data = placeholder(List.of(n, h, w, ci), DType.FLOAT32, "data");
        Tensor weight = placeholder(List.of(k, k, ci, co), DType.FLOAT32, "weight");
        Tensor conv = Conv.conv2dNhwc(data, weight, Conv2dParams.DEFAULT.withStride(stride).withPadding(pad), "conv");
        if (!biasRelu) {
            return ComputeDag.of(conv);
        }
        Tensor bias = placeholder(List.of(co), DType.FLOAT32, "bias");
        return ComputeDag.of(Elementwise.relu(Elementwise.biasAdd(conv, bias, 3, "bias_add"), "relu"));
    }

    public static State schedule(ComputeDag dag) {
        return schedule(dag, XT, OCT);
    }

    /**
     * The schedule with a tile of {@code xt} output columns × {@code oct} output channels; {@code oct} should
     * be a multiple of the vector lanes and divide the output channels, {@code xt} should divide the output width.
     */
    public static State schedule(ComputeDag dag, int xt, int oct) {
        State s = State.initial(dag);
        boolean fused = s.stages().stream().anyMatch(st -> st.name().equals("relu"));
        String out;
        if (fused) {
            out = "relu";
        } else {
            s = s.cacheWrite("conv", "local");
            out = "conv";
        }
        String acc = fused ? "conv" : "conv.local";
        s = s.split(out, "l", xt).split(out, "m", oct)
                .reorder(out, "i", "j", "m.0", "l.0", "l.1", "m.1")
                .fuse(out, "i", "j");
        if (fused) {
            // compute_at cannot reach through an inlined stage, so bias_add is not inlined: it is computed
            // at the same loop, a second tile that lives in registers too, which relu reads.
            s = s.computeAt("bias_add", out, "l.0")
                    .unroll("bias_add", "l")
                    .pragma("bias_add", "unroll_explicit", 1)
                    .vectorize("bias_add", "m");
        }
        return s.computeAt(acc, out, "l.0")
                .reorder(acc, "i", "j", "ry", "rx", "rc", "l", "m")
                .unroll(acc, "l")
                .pragma(acc, "unroll_explicit", 1)
                .vectorize(acc, "m")
                .unroll(out, "l.1")
                .pragma(out, "unroll_explicit", 1)
                .vectorize(out, "m.1")
                .parallel(out, "i@j")
                .parallel("conv_pad", "j")
                .vectorize("conv_pad", "m");
    }
}
