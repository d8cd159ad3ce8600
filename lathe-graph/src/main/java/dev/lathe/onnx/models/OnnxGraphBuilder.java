package dev.lathe.onnx.models;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

/**
 * Writes an ONNX graph node by node: float32 inputs and outputs of literal shape, initializers
 * drawn from a seeded generator, and nodes whose outputs are named after the node. The same seed
 * gives the same model, byte for byte.
 */
public final class OnnxGraphBuilder {
    /** The opset the generated models declare: LayerNormalization is defined from 17 on. */
    public static final int OPSET = 17;

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;

    private final GraphProto.Builder graph;
    private final Random rng;
    private int nodes;

    public OnnxGraphBuilder(String name, long seed) {
        this.graph = GraphProto.newBuilder().setName(name);
        this.rng = new Random(seed);
    }

    /** Declares a float32 graph input. */
    public String input(String name, long... dims) {
        graph.addInput(valueInfo(name, dims));
        return name;
    }

    /** Declares a float32 graph output. */
    public void output(String name, long... dims) {
        graph.addOutput(valueInfo(name, dims));
    }

    /** A float32 initializer drawn from a normal distribution with this standard deviation and mean. */
    public String normal(String name, double mean, double std, long... dims) {
        float[] v = new float[Math.toIntExact(count(dims))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * rng.nextGaussian());
        }
        return floats(name, v, dims);
    }

    /** A float32 initializer drawn uniformly from [lo, hi). */
    public String uniform(String name, double lo, double hi, long... dims) {
        float[] v = new float[Math.toIntExact(count(dims))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
        return floats(name, v, dims);
    }

    /** A float32 initializer with these values (raw little-endian data). */
    public String floats(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(FLOAT).addAllDims(boxed(dims))
                .setRawData(ByteString.copyFrom(b.array())));
        return name;
    }

    /** A float32 scalar initializer. */
    public String scalar(String name, float v) {
        return floats(name, new float[]{v});
    }

    /** A one-dimensional int64 initializer (a shape, axes). */
    public String int64s(String name, long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(INT64).addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Adds a node with one output, named {@code <name>}; returns the output. */
    public String node(String op, String name, List<String> inputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(name);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        nodes++;
        return name;
    }

    public int nodeCount() {
        return nodes;
    }

    /** The model: IR version 8, the default operator domain at {@link #OPSET}. */
    public ModelProto model() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("lathe").setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).build();
    }

    public static AttributeProto ints(String name, long... v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(boxed(v)).build();
    }

    public static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static AttributeProto real(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    private static ValueInfoProto valueInfo(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(s))).build();
    }

    private static long count(long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    private static List<Long> boxed(long... v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }
}
