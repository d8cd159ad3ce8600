package dev.lathe.graph;

import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small graphs built in code for tests: add inputs, constants and nodes, then {@link #build}. */
public final class GraphBuilder {
    private final String name;
    private final Random rng;
    private final List<Value> inputs = new ArrayList<>();
    private final Map<String, Constant> inits = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();

    public GraphBuilder(String name, long seed) {
        this.name = name;
        this.rng = new Random(seed);
    }

    public GraphBuilder input(String n, TensorType t) {
        inputs.add(new Value(n, t));
        return this;
    }

    public GraphBuilder input(String n, long... shape) {
        return input(n, TensorType.of(DType.FLOAT32, shape));
    }

    /** A float32 constant of values uniform in [-1, 1). */
    public GraphBuilder random(String n, long... shape) {
        inits.put(n, new Constant(NDArray.random(DType.FLOAT32, rng, shape)));
        return this;
    }

    /** A float32 constant of values in [0.5, 1.5) (variances, divisors). */
    public GraphBuilder positive(String n, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = 0.5f + rng.nextFloat();
        }
        inits.put(n, new Constant(NDArray.of(v, size)));
        return this;
    }

    public GraphBuilder constant(String n, NDArray a) {
        inits.put(n, new Constant(a));
        return this;
    }

    public GraphBuilder node(String op, List<String> ins, String out, Map<String, Attribute> attrs) {
        nodes.add(new Node(out + "_node", op, ins, List.of(out), attrs));
        return this;
    }

    public GraphBuilder node(String op, List<String> ins, String out) {
        return node(op, ins, out, Map.of());
    }

    public Graph build(String... outputs) {
        TypeInference.Result r = TypeInference.infer(17, inputs, inits, nodes, Map.of(), 0);
        return new Graph(name, 17, inputs, inits, nodes, List.of(outputs), r.types());
    }

    public static Attribute ints(long... v) {
        return new Attribute.Ints(java.util.Arrays.stream(v).boxed().toList());
    }

    /** conv(3x3, pad 1) + bias + BatchNormalization + Relu, twice, global average pool, flatten, Gemm. */
    public static Graph smallCnn(long seed) {
        GraphBuilder b = new GraphBuilder("cnn", seed).input("x", 1, 3, 8, 8);
        String in = "x";
        long c = 3;
        for (int i = 0; i < 2; i++) {
            String p = "c" + i;
            b.random(p + "_w", 4, c, 3, 3).random(p + "_b", 4).random(p + "_scale", 4).random(p + "_bias", 4)
                    .random(p + "_mean", 4).positive(p + "_var", 4);
            b.node("Conv", List.of(in, p + "_w", p + "_b"), p + "_conv", Map.of("pads", ints(1, 1, 1, 1)));
            b.node("BatchNormalization", List.of(p + "_conv", p + "_scale", p + "_bias", p + "_mean", p + "_var"),
                    p + "_bn");
            b.node("Relu", List.of(p + "_bn"), p + "_relu");
            in = p + "_relu";
            c = 4;
        }
        b.random("fc_w", 5, 4).random("fc_b", 5);
        b.node("GlobalAveragePool", List.of(in), "gap");
        b.node("Flatten", List.of("gap"), "flat");
        b.node("Gemm", List.of("flat", "fc_w", "fc_b"), "y", Map.of("transB", new Attribute.Int(1)));
        return b.build("y");
    }

    /** MatMul + bias + Relu, MatMul + bias, Softmax: an MLP of batch {@code n}. */
    public static Graph mlp(long seed, long n) {
        return new GraphBuilder("mlp", seed).input("x", n, 32).random("w1", 32, 64).random("b1", 64)
                .random("w2", 64, 16).random("b2", 16)
                .node("MatMul", List.of("x", "w1"), "h").node("Add", List.of("h", "b1"), "hb")
                .node("Relu", List.of("hb"), "ha").node("MatMul", List.of("ha", "w2"), "o")
                .node("Add", List.of("o", "b2"), "ob").node("Softmax", List.of("ob"), "y", Map.of("axis", new Attribute.Int(1)))
                .build("y");
    }

    public Random rng() {
        return rng;
    }
}
