package dev.lathe.schedule;

import dev.lathe.ir.DType;
import dev.lathe.ir.IterVar;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static dev.lathe.te.Te.*;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each primitive applied where it is invalid names the stage, the iterator and the rule broken. */
class PrimitiveRulesTest {
    private static State matmulWithBias() {
        Tensor a = placeholder(List.of(16, 8), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(8, 16), DType.FLOAT32, "B");
        IterVar k = reduceAxis(0, 8, "k");
        Tensor c = compute(List.of(16, 16), (i, j) -> sum(a.get(i, k).mul(b.get(k, j)), k), "C");
        Tensor d = compute(List.of(16, 16), (i, j) -> c.get(i, j).add(1.0f), "D");
        Tensor e = compute(List.of(16), i -> a.get(i, 0).mul(2.0f), "E");
        return State.initial(ComputeDag.of(d, e));
    }

    private static void fails(Executable ex, String... fragments) {
        ScheduleException e = assertThrows(ScheduleException.class, ex);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void computeAtIntoAStageThatDoesNotConsumeIt() {
        fails(() -> matmulWithBias().computeAt("C", "E", "i"), "compute_at", "C", "E", "does not read");
    }

    @Test
    void computeAtOfAnOutput() {
        fails(() -> matmulWithBias().computeAt("E", "D", "i"), "compute_at", "E", "output");
    }

    @Test
    void fusingNonAdjacentIterators() {
        fails(() -> matmulWithBias().fuse("C", "i", "k"), "fuse", "C", "not adjacent");
        fails(() -> matmulWithBias().reorder("C", "i", "k", "j").fuse("C", "i", "k"), "fuse", "C", "space and reduce");
    }

    @Test
    void parallelInsideAReduction() {
        fails(() -> matmulWithBias().parallel("C", "k"), "parallel", "C.k", "reduce loop");
        fails(() -> matmulWithBias().reorder("C", "k", "i", "j").parallel("C", "i"), "parallel", "C.i", "inside reduce loop k");
    }

    @Test
    void vectorizingAReduceLoop() {
        fails(() -> matmulWithBias().vectorize("C", "k"), "vectorize", "C.k", "reduce loop");
    }

    @Test
    void vectorizingADataDependentLoop() {
        Tensor indptr = placeholder(List.of(5), DType.INT32, "indptr");
        Tensor data = placeholder(List.of(10), DType.FLOAT32, "data");
        Tensor y = compute(List.of(4), i -> {
            IterVar k = reduceAxis(indptr.get(i), indptr.get(i.add(1)), "k");
            return sum(data.get(k), k);
        }, "y");
        State s = State.initial(ComputeDag.of(y));
        fails(() -> s.split("y", "k", 4), "split", "y.k", "data");
        fails(() -> s.vectorize("y", "k"), "vectorize", "y.k");
        fails(() -> s.reorder("y", "k", "i"), "reorder", "y", "loop k", "depends on loop i");
        Tensor z = compute(List.of(4), i -> {
            IterVar k = reduceAxis(indptr.get(i), indptr.get(i.add(1)), "k");
            return sum(data.get(k), k);
        }, "z");
        Tensor w = compute(List.of(4, 3), (i, j) -> z.get(i).mul(j.cast(DType.FLOAT32)), "w");
        fails(() -> State.initial(ComputeDag.of(w)).rfactor("z", "k", 0), "rfactor", "data-dependent");
    }

    @Test
    void splitAndReorderArguments() {
        fails(() -> matmulWithBias().split("C", "i", 0), "split", "C.i", "not positive");
        fails(() -> matmulWithBias().split("C", "q", 4), "C", "no loop 'q'");
        fails(() -> matmulWithBias().split("C", "i", 4).split("C", "i", 2), "C", "no loop 'i'");
        fails(() -> matmulWithBias().reorder("C", "i", "j"), "reorder", "C", "exactly once");
    }

    @Test
    void inliningAReductionOrAnOutput() {
        fails(() -> matmulWithBias().computeInline("C"), "compute_inline", "C", "reduction");
        fails(() -> matmulWithBias().computeInline("D"), "compute_inline", "D", "output");
    }

    @Test
    void cacheWriteAfterSplittingAndUnknownScope() {
        fails(() -> matmulWithBias().split("C", "i", 4).cacheWrite("C", "local"), "cache_write", "C", "before splitting");
        fails(() -> matmulWithBias().cacheWrite("C", "registers"), "scope", "registers");
    }

    @Test
    void pragmasAndStorageAlign() {
        fails(() -> matmulWithBias().pragma("C", "make_it_fast", 1), "pragma", "make_it_fast");
        fails(() -> matmulWithBias().storageAlign("C", 1, 16, 0), "storage_align", "C", "axis 1");
    }

    @Test
    void vectorizedLoopMustBeInnermostWhenLowered() {
        State s = matmulWithBias().vectorize("D", "i");
        fails(() -> dev.lathe.build.Build.lower(s, "k"), "D", "vectorized loop i", "not the innermost");
    }
}
