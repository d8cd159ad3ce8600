package dev.lathe.tir;

import dev.lathe.ir.Var;
import dev.lathe.te.Tensor;

import java.util.List;

/**
 * A lowered kernel: its tensor parameters (inputs then outputs), the size variables it takes
 * as integer arguments, and its body.
 */
public record PrimFunc(String name, List<Tensor> params, List<Var> sizeVars, Stmt body) {
    public PrimFunc {
        params = List.copyOf(params);
        sizeVars = List.copyOf(sizeVars);
    }

    @Override
    public String toString() {
        return TirPrinter.print(this);
    }
}
