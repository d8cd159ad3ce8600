package dev.lathe.graph.pass;

import dev.lathe.graph.Graph;

/**
 * The standard pipeline before compiling a network: fold constants, fold BatchNormalization into
 * Conv (and fold again), then convert convolution chains to NHWC where convolutions dominate.
 */
public final class Passes {
    private Passes() {
    }

    public static Graph optimize(Graph g) {
        Graph folded = ConstantFolding.run(g);
        Graph bn = FoldBatchNorm.run(folded);
        Graph g2 = bn == folded ? folded : ConstantFolding.run(bn);
        return LayoutToNhwc.run(g2);
    }
}
