package dev.lathe.graph;

import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.Padding2d;
import dev.lathe.ops.Size2d;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.List;
import java.util.Map;

import static dev.lathe.graph.OpTable.add;

/**
 * Operators Lathe's own passes introduce, outside the ONNX vocabulary: {@code ConvNhwc}, a 2-D
 * convolution of an NHWC input with HWIO weights (the layout pass's target), with ONNX Conv's
 * {@code pads}, {@code strides}, {@code dilations} attributes and an optional bias.
 */
final class LayoutOps {
    /** The operator type of the NHWC convolution. */
    static final String CONV_NHWC = "ConvNhwc";

    private LayoutOps() {
    }

    static void register(Map<String, OpTable.OpDef> t) {
        add(t, CONV_NHWC, LayoutOps::convNhwc);
    }

    private static List<Tensor> convNhwc(LowerContext ctx) {
        Node n = ctx.node();
        Tensor x = ctx.in(0);
        Tensor w = ctx.in(1);
        if (x.ndim() != 4 || w.ndim() != 4 || n.intAttr("group", 1) != 1) {
            throw ctx.unsupported("only 2-d NHWC convolutions of one group (input rank " + x.ndim() + ")");
        }
        long[] pads = n.intsAttr("pads");
        long[] strides = n.intsAttr("strides");
        long[] dil = n.intsAttr("dilations");
        Conv2dParams p = Conv2dParams.DEFAULT
                .withPadding(pads == null ? Padding2d.NONE
                        : Padding2d.of((int) pads[0], (int) pads[1], (int) pads[2], (int) pads[3]))
                .withStride(strides == null ? 1 : (int) strides[0], strides == null ? 1 : (int) strides[1])
                .withDilation(dil == null ? 1 : (int) dil[0], dil == null ? 1 : (int) dil[1]);
        if (!ctx.has(2)) {
            return List.of(Conv.conv2dNhwc(x, w, p, ctx.out(0)));
        }
        Tensor acc = Conv.conv2dNhwc(x, w, p, ctx.out(0) + "_conv");
        Tensor b = ctx.in(2);
        return List.of(Te.compute(acc.shape(), (i, y, z, c) -> acc.get(i, y, z, c).add(b.get(c)), ctx.out(0)));
    }
}
