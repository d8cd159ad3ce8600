package dev.lathe.lower;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.ir.IterVar;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static dev.lathe.te.Te.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ScheduleLoweringTest {
    private static ComputeDag matmul(int m, int n, int k) {
        Tensor a = placeholder(List.of(m, k), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(k, n), DType.FLOAT32, "B");
        IterVar r = reduceAxis(0, k, "k");
        return ComputeDag.of(compute(List.of(m, n), (i, j) -> sum(a.get(i, r).mul(b.get(r, j)), r), "C"));
    }

    /** Builds the scheduled DAG and checks it against the reference evaluator. */
    static void check(ComputeDag dag, UnaryOperator<State> schedule) {
        State s = schedule.apply(State.initial(dag));
        Module m = Build.build(s, "k");
        Random rng = new Random(7);
        Map<Tensor, NDArray> inputs = new LinkedHashMap<>();
        List<NDArray> args = new ArrayList<>();
        for (Tensor t : dag.arguments()) {
            if (dag.outputs().contains(t)) {
                continue;
            }
            long[] shape = t.shape().stream().mapToLong(e -> ((dev.lathe.ir.IntImm) e).value()).toArray();
            NDArray x = NDArray.random(t.dtype(), rng, shape);
            inputs.put(t, x);
            args.add(x);
        }
        Map<Tensor, NDArray> expected = ReferenceEvaluator.evaluate(dag, inputs);
        List<NDArray> outs = new ArrayList<>();
        for (Tensor t : s.dag().outputs()) {
            long[] shape = t.shape().stream().mapToLong(e -> ((dev.lathe.ir.IntImm) e).value()).toArray();
            NDArray o = NDArray.zeros(t.dtype(), shape);
            outs.add(o);
            args.add(o);
        }
        m.call(args.toArray(NDArray[]::new));
        for (int i = 0; i < outs.size(); i++) {
            NDArray want = expected.get(dag.outputs().get(i));
            NDArray got = outs.get(i);
            for (long e = 0; e < want.size(); e++) {
                double w = want.getDouble(e);
                assertEquals(w, got.getDouble(e), 1e-4 + 1e-4 * Math.abs(w), "element " + e + "\n" + m.source());
            }
        }
    }

    /**
     * A reduction over the entries of a block of 4 rows (bounds from indptr[i / 4]) in an accumulator
     * tile of 2 rows computed at the consumer: split by 2, the tile's block row is floordiv(i.0, 2),
     * so the data-dependent loop may sit outside the tile's rows, and its bounds, lowered inside the
     * consumer's loops, depend on those loops only.
     */
    @Test
    void dataDependentReductionOutsideTheRowsOfAComputedAtTile() {
        int rows = 16, n = 8;
        int[] ptr = {0, 3, 3, 7, 12};
        Tensor indptr = placeholder(List.of(5), DType.INT32, "indptr");
        Tensor data = placeholder(List.of(12), DType.FLOAT32, "data");
        Tensor b = placeholder(List.of(12, n), DType.FLOAT32, "B");
        Tensor c = compute(List.of(rows, n), (i, j) -> {
            IterVar k = reduceAxis(indptr.get(i.floordiv(4)).cast(DType.INT64),
                    indptr.get(i.floordiv(4).add(1)).cast(DType.INT64), "k");
            return sum(data.get(k).mul(i.add(1).cast(DType.FLOAT32)).mul(b.get(k, j)), k);
        }, "C");
        State s = State.initial(ComputeDag.of(c)).cacheWrite("C", "local")
                .split("C", "i", 2, 2).reorder("C", "i.0", "j", "i.1", "i.2")
                .computeAt("C.local", "C", "i.1")
                .split("C.local", "i", 2).reorder("C.local", "i.0", "k", "i.1", "j");
        Module m = Build.build(s, "blocks");
        Random rng = new Random(3);
        NDArray dv = NDArray.random(DType.FLOAT32, rng, 12);
        NDArray bv = NDArray.random(DType.FLOAT32, rng, 12, n);
        NDArray out = NDArray.zeros(DType.FLOAT32, rows, n);
        m.call(NDArray.of(ptr, 5), dv, bv, out);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                double want = 0;
                for (int k = ptr[i / 4]; k < ptr[i / 4 + 1]; k++) {
                    want += dv.getDouble(k) * (i + 1) * bv.getDouble((long) k * n + j);
                }
                assertEquals(want, out.getDouble((long) i * n + j), 1e-4 + 1e-4 * Math.abs(want), "C[" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void initialStateMatchesTheReference() {
        check(matmul(7, 5, 3), s -> s);
    }

    @Test
    void divisibleTiling() {
        check(matmul(32, 16, 8), s -> s.split("C", "i", 8, 2).split("C", "j", 4)
                .reorder("C", "i.0", "j.0", "i.1", "k", "i.2", "j.1"));
    }

    @Test
    void nonDivisibleSplitsAreGuarded() {
        check(matmul(13, 11, 7), s -> s.split("C", "i", 4).split("C", "j", 3).split("C", "k", 2)
                .reorder("C", "i.0", "j.0", "k.0", "i.1", "k.1", "j.1"));
    }

    @Test
    void fusedParallelOuterLoops() {
        check(matmul(12, 10, 4), s -> s.split("C", "i", 4).split("C", "j", 5)
                .reorder("C", "i.0", "j.0", "i.1", "j.1", "k")
                .fuse("C", "i.0", "j.0").parallel("C", "i.0@j.0"));
    }

    @Test
    void splitByParts() {
        check(matmul(10, 9, 5), s -> s.splitParts("C", "j", 4));
    }

    @Test
    void computeAtAConsumerThroughAnInlinedStage() {
        // matmul → + bias (inlined) → relu: the matmul is computed per tile of relu, which reads it
        // only through the inlined bias stage (the fused epilogue of a tiled GEMM).
        Tensor a = placeholder(List.of(20, 12), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(12, 18), DType.FLOAT32, "B");
        Tensor bias = placeholder(List.of(18), DType.FLOAT32, "bias");
        IterVar r = reduceAxis(0, 12, "k");
        Tensor c = compute(List.of(20, 18), (i, j) -> sum(a.get(i, r).mul(b.get(r, j)), r), "C");
        Tensor d = compute(List.of(20, 18), (i, j) -> c.get(i, j).add(bias.get(j)), "D");
        Tensor e = compute(List.of(20, 18), (i, j) -> select(d.get(i, j).gt(0.0f), d.get(i, j), 0.0f), "E");
        ComputeDag dag = ComputeDag.of(e);
        check(dag, s -> s.computeInline("D").split("E", "i", 8).split("E", "j", 4)
                .reorder("E", "i.0", "j.0", "i.1", "j.1").computeAt("C", "E", "j.0"));
        check(dag, s -> s.computeInline("D").split("E", "j", 8).computeAt("C", "E", "i").vectorize("E", "j.1"));
    }

    @Test
    void computeAtAndInline() {
        Tensor x = placeholder(List.of(10, 12), DType.FLOAT32, "X");
        Tensor pad = compute(List.of(12, 14), (i, j) -> ifThenElse(
                i.ge(1).and(i.lt(11)).and(j.ge(1)).and(j.lt(13)), x.get(i.sub(1), j.sub(1)), 0.0f), "pad");
        Tensor sq = compute(List.of(12, 14), (i, j) -> pad.get(i, j).mul(pad.get(i, j)), "sq");
        IterVar di = reduceAxis(0, 3, "di");
        IterVar dj = reduceAxis(0, 3, "dj");
        Tensor box = compute(List.of(10, 12), (i, j) -> sum(sq.get(i.add(di), j.add(dj)), di, dj), "box");
        ComputeDag dag = ComputeDag.of(box);
        check(dag, s -> s.computeInline("pad").split("box", "i", 4).split("box", "j", 5)
                .reorder("box", "i.0", "j.0", "i.1", "j.1", "di", "dj")
                .computeAt("sq", "box", "j.0"));
        check(dag, s -> s.computeAt("pad", "sq", "i").computeAt("sq", "box", "i"));
    }

    @Test
    void cacheWriteComputedAtATile() {
        check(matmul(16, 24, 8), s -> s.cacheWrite("C", "local")
                .split("C", "i", 4).split("C", "j", 8).reorder("C", "i.0", "j.0", "i.1", "j.1")
                .computeAt("C.local", "C", "j.0")
                .split("C.local", "k", 2).reorder("C.local", "k.0", "i", "k.1", "j"));
    }

    @Test
    void cacheReadComputedAtAnOuterLoop() {
        check(matmul(8, 12, 10), s -> s.cacheRead("B", "shared", "C")
                .split("C", "j", 4).reorder("C", "j.0", "i", "j.1", "k")
                .computeAt("B.shared", "C", "j.0"));
    }

    @Test
    void rfactorOfASplitReduction() {
        Tensor x = placeholder(List.of(6, 40), DType.FLOAT32, "X");
        IterVar k = reduceAxis(0, 40, "k");
        ComputeDag dag = ComputeDag.of(compute(List.of(6), i -> sum(x.get(i, k), k), "S"));
        check(dag, s -> s.split("S", "k", 8).rfactor("S", "k.1", 1));
        check(dag, s -> s.split("S", "k", 7).rfactor("S", "k.0", 0));
        check(dag, s -> s.rfactor("S", "k", 0));
    }

    @Test
    void reductionToAScalarAndATwoElementProduct() {
        Tensor x = placeholder(List.of(2), DType.FLOAT32, "X");
        IterVar k = reduceAxis(0, 2, "k");
        check(ComputeDag.of(computeN(List.of(), v -> prod(x.get(k), k), "P")), s -> s);
        check(ComputeDag.of(computeN(List.of(), v -> prod(x.get(k), k), "P")), s -> s.split("P", "k", 1));
    }

    @Test
    void unrollPragmasAndAnnotations() {
        check(matmul(8, 8, 4), s -> s.split("C", "j", 4).unroll("C", "j.1"));
        check(matmul(8, 8, 4), s -> s.split("C", "j", 4).pragma("C", "auto_unroll_max_step", 16));
        check(matmul(8, 8, 4), s -> s.split("C", "j", 4).pragma("C", "auto_unroll_max_step", 16)
                .pragma("C", "unroll_explicit", 1));
    }

    @Test
    void vectorizedInnermostLoop() {
        check(matmul(8, 32, 4), s -> s.split("C", "j", 16).reorder("C", "i", "j.0", "k", "j.1").vectorize("C", "j.1"));
    }

    @Test
    void storageAlignPadsTheRowStrideOfAnIntermediate() {
        Tensor x = placeholder(List.of(6, 16), DType.FLOAT32, "X");
        Tensor t = compute(List.of(6, 16), (i, j) -> x.get(i, j).mul(2.0f), "T");
        Tensor y = compute(List.of(6, 16), (i, j) -> t.get(i, j).add(1.0f), "Y");
        ComputeDag dag = ComputeDag.of(y);
        UnaryOperator<State> align = s -> s.storageAlign("T", 0, 16, 4);
        check(dag, align);
        String c = Build.build(align.apply(State.initial(dag)), "k").source();
        org.junit.jupiter.api.Assertions.assertTrue(c.contains("T[i * 20 + j]"), c);
        check(dag, s -> s.computeAt("T", "Y", "i").storageAlign("T", 0, 8, 1));
        org.junit.jupiter.api.Assertions.assertThrows(dev.lathe.schedule.ScheduleException.class,
                () -> Build.lower(State.initial(dag).storageAlign("Y", 0, 16, 4), "k"));
    }

    @Test
    void replayedStepsGiveIdenticalC() {
        State s = State.initial(matmul(24, 20, 12)).split("C", "i", 4).split("C", "j", 8)
                .reorder("C", "i.0", "j.0", "k", "i.1", "j.1").vectorize("C", "j.1").parallel("C", "i.0");
        String json = dev.lathe.schedule.StepJson.write(s);
        State again = dev.lathe.schedule.StepJson.replay(matmul(24, 20, 12), json);
        assertEquals(Build.build(s, "k").source(), Build.build(again, "k").source());
    }
}
