package dev.lathe.te;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;

import java.util.List;

/**
 * A node of the declared graph: a placeholder (an input) or a compute. Operations have
 * identity: two placeholders with equal names and shapes are still two inputs.
 */
public sealed interface Operation permits PlaceholderOp, ComputeOp {
    String name();

    /** The shape of every output. */
    List<Expr> shape();

    int numOutputs();

    DType dtype(int valueIndex);

    /** The tensors this operation reads, in order of first appearance. */
    List<Tensor> inputs();

    default Tensor output(int valueIndex) {
        return new Tensor(this, valueIndex);
    }
}
