package dev.lathe.onnx.models;

import ai.onnx.proto.OnnxMl.ModelProto;

import java.util.List;

import static dev.lathe.onnx.models.OnnxGraphBuilder.integer;
import static dev.lathe.onnx.models.OnnxGraphBuilder.ints;
import static dev.lathe.onnx.models.OnnxGraphBuilder.real;

/**
 * A post-norm transformer encoder block (N3) as an ONNX model: input {@code x} float32[1,seq,hidden],
 * output {@code y} of the same shape. Multi-head self-attention (Q, K and V projections with bias,
 * split into heads by Reshape and Transpose, {@code softmax(Q·Kᵀ / sqrt(d))·V}, heads merged back,
 * output projection), residual Add, LayerNormalization; then the feed-forward network (MatMul to
 * the inner width, Gelu, MatMul back), residual Add, LayerNormalization.
 *
 * <p>Gelu is written with Erf ({@code 0.5·x·(1 + erf(x / sqrt 2))}): the Gelu operator exists only
 * from opset 20, and the models declare opset 17. Projection weights are normal with variance
 * 1 / fan-in, so the attention scores have unit variance and the softmax is neither flat nor one-hot.
 */
public final class TransformerBlock {
    /** The shape of N3: sequence 128, hidden 768, 12 heads, feed-forward 3072. */
    public record Shape(int seq, int hidden, int heads, int ffn) {
        public Shape {
            if (seq <= 0 || hidden <= 0 || heads <= 0 || ffn <= 0 || hidden % heads != 0) {
                throw new IllegalArgumentException("transformer block needs positive sizes and hidden divisible by "
                        + "heads, got seq " + seq + ", hidden " + hidden + ", heads " + heads + ", ffn " + ffn);
            }
        }
    }

    public static final Shape N3 = new Shape(128, 768, 12, 3072);

    private TransformerBlock() {
    }

    /** N3. */
    public static ModelProto build(long seed) {
        return build(seed, N3);
    }

    public static ModelProto build(long seed, Shape s) {
        OnnxGraphBuilder b = new OnnxGraphBuilder("transformer_block", seed);
        int d = s.hidden() / s.heads();
        String x = b.input("x", 1, s.seq(), s.hidden());
        String heads = b.int64s("heads_shape", 1, s.seq(), s.heads(), d);
        String merged = b.int64s("merged_shape", 1, s.seq(), s.hidden());
        String q = split(b, "q", linear(b, "q", x, s.hidden(), s.hidden()), heads, 0, 2, 1, 3);
        String k = split(b, "k", linear(b, "k", x, s.hidden(), s.hidden()), heads, 0, 2, 3, 1);
        String v = split(b, "v", linear(b, "v", x, s.hidden(), s.hidden()), heads, 0, 2, 1, 3);
        String scores = b.node("MatMul", "scores", List.of(q, k));
        String scaled = b.node("Div", "scores_scaled", List.of(scores, b.scalar("sqrt_d", (float) Math.sqrt(d))));
        String probs = b.node("Softmax", "probs", List.of(scaled), integer("axis", -1));
        String ctx = b.node("MatMul", "context", List.of(probs, v));
        ctx = b.node("Transpose", "context_t", List.of(ctx), ints("perm", 0, 2, 1, 3));
        ctx = b.node("Reshape", "context_merged", List.of(ctx, merged));
        String attn = linear(b, "attn_out", ctx, s.hidden(), s.hidden());
        String h = layerNorm(b, "ln1", b.node("Add", "residual1", List.of(attn, x)), s.hidden());
        String f = linear(b, "ffn1", h, s.hidden(), s.ffn());
        f = gelu(b, "gelu", f);
        f = linear(b, "ffn2", f, s.ffn(), s.hidden());
        String out = layerNorm(b, "ln2", b.node("Add", "residual2", List.of(f, h)), s.hidden());
        b.node("Identity", "y", List.of(out));
        b.output("y", 1, s.seq(), s.hidden());
        return b.model();
    }

    private static String linear(OnnxGraphBuilder b, String name, String x, int in, int out) {
        String w = b.normal(name + "_w", 0, Math.sqrt(1.0 / in), in, out);
        String bias = b.normal(name + "_b", 0, 0.02, out);
        return b.node("Add", name + "_biased", List.of(b.node("MatMul", name, List.of(x, w)), bias));
    }

    private static String split(OnnxGraphBuilder b, String name, String x, String shape, long... perm) {
        String r = b.node("Reshape", name + "_heads", List.of(x, shape));
        return b.node("Transpose", name + "_t", List.of(r), ints("perm", perm));
    }

    private static String layerNorm(OnnxGraphBuilder b, String name, String x, int hidden) {
        String gamma = b.uniform(name + "_scale", 0.8, 1.2, hidden);
        String beta = b.normal(name + "_bias", 0, 0.05, hidden);
        return b.node("LayerNormalization", name, List.of(x, gamma, beta), integer("axis", -1),
                real("epsilon", 1e-5f));
    }

    private static String gelu(OnnxGraphBuilder b, String name, String x) {
        String e = b.node("Erf", name + "_erf", List.of(b.node("Div", name + "_div",
                List.of(x, b.scalar(name + "_sqrt2", (float) Math.sqrt(2))))));
        String one = b.node("Add", name + "_1p", List.of(e, b.scalar(name + "_one", 1f)));
        String xe = b.node("Mul", name + "_x", List.of(x, one));
        return b.node("Mul", name, List.of(xe, b.scalar(name + "_half", 0.5f)));
    }
}
