package dev.lathe.graph;

import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a lowering sees of one node: its attributes, a placeholder tensor per present input, and
 * the values of inputs known at compile time (initializers, folded constants, specialized inputs).
 * Output tensors are named {@code y0, y1, ...}; stages a lowering adds are named after them.
 */
public final class LowerContext {
    private final Node node;
    private final int opset;
    private final List<Tensor> inputs;
    private final List<Constant> known;
    private final String outPrefix;

    LowerContext(Node node, int opset, List<Tensor> inputs, List<Constant> known) {
        this(node, opset, inputs, known, "y");
    }

    /** {@code outPrefix} names the outputs; fused nodes get distinct prefixes so a DAG's stage names stay unique. */
    LowerContext(Node node, int opset, List<Tensor> inputs, List<Constant> known, String outPrefix) {
        this.outPrefix = outPrefix;
        this.node = node;
        this.opset = opset;
        this.inputs = Collections.unmodifiableList(new ArrayList<>(inputs));
        this.known = Collections.unmodifiableList(new ArrayList<>(known));
    }

    public Node node() {
        return node;
    }

    public int opset() {
        return opset;
    }

    public int inputCount() {
        return inputs.size();
    }

    public boolean has(int i) {
        return i < inputs.size() && inputs.get(i) != null;
    }

    /** The tensor of a required input. */
    public Tensor in(int i) {
        if (!has(i)) {
            throw new IllegalArgumentException(node.label() + " needs input " + i + " but it is absent");
        }
        return inputs.get(i);
    }

    /** The compile-time value of an input; throws {@link ValueNeededException} when it is only known at run time. */
    public Constant value(int i) {
        Constant c = i < known.size() ? known.get(i) : null;
        if (c == null) {
            throw new ValueNeededException(node, i);
        }
        return c;
    }

    /** The values of an optional integer-list input, or null when the input is absent. */
    public long[] longsOrNull(int i) {
        return has(i) ? value(i).longs() : null;
    }

    /** Name of output k. */
    public String out(int k) {
        return outPrefix + k;
    }

    public UnsupportedOperatorException unsupported(String what) {
        return new UnsupportedOperatorException(node, what);
    }
}
