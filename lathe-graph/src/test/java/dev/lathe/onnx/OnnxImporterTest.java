package dev.lathe.onnx;

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
import dev.lathe.graph.Graph;
import dev.lathe.graph.GraphExecutor;
import dev.lathe.graph.UnsupportedOperatorException;
import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxImporterTest {
    @TempDir
    Path dir;

    static ValueInfoProto value(String name, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            s.addDim(d instanceof String p ? TensorShapeProto.Dimension.newBuilder().setDimParam(p)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    /** A float tensor as raw little-endian bytes. */
    static TensorProto rawFloats(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(1).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    static TensorProto int64s(String name, long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(7).addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        return t.build();
    }

    static NodeProto node(String name, String op, List<String> in, List<String> out, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(in).addAllOutput(out);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    static Path write(Path dir, GraphProto g, long opset) throws IOException {
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
        Path p = dir.resolve("model.onnx");
        Files.write(p, m.toByteArray());
        return p;
    }

    float[] w = {1, -2, 0.5f, 3, 0, 1, -1, 2, 2, 1, 1, -0.5f};
    float[] b = {0.25f, -1, 2};

    /** x[N,4] · W[4,3] + b, ReLU, then reshaped to [N*3] through a shape computed in the graph. */
    GraphProto mlp() {
        return GraphProto.newBuilder().setName("mlp")
                .addInput(value("x", "N", 4))
                .addInitializer(rawFloats("W", w, 4, 3))
                .addInitializer(rawFloats("b", b, 3))
                .addInitializer(int64s("minus_one", -1))
                .addNode(node("mm", "MatMul", List.of("x", "W"), List.of("h")))
                .addNode(node("bias", "Add", List.of("h", "b"), List.of("hb")))
                .addNode(node("act", "Relu", List.of("hb"), List.of("y")))
                .addNode(node("flat", "Reshape", List.of("y", "minus_one"), List.of("out")))
                .addOutput(value("out", "M"))
                .build();
    }

    @Test
    void importsTypesAndPrintsAModelWithASymbolicBatch() throws IOException {
        Graph g = OnnxImporter.load(write(dir, mlp(), 17));
        assertEquals(17, g.opset());
        assertEquals("float32[N,4]", g.inputs().getFirst().type().toString());
        assertEquals("float32[N,3]", g.type("y").toString());
        assertEquals("float32[N * 3]", g.type("out").toString().replace("(", "").replace(")", ""));
        assertTrue(g.toString().contains("y: float32[N,3] = Relu(hb)  # act"), g.toString());
    }

    @Test
    void runsTheModelForTwoBatchSizes() throws IOException {
        Graph g = OnnxImporter.load(write(dir, mlp(), 17));
        GraphExecutor ex = GraphExecutor.of(g);
        Random rng = new Random(7);
        for (int n : new int[]{2, 5}) {
            NDArray x = NDArray.random(DType.FLOAT32, rng, n, 4);
            NDArray out = ex.run(Map.of("x", x)).get("out");
            assertArrayEquals(new long[]{n * 3L}, out.shape());
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = b[j];
                    for (int k = 0; k < 4; k++) {
                        s += x.getDouble(i * 4L + k) * w[k * 3 + j];
                    }
                    assertEquals(Math.max(0, s), out.getDouble(i * 3L + j), 1e-5, "n=" + n + " at " + i + "," + j);
                }
            }
        }
    }

    @Test
    void staticModeSchedulesGiveTheSameResults() throws IOException {
        Graph g = OnnxImporter.load(write(dir, mlp(), 17));
        NDArray x = NDArray.random(DType.FLOAT32, new Random(3), 8, 4);
        float[] plain = GraphExecutor.of(g).run(Map.of("x", x)).get("out").toFloatArray();
        float[] scheduled = GraphExecutor.staticMode(g).run(Map.of("x", x)).get("out").toFloatArray();
        assertArrayEquals(plain, scheduled, 1e-5f);
    }

    @Test
    void inputsOfTheWrongShapeOrTypeAreRefusedByName() throws IOException {
        GraphExecutor ex = GraphExecutor.of(OnnxImporter.load(write(dir, mlp(), 17)));
        var wrongDim = assertThrows(IllegalArgumentException.class,
                () -> ex.run(Map.of("x", NDArray.zeros(DType.FLOAT32, 2, 5))));
        assertTrue(wrongDim.getMessage().contains("input 'x' must be float32[N,4]"), wrongDim.getMessage());
        var wrongType = assertThrows(IllegalArgumentException.class,
                () -> ex.run(Map.of("x", NDArray.zeros(DType.FLOAT64, 2, 4))));
        assertTrue(wrongType.getMessage().contains("got float64[2, 4]"), wrongType.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> ex.run(Map.of()));
        assertTrue(missing.getMessage().contains("missing input 'x'"), missing.getMessage());
    }

    /** y = Reshape(x, Concat(Shape(x)[0:1], [-1])) with a symbolic batch and no declared intermediate types. */
    @Test
    void shapeComputedFromASymbolicBatchIsKnownAtRunTime() throws IOException {
        GraphProto g = GraphProto.newBuilder().setName("dyn")
                .addInput(value("x", "N", 2, 3))
                .addInitializer(int64s("zero", 0))
                .addInitializer(int64s("one", 1))
                .addInitializer(int64s("minus_one", -1))
                .addNode(node("shape", "Shape", List.of("x"), List.of("s")))
                .addNode(node("slice", "Slice", List.of("s", "zero", "one"), List.of("batch")))
                .addNode(node("cat", "Concat", List.of("batch", "minus_one"), List.of("target"),
                        AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(0).build()))
                .addNode(node("reshape", "Reshape", List.of("x", "target"), List.of("y")))
                .addNode(node("act", "Relu", List.of("y"), List.of("z")))
                .addOutput(ValueInfoProto.newBuilder().setName("z").setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(1))).build())
                .build();
        Graph graph = OnnxImporter.load(write(dir, g, 17));
        assertEquals("float32[y_d0,y_d1]", graph.type("y").toString());
        NDArray x = NDArray.random(DType.FLOAT32, new Random(1), 3, 2, 3);
        NDArray z = GraphExecutor.of(graph).run(Map.of("x", x)).get("z");
        assertArrayEquals(new long[]{3, 6}, z.shape());
        for (int i = 0; i < 18; i++) {
            assertEquals(Math.max(0, x.getDouble(i)), z.getDouble(i));
        }
    }

    @Test
    void unsupportedOperatorNamesOpAndNode() throws IOException {
        GraphProto g = GraphProto.newBuilder().setName("g").addInput(value("x", 2))
                .addNode(node("det_3", "Det", List.of("x"), List.of("y"))).addOutput(value("y")).build();
        var e = assertThrows(UnsupportedOperatorException.class, () -> OnnxImporter.load(write(dir, g, 13)));
        assertTrue(e.getMessage().contains("Det node 'det_3'"), e.getMessage());
    }

    @Test
    void softmaxOfAnOldOpsetIsRefusedWithTheReason() throws IOException {
        GraphProto g = GraphProto.newBuilder().setName("g").addInput(value("x", 2, 3))
                .addNode(node("sm", "Softmax", List.of("x"), List.of("y"))).addOutput(value("y", 2, 3)).build();
        var e = assertThrows(UnsupportedOperatorException.class, () -> OnnxImporter.load(write(dir, g, 11)));
        assertTrue(e.getMessage().contains("opset 11") && e.getMessage().contains("from opset 13"), e.getMessage());
    }

    @Test
    void aFileThatIsNoModelIsReportedAsSuch() throws IOException {
        Path p = dir.resolve("junk.onnx");
        Files.writeString(p, "not a protobuf at all \u0000\u00ff");
        var e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.load(p));
        assertTrue(e.getMessage().contains("junk.onnx"), e.getMessage());
    }

    @Test
    void tensorProtosReadRawAndTypedData() throws IOException {
        NDArray raw = TensorProtos.toArray(rawFloats("r", new float[]{1.5f, -2}, 2));
        assertArrayEquals(new float[]{1.5f, -2}, raw.toFloatArray());
        NDArray typed = TensorProtos.toArray(int64s("i", 4, -5, 6));
        assertArrayEquals(new long[]{4, -5, 6}, typed.toLongArray());
        Path p = dir.resolve("t.pb");
        Files.write(p, int64s("i", 9).toByteArray());
        assertArrayEquals(new long[]{9}, TensorProtos.read(p).toLongArray());
        var e = assertThrows(OnnxFormatException.class, () -> TensorProtos.toArray(
                TensorProto.newBuilder().setName("s").setDataType(8).build()));
        assertTrue(e.getMessage().contains("tensor 's'"), e.getMessage());
    }
}
