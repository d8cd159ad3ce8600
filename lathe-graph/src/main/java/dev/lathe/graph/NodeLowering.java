package dev.lathe.graph;

import dev.lathe.arith.Simplifier;
import dev.lathe.ir.Expr;
import dev.lathe.te.PlaceholderOp;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One node as a compute declaration: a placeholder {@code x<i>} per present input (typed from the
 * graph) and the output tensors of the operator's lowering. Outputs that are bare placeholders
 * (an operator that passes an input through) are copied so that every output is computed.
 */
public record NodeLowering(Node node, List<Tensor> inputs, List<Tensor> outputs) {

    /** Lowers a node with its inputs typed from {@code types} and the values in {@code known}. */
    public static NodeLowering of(Node node, int opset, Map<String, TensorType> types, Map<String, Constant> known) {
        List<Tensor> ins = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            String name = node.input(i);
            if (name.isEmpty()) {
                ins.add(null);
                continue;
            }
            TensorType t = types.get(name);
            if (t == null) {
                throw new IllegalArgumentException(node.label() + ": input '" + name + "' has no type");
            }
            ins.add(Te.placeholder(t.shape().stream().map(Dim::extent).toList(), t.dtype(), "x" + i));
        }
        return onto(node, opset, ins, known, "y");
    }

    /**
     * Lowers a node onto given input tensors (null for an absent input): placeholders, or the
     * outputs of nodes lowered before it when several nodes fuse into one compute declaration.
     * Output k is named {@code outPrefix + k} (stages the lowering adds are named after it).
     */
    public static NodeLowering onto(Node node, int opset, List<Tensor> ins, Map<String, Constant> known,
                                    String outPrefix) {
        OpTable.OpDef def = OpTable.of(node, opset);
        List<Constant> values = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            values.add(node.input(i).isEmpty() ? null : known.get(node.input(i)));
        }
        List<Tensor> outs;
        try {
            outs = def.lowering().lower(new LowerContext(node, opset, ins, values, outPrefix));
        } catch (UnsupportedOperatorException | ValueNeededException | InvalidGraphException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(node.label() + ": " + e.getMessage(), e);
        }
        List<Tensor> computed = new ArrayList<>();
        for (int k = 0; k < outs.size(); k++) {
            Tensor o = outs.get(k);
            computed.add(o.op() instanceof PlaceholderOp ? Te.computeN(o.shape(), o::get, outPrefix + k) : o);
        }
        return new NodeLowering(node, ins, computed);
    }

    /** The type of output k as declared by its tensor. */
    public TensorType outputType(int k) {
        Tensor t = outputs.get(k);
        return new TensorType(t.dtype(), t.shape().stream().map(e -> Dim.of(simplify(e))).toList());
    }

    private static Expr simplify(Expr e) {
        return Simplifier.simplify(e);
    }
}
