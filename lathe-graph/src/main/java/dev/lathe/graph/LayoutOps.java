package dev.lathe.graph;

import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.Layout;
import dev.lathe.ops.Padding2d;
import dev.lathe.ops.Pool;
import dev.lathe.ops.Pool2dParams;
import dev.lathe.ops.Reduction;
import dev.lathe.ops.Size2d;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.lathe.graph.OpTable.add;

/**
 * Operators Lathe's own layout pass introduces, outside the ONNX vocabulary: 2-D convolution and
 * pooling of NHWC tensors, with ONNX's {@code pads} (top, left, bottom, right), {@code strides},
 * {@code dilations}, {@code group}, {@code kernel_shape}, {@code ceil_mode} and
 * {@code count_include_pad} attributes (padding always explicit: the pass resolves {@code auto_pad}).
 * <ul>
 * <li>{@code ConvNhwc}: input {@code [N,H,W,C]}, weights {@code [KH,KW,C/group,CO]}, optional bias;</li>
 * <li>{@code DepthwiseConvNhwc}: weights {@code [KH,KW,C,M]} (output channel {@code c·M + m}), optional bias;</li>
 * <li>{@code MaxPoolNhwc}, {@code AveragePoolNhwc}, {@code GlobalAveragePoolNhwc}, {@code GlobalMaxPoolNhwc}.</li>
 * </ul>
 */
final class LayoutOps {
    static final String CONV_NHWC = "ConvNhwc";
    static final String DEPTHWISE_CONV_NHWC = "DepthwiseConvNhwc";
    static final String MAX_POOL_NHWC = "MaxPoolNhwc";
    static final String AVERAGE_POOL_NHWC = "AveragePoolNhwc";
    static final String GLOBAL_AVERAGE_POOL_NHWC = "GlobalAveragePoolNhwc";
    static final String GLOBAL_MAX_POOL_NHWC = "GlobalMaxPoolNhwc";
    /** Every operator type defined here. */
    static final Set<String> ALL = Set.of(CONV_NHWC, DEPTHWISE_CONV_NHWC, MAX_POOL_NHWC, AVERAGE_POOL_NHWC,
            GLOBAL_AVERAGE_POOL_NHWC, GLOBAL_MAX_POOL_NHWC);

    private LayoutOps() {
    }

    static void register(Map<String, OpTable.OpDef> t) {
        add(t, CONV_NHWC, ctx -> conv(ctx, false));
        add(t, DEPTHWISE_CONV_NHWC, ctx -> conv(ctx, true));
        add(t, MAX_POOL_NHWC, ctx -> pool(ctx, true));
        add(t, AVERAGE_POOL_NHWC, ctx -> pool(ctx, false));
        add(t, GLOBAL_AVERAGE_POOL_NHWC, ctx -> global(ctx, Reduction.Kind.MEAN));
        add(t, GLOBAL_MAX_POOL_NHWC, ctx -> global(ctx, Reduction.Kind.MAX));
    }

    private static List<Tensor> conv(LowerContext ctx, boolean depthwise) {
        Node n = ctx.node();
        Tensor x = ctx.in(0);
        Tensor w = ctx.in(1);
        if (x.ndim() != 4 || w.ndim() != 4) {
            throw ctx.unsupported("only 2-d NHWC convolutions (input rank " + x.ndim() + ", weight rank " + w.ndim() + ")");
        }
        int group = (int) n.intAttr("group", 1);
        Size2d dil = pair(n, "dilations");
        Conv2dParams p = Conv2dParams.DEFAULT.withPadding(padding(n)).withStride(pair(n, "strides").h(), pair(n, "strides").w())
                .withDilation(dil.h(), dil.w()).withGroups(depthwise ? 1 : group);
        String name = ctx.has(2) ? ctx.out(0) + "_conv" : ctx.out(0);
        Tensor acc = depthwise ? Conv.depthwiseConv2dNhwc(x, w, p, name) : Conv.conv2dNhwc(x, w, p, name);
        if (!ctx.has(2)) {
            return List.of(acc);
        }
        Tensor b = ctx.in(2);
        return List.of(Te.compute(acc.shape(), (i, y, z, c) -> acc.get(i, y, z, c).add(b.get(c)), ctx.out(0)));
    }

    private static List<Tensor> pool(LowerContext ctx, boolean max) {
        Node n = ctx.node();
        Tensor x = ctx.in(0);
        long[] k = n.intsAttr("kernel_shape");
        if (x.ndim() != 4 || k == null || k.length != 2) {
            throw ctx.unsupported("only 2-d NHWC pooling with a kernel_shape of two extents (input rank " + x.ndim() + ")");
        }
        Pool2dParams p = new Pool2dParams(Size2d.of((int) k[0], (int) k[1]), pair(n, "strides"), padding(n));
        boolean ceil = n.intAttr("ceil_mode", 0) != 0;
        if (max) {
            return List.of(Pool.maxPool2d(x, p, pair(n, "dilations"), ceil, Layout.NHWC, ctx.out(0)));
        }
        if (!pair(n, "dilations").equals(Size2d.of(1))) {
            throw ctx.unsupported("dilated average pooling in NHWC");
        }
        boolean includePad = n.intAttr("count_include_pad", 0) != 0;
        return List.of(Pool.avgPool2d(x, p, ceil, includePad, Layout.NHWC, ctx.out(0)));
    }

    private static List<Tensor> global(LowerContext ctx, Reduction.Kind kind) {
        Tensor x = ctx.in(0);
        if (x.ndim() != 4) {
            throw ctx.unsupported("only 2-d NHWC global pooling (input rank " + x.ndim() + ")");
        }
        return List.of(Reduction.reduceAxes(x, kind, new int[] {1, 2}, true, false, ctx.out(0)));
    }

    private static Padding2d padding(Node n) {
        long[] pads = n.intsAttr("pads");
        return pads == null ? Padding2d.NONE : Padding2d.of((int) pads[0], (int) pads[1], (int) pads[2], (int) pads[3]);
    }

    /** A two-element attribute (height, width), 1 for both when absent. */
    private static Size2d pair(Node n, String attr) {
        long[] v = n.intsAttr(attr);
        return v == null ? Size2d.of(1) : Size2d.of((int) v[0], (int) v[1]);
    }
}
