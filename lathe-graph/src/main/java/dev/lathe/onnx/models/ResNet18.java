package dev.lathe.onnx.models;

import ai.onnx.proto.OnnxMl.ModelProto;

import java.util.List;

import static dev.lathe.onnx.models.OnnxGraphBuilder.integer;
import static dev.lathe.onnx.models.OnnxGraphBuilder.ints;

/**
 * ResNet-18 (N2) as an ONNX model: input {@code data} float32[1,3,r,r], output {@code logits}
 * float32[1,1000]. The stem is a 7×7 stride-2 convolution and a 3×3 stride-2 max pool; four stages
 * of two basic blocks (two 3×3 convolutions and a residual add) with 64, 128, 256 and 512 channels,
 * the first block of stages 2–4 halving the resolution and projecting its shortcut with a 1×1
 * stride-2 convolution; then a global average pool, a flatten and a fully connected layer. Every
 * convolution is followed by an inference-mode BatchNormalization.
 *
 * <p>Convolution weights are He-initialized (normal, variance 2 / fan-in) and the batch-norm
 * statistics drawn near the identity, so activations stay of order one through the 18 layers.
 */
public final class ResNet18 {
    /** The resolution of the benchmark workload. */
    public static final int RESOLUTION = 224;
    public static final int CLASSES = 1000;

    private ResNet18() {
    }

    /** ResNet-18 at 224×224. */
    public static ModelProto build(long seed) {
        return build(seed, RESOLUTION);
    }

    /** ResNet-18 at {@code resolution}×{@code resolution} (a multiple of 32). */
    public static ModelProto build(long seed, int resolution) {
        if (resolution < 32 || resolution % 32 != 0) {
            throw new IllegalArgumentException("ResNet-18 resolution must be a positive multiple of 32 (the network "
                    + "downsamples 32 times), got " + resolution);
        }
        OnnxGraphBuilder b = new OnnxGraphBuilder("resnet18", seed);
        b.input("data", 1, 3, resolution, resolution);
        String x = convBn(b, "stem", "data", 3, 64, 7, 2);
        x = b.node("Relu", "stem_relu", List.of(x));
        x = b.node("MaxPool", "stem_pool", List.of(x), ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1));
        int channels = 64;
        int[] widths = {64, 128, 256, 512};
        for (int s = 0; s < widths.length; s++) {
            for (int blk = 0; blk < 2; blk++) {
                int stride = s > 0 && blk == 0 ? 2 : 1;
                x = basicBlock(b, "layer" + (s + 1) + "_" + blk, x, channels, widths[s], stride);
                channels = widths[s];
            }
        }
        x = b.node("GlobalAveragePool", "pool", List.of(x));
        x = b.node("Flatten", "flatten", List.of(x), integer("axis", 1));
        String w = b.normal("fc_w", 0, Math.sqrt(1.0 / channels), CLASSES, channels);
        String bias = b.normal("fc_b", 0, 0.01, CLASSES);
        b.node("Gemm", "logits", List.of(x, w, bias), integer("transB", 1));
        b.output("logits", 1, CLASSES);
        return b.model();
    }

    private static String basicBlock(OnnxGraphBuilder b, String name, String x, int in, int out, int stride) {
        String h = convBn(b, name + "_conv1", x, in, out, 3, stride);
        h = b.node("Relu", name + "_relu1", List.of(h));
        h = convBn(b, name + "_conv2", h, out, out, 3, 1);
        String shortcut = stride != 1 || in != out ? convBn(b, name + "_down", x, in, out, 1, stride) : x;
        String sum = b.node("Add", name + "_add", List.of(h, shortcut));
        return b.node("Relu", name + "_relu2", List.of(sum));
    }

    /** A bias-free square convolution with "same" padding, then BatchNormalization. */
    private static String convBn(OnnxGraphBuilder b, String name, String x, int in, int out, int k, int stride) {
        String w = b.normal(name + "_w", 0, Math.sqrt(2.0 / (in * k * k)), out, in, k, k);
        int p = k / 2;
        String c = b.node("Conv", name, List.of(x, w), ints("kernel_shape", k, k), ints("strides", stride, stride),
                ints("pads", p, p, p, p));
        String scale = b.uniform(name + "_bn_scale", 0.5, 1.0, out);
        String shift = b.normal(name + "_bn_bias", 0, 0.1, out);
        String mean = b.normal(name + "_bn_mean", 0, 0.1, out);
        String var = b.uniform(name + "_bn_var", 0.5, 1.5, out);
        return b.node("BatchNormalization", name + "_bn", List.of(c, scale, shift, mean, var),
                OnnxGraphBuilder.real("epsilon", 1e-5f));
    }
}
