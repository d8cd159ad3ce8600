package dev.lathe.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.lathe.graph.Attribute;
import dev.lathe.graph.Constant;
import dev.lathe.graph.Dim;
import dev.lathe.graph.Graph;
import dev.lathe.graph.Node;
import dev.lathe.graph.OnnxTypes;
import dev.lathe.graph.OpTable;
import dev.lathe.graph.TensorType;
import dev.lathe.graph.TypeInference;
import dev.lathe.graph.UnsupportedOperatorException;
import dev.lathe.graph.Value;
import dev.lathe.ir.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX model into a typed {@link Graph}. Symbolic dimensions ({@code dim_param}) become
 * size variables of that name (sanitized to an identifier); a dimension with neither a value nor a
 * name gets a fresh one. Every node's operator must be in {@link OpTable}.
 */
public final class OnnxImporter {
    /** The oldest default-domain opset read; see {@link OpTable#OLDEST_OPSET} for which operators need a newer one. */
    public static final int MIN_OPSET = OpTable.OLDEST_OPSET;

    private final Map<String, Dim> symbols = new HashMap<>();

    private OnnxImporter() {
    }

    /** Loads and types the model in a file. */
    public static Graph load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new OnnxFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(file + " is not an ONNX model: " + e.getMessage(), e);
        }
        return fromModel(model, file.getFileName().toString());
    }

    /** Types and converts a parsed model. */
    public static Graph fromModel(ModelProto model, String what) {
        int opset = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        if (opset < MIN_OPSET) {
            throw new OnnxFormatException(what + " imports opset " + opset + " of the default domain; it must import "
                    + "the default domain (opset 13 or later; older ones where each operator is defined as in 13)");
        }
        return new OnnxImporter().convert(model.getGraph(), opset);
    }

    private Graph convert(GraphProto g, int opset) {
        Map<String, Constant> inits = new LinkedHashMap<>();
        g.getInitializerList().forEach(t -> inits.put(t.getName(), new Constant(TensorProtos.toArray(t))));
        List<Value> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!inits.containsKey(v.getName())) {
                inputs.add(new Value(v.getName(), type(v)));
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            nodes.add(node(g.getNode(i), i));
        }
        for (Node n : nodes) {
            OpTable.of(n, opset); // fails naming the first unsupported operator and its node
        }
        Map<String, TensorType> declared = new HashMap<>();
        for (ValueInfoProto v : g.getValueInfoList()) {
            declaredType(v, declared);
        }
        for (ValueInfoProto v : g.getOutputList()) {
            declaredType(v, declared);
        }
        TypeInference.Result r = TypeInference.infer(opset, inputs, inits, nodes, declared, TypeInference.FOLD_LIMIT);
        List<String> outputs = g.getOutputList().stream().map(ValueInfoProto::getName).toList();
        return new Graph(g.getName().isEmpty() ? "graph" : g.getName(), opset, inputs, inits, nodes, outputs, r.types());
    }

    private void declaredType(ValueInfoProto v, Map<String, TensorType> declared) {
        if (v.getType().hasTensorType() && v.getType().getTensorType().hasShape()) {
            try {
                declared.put(v.getName(), type(v));
            } catch (OnnxFormatException e) {
                // An undeclarable type only matters if inference needs it, which then reports the value.
            }
        }
    }

    private Node node(NodeProto p, int index) {
        String name = p.getName().isEmpty() ? p.getOpType() + "_" + index : p.getName();
        if (!p.getDomain().isEmpty() && !p.getDomain().equals("ai.onnx")) {
            Node n = new Node(name, p.getOpType(), p.getInputList(), p.getOutputList(), Map.of());
            throw new UnsupportedOperatorException(n, "operator domain '" + p.getDomain() + "'");
        }
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        for (AttributeProto a : p.getAttributeList()) {
            Attribute v = attribute(a);
            if (v != null) {
                attrs.put(a.getName(), v);
            }
        }
        return new Node(name, p.getOpType(), p.getInputList(), p.getOutputList(), attrs);
    }

    /** An attribute as a typed value; graph and sparse attributes (unused by supported operators) are dropped. */
    private static Attribute attribute(AttributeProto a) {
        return switch (a.getType()) {
            case INT -> new Attribute.Int(a.getI());
            case FLOAT -> new Attribute.Float(a.getF());
            case STRING -> new Attribute.Str(a.getS().toStringUtf8());
            case INTS -> new Attribute.Ints(a.getIntsList());
            case FLOATS -> new Attribute.Floats(a.getFloatsList().stream().map(Float::doubleValue).toList());
            case STRINGS -> new Attribute.Strs(a.getStringsList().stream().map(s -> s.toStringUtf8()).toList());
            case TENSOR -> new Attribute.TensorValue(new Constant(TensorProtos.toArray(a.getT())));
            default -> null;
        };
    }

    private TensorType type(ValueInfoProto v) {
        TypeProto t = v.getType();
        if (!t.hasTensorType()) {
            throw new OnnxFormatException("value '" + v.getName() + "' is not a tensor (sequences, maps and "
                    + "optionals are not supported)");
        }
        DType dtype = OnnxTypes.dtypeOrNull(t.getTensorType().getElemType());
        if (dtype == null) {
            throw new OnnxFormatException("value '" + v.getName() + "' has ONNX element type "
                    + t.getTensorType().getElemType() + ", which Lathe does not support");
        }
        List<Dim> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : t.getTensorType().getShape().getDimList()) {
            if (d.hasDimValue()) {
                dims.add(Dim.of(d.getDimValue()));
            } else {
                String sym = d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "d" + symbols.size();
                dims.add(symbols.computeIfAbsent(sym, s -> Dim.sym(identifier(s))));
            }
        }
        return new TensorType(dtype, dims);
    }

    private static String identifier(String s) {
        String id = s.replaceAll("[^A-Za-z0-9_]", "_");
        return (Character.isDigit(id.charAt(0)) ? "_" + id : id).substring(0, Math.min(id.length(), 60));
    }
}
