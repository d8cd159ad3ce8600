package dev.lathe.graph.fusion;

import dev.lathe.graph.Node;

import java.util.Set;

/** How an operator may take part in fusion. */
public enum OpPattern {
    /** One output element from the same-index (or broadcast) elements of the inputs: Relu, Add, Cast... */
    ELEMENTWISE,
    /** Each output element reads a few input elements at computed positions: Reshape, Transpose, Slice... */
    INJECTIVE,
    /**
     * A compute-heavy operator whose output the element-wise and injective operators after it may
     * fuse into: convolution, matrix product, pooling, reductions, softmax, normalizations.
     */
    ANCHOR,
    /** Everything else: runs as a group of its own (shape queries, index-producing operators...). */
    OPAQUE;

    private static final Set<String> ELEMENTWISE_OPS = Set.of(
            "Abs", "Add", "And", "Cast", "CastLike", "Ceil", "Celu", "Clip", "Div", "Dropout", "Elu", "Equal", "Erf",
            "Exp", "Floor", "Gelu", "Greater", "GreaterOrEqual", "HardSigmoid", "HardSwish", "Identity", "LeakyRelu",
            "Less", "LessOrEqual", "Log", "Max", "Mean", "Min", "Mod", "Mul", "Neg", "Not", "Or", "PRelu", "Pow",
            "Reciprocal", "Relu", "Round", "Selu", "Sigmoid", "Sign", "Softplus", "Softsign", "Sqrt", "Sub", "Sum",
            "Tanh", "ThresholdedRelu", "Where", "Xor");
    private static final Set<String> INJECTIVE_OPS = Set.of(
            "Concat", "Expand", "Flatten", "Gather", "Pad", "Reshape", "Slice", "Squeeze", "Tile", "Transpose",
            "Unsqueeze");
    private static final Set<String> ANCHOR_OPS = Set.of(
            "AveragePool", "AveragePoolNhwc", "BatchNormalization", "Conv", "ConvNhwc", "ConvTranspose",
            "DepthwiseConvNhwc", "Gemm", "GlobalAveragePool", "GlobalAveragePoolNhwc", "GlobalMaxPool",
            "GlobalMaxPoolNhwc", "LayerNormalization", "LogSoftmax", "MatMul", "MaxPool", "MaxPoolNhwc", "ReduceL1", "ReduceL2",
            "ReduceLogSum", "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSum",
            "ReduceSumSquare", "Softmax");

    /** The pattern of a node; nodes with several outputs are opaque (fusing them would need multi-output groups). */
    public static OpPattern of(Node n) {
        if (n.outputs().size() != 1) {
            return OPAQUE;
        }
        String op = n.opType();
        if (ELEMENTWISE_OPS.contains(op)) {
            return ELEMENTWISE;
        }
        if (INJECTIVE_OPS.contains(op)) {
            return INJECTIVE;
        }
        return ANCHOR_OPS.contains(op) ? ANCHOR : OPAQUE;
    }

    /** Whether a node of this pattern may join a group after its producer. */
    boolean fusesAfterProducer() {
        return this == ELEMENTWISE || this == INJECTIVE;
    }
}
