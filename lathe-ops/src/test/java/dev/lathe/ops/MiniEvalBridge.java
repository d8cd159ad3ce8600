package dev.lathe.ops;

import dev.lathe.ir.Var;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.Map;
import java.util.function.Function;

/** Gives tests in other packages the test-only {@link MiniEval}, without making it part of a public surface. */
public final class MiniEvalBridge {
    private MiniEvalBridge() {
    }

    public static Function<Tensor, float[]> run(ComputeDag dag, Map<Tensor, double[]> inputs, Map<Var, Long> sizes) {
        MiniEval ev = MiniEval.run(dag, inputs, sizes);
        return ev::getFloat;
    }
}
