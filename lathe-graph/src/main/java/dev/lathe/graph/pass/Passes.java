package dev.lathe.graph.pass;

import dev.lathe.graph.Graph;

/** The standard pipeline before compiling a network: fold constants, fold BatchNormalization into Conv, fold again. */
public final class Passes {
    private Passes() {
    }

    public static Graph optimize(Graph g) {
        Graph folded = ConstantFolding.run(g);
        Graph bn = FoldBatchNorm.run(folded);
        return bn == folded ? folded : ConstantFolding.run(bn);
    }
}
