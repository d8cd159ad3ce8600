package dev.lathe.graph;

import dev.lathe.ir.DType;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.PlaceholderOp;
import dev.lathe.te.Tensor;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Types every value of a node list from the input types, by lowering each node and reading the
 * types of its output tensors. Nodes whose inputs are all known and whose outputs are small (shape
 * arithmetic: Shape, Gather on shapes, Concat of dims...) are evaluated on the spot, so a Reshape
 * fed by them sees a constant target shape.
 */
public final class TypeInference {
    /** Outputs up to this many elements are evaluated when their inputs are known. */
    public static final long FOLD_LIMIT = 4096;

    /** The types of all values, and the values folded to constants (initializers included). */
    public record Result(Map<String, TensorType> types, Map<String, Constant> constants) {
    }

    private TypeInference() {
    }

    /**
     * @param declared types declared for some values (ONNX value_info and graph outputs), used where
     *                 an output's shape depends on a value known only at run time
     */
    public static Result infer(int opset, List<Value> inputs, Map<String, Constant> known, List<Node> nodes,
                               Map<String, TensorType> declared, long foldLimit) {
        Map<String, TensorType> types = new LinkedHashMap<>();
        Map<String, Constant> constants = new LinkedHashMap<>(known);
        inputs.forEach(v -> types.put(v.name(), v.type()));
        known.forEach((n, c) -> types.put(n, c.type()));
        for (Node node : nodes) {
            if (node.opType().equals("Constant")) {
                Constant c = ConstantOp.value(node);
                types.put(node.outputs().getFirst(), c.type());
                constants.put(node.outputs().getFirst(), c);
                continue;
            }
            NodeLowering low;
            try {
                low = NodeLowering.of(node, opset, types, constants);
            } catch (ValueNeededException e) {
                for (String out : node.outputs()) {
                    TensorType t = declared.get(out);
                    if (t == null) {
                        t = runtimeShaped(node, types);
                    }
                    if (t == null) {
                        throw new IllegalArgumentException(e.getMessage()
                                + "; the output type is not declared either, so its shape is unknown", e);
                    }
                    types.put(out, t);
                }
                continue;
            }
            if (low.outputs().size() < node.outputs().stream().filter(o -> !o.isEmpty()).count()) {
                throw new UnsupportedOperatorException(node, node.outputs().size() + " outputs requested, the lowering gives "
                        + low.outputs().size());
            }
            for (int k = 0; k < node.outputs().size(); k++) {
                if (!node.outputs().get(k).isEmpty()) {
                    types.put(node.outputs().get(k), low.outputType(k));
                }
            }
            fold(node, low, constants, foldLimit);
        }
        return new Result(types, constants);
    }

    /**
     * The type of an output whose shape is a run-time value (Reshape, Expand, ConstantOfShape fed by
     * the Shape of a tensor with a symbolic dimension): the rank is the length of the shape operand,
     * each dimension a fresh size variable named after the output. Null for other operators.
     */
    private static TensorType runtimeShaped(Node node, Map<String, TensorType> types) {
        String shapeInput = switch (node.opType()) {
            case "Reshape", "Expand" -> node.input(1);
            case "ConstantOfShape" -> node.input(0);
            default -> null;
        };
        TensorType shape = shapeInput == null ? null : types.get(shapeInput);
        if (shape == null || shape.rank() != 1 || !(shape.shape().getFirst() instanceof Dim.Known(long rank))) {
            return null;
        }
        DType dtype = node.opType().equals("ConstantOfShape")
                ? (node.attributes().get("value") instanceof Attribute.TensorValue(Constant c) ? c.data().dtype()
                : DType.FLOAT32)
                : types.get(node.input(0)).dtype();
        String base = node.outputs().getFirst().replaceAll("[^A-Za-z0-9_]", "_");
        List<Dim> dims = new java.util.ArrayList<>();
        for (int d = 0; d < rank; d++) {
            dims.add(Dim.sym((Character.isLetter(base.charAt(0)) ? "" : "v") + base + "_d" + d));
        }
        return new TensorType(dtype, dims);
    }

    /** Evaluates the node when every input it reads is a constant and every output is small. */
    private static void fold(Node node, NodeLowering low, Map<String, Constant> constants, long limit) {
        for (int k = 0; k < low.outputs().size(); k++) {
            long n = low.outputType(k).elementCount();
            if (n < 0 || n > limit) {
                return;
            }
        }
        ComputeDag dag = ComputeDag.of(low.outputs());
        for (Tensor t : low.inputs()) {
            if (t != null && !t.shape().stream().allMatch(d -> d instanceof dev.lathe.ir.IntImm)) {
                return; // e.g. the Shape of a tensor with a symbolic dimension: known only at run time
            }
        }
        Map<Tensor, NDArray> in = new HashMap<>();
        for (PlaceholderOp p : dag.placeholders()) {
            int i = low.inputs().indexOf(p.output(0));
            Constant c = i < 0 ? null : constants.get(node.input(i));
            if (c == null) {
                return;
            }
            in.put(p.output(0), c.data());
        }
        if (low.outputs().stream().anyMatch(t -> t.dtype() == DType.FLOAT16)) {
            return;
        }
        Map<Tensor, NDArray> out = ReferenceEvaluator.evaluate(dag, in);
        for (int k = 0; k < low.outputs().size(); k++) {
            String name = node.outputs().get(k);
            if (!name.isEmpty()) {
                constants.put(name, new Constant(out.get(low.outputs().get(k))));
            }
        }
    }
}
