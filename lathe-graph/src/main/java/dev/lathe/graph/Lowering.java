package dev.lathe.graph;

import dev.lathe.te.Tensor;

import java.util.List;

/** The compute declaration of one operator: output tensors (one per node output) from a node's context. */
@FunctionalInterface
public interface Lowering {
    List<Tensor> lower(LowerContext ctx);
}
