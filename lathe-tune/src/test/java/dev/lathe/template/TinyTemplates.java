package dev.lathe.template;

import dev.lathe.ir.DType;
import dev.lathe.measure.ErrorKind;
import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.Measurer;
import dev.lathe.measure.SearchTask;
import dev.lathe.ops.Linalg;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import static dev.lathe.te.Te.placeholder;

/** Small matmul templates and a measurer whose cost is a known function of the config. */
final class TinyTemplates {
    private TinyTemplates() {
    }

    static SearchTask matmulTask(int m, int n, int k) {
        Tensor a = placeholder(List.of(m, k), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(k, n), DType.FLOAT32, "B");
        return SearchTask.of(ComputeDag.of(Linalg.matmul(a, b, "C")));
    }

    /** Two-way splits of i, j, k, an order of the inner loops, an unroll choice. */
    static final Template SMALL = (cfg, dag) -> {
        long m = extent(dag, 0);
        long n = extent(dag, 1);
        SplitValue ti = cfg.defineSplit("tile_i", m, 2);
        SplitValue tj = cfg.defineSplit("tile_j", n, 2);
        SplitValue tk = cfg.defineSplit("tile_k", reduceExtent(dag), 2);
        ReorderValue order = cfg.defineReorder("inner", List.of("i.1", "k.1"));
        int unroll = cfg.defineKnob("unroll", List.of(0, 1));
        State s = State.initial(dag);
        s = ti.apply(s, "C", "i");
        s = tj.apply(s, "C", "j");
        s = tk.apply(s, "C", "k");
        s = s.reorder("C", "i.0", "j.0", "k.0", "i.1", "k.1", "j.1");
        s = order.apply(s, "C");
        if (unroll == 1) {
            s = s.unroll("C", "i.1");
        }
        return s;
    };

    /** Three-way splits: a space of tens of thousands of configs. */
    static final Template LARGE = (cfg, dag) -> {
        SplitValue ti = cfg.defineSplit("tile_i", extent(dag, 0), 3);
        SplitValue tj = cfg.defineSplit("tile_j", extent(dag, 1), 3);
        SplitValue tk = cfg.defineSplit("tile_k", reduceExtent(dag), 2);
        AnnotateValue ann = cfg.defineAnnotate("ann", List.of("i.2", "j.2"), AnnotationKind.NONE, AnnotationKind.UNROLL);
        State s = State.initial(dag);
        s = ti.apply(s, "C", "i");
        s = tj.apply(s, "C", "j");
        s = tk.apply(s, "C", "k");
        s = s.reorder("C", "i.0", "j.0", "i.1", "j.1", "k.0", "k.1", "i.2", "j.2");
        return ann.apply(s, "C");
    };

    static long extent(ComputeDag dag, int axis) {
        return ((dev.lathe.ir.IntImm) dag.outputs().getFirst().shape().get(axis)).value();
    }

    static long reduceExtent(ComputeDag dag) {
        var op = (dev.lathe.te.ComputeOp) dag.outputs().getFirst().op();
        return ((dev.lathe.ir.IntImm) op.reduceAxes().getFirst().dom().extent()).value();
    }

    static double log2(long x) {
        return Math.log(x) / Math.log(2);
    }

    /** SMALL's cost: minimal (1.0) at i.1 = 8, j.1 = 16, k.1 = 4, inner order (k.1, i.1), unroll on. */
    static double smallCost(Config c) {
        double cost = 1;
        cost += sq(log2(c.value("tile_i").get(1).asLong()) - 3);
        cost += sq(log2(c.value("tile_j").get(1).asLong()) - 4);
        cost += sq(log2(c.value("tile_k").get(1).asLong()) - 2);
        cost += c.value("inner").get(0).asText().equals("k.1") ? 0 : 0.3;
        cost += c.value("unroll").asInt() == 1 ? 0 : 0.5;
        return cost;
    }

    /** LARGE's cost: minimal (1.0) at i = [*, 4, 8], j = [*, 2, 32], k.1 = 8, i.2 unrolled, j.2 not. */
    static double largeCost(Config c) {
        double cost = 1;
        cost += sq(log2(c.value("tile_i").get(1).asLong()) - 2) + sq(log2(c.value("tile_i").get(2).asLong()) - 3);
        cost += sq(log2(c.value("tile_j").get(1).asLong()) - 1) + sq(log2(c.value("tile_j").get(2).asLong()) - 5);
        cost += sq(log2(c.value("tile_k").get(1).asLong()) - 3);
        cost += c.value("ann").get(0).asText().equals("unroll") ? 0 : 0.4;
        cost += c.value("ann").get(1).asText().equals("none") ? 0 : 0.4;
        return cost;
    }

    private static double sq(double x) {
        return x * x;
    }

    /** Costs from the config JSON; records every config measured and fails if one comes twice. */
    static final class FakeMeasurer implements Measurer {
        final ConfigSpace space;
        final ToDoubleFunction<Config> cost;
        final List<String> seen = new ArrayList<>();
        final Set<String> distinct = new HashSet<>();

        FakeMeasurer(ConfigSpace space, ToDoubleFunction<Config> cost) {
            this.space = space;
            this.cost = cost;
        }

        @Override
        public List<MeasureResult> measure(List<MeasureInput> inputs) {
            List<MeasureResult> out = new ArrayList<>();
            for (MeasureInput in : inputs) {
                if (!distinct.add(in.config())) {
                    throw new AssertionError("config measured twice: " + in.config());
                }
                seen.add(in.config());
                double c = cost.applyAsDouble(space.parse(in.config()));
                out.add(new MeasureResult(List.of(c), ErrorKind.NONE, "", 0, 0, 0));
            }
            return out;
        }

        @Override
        public void close() {
        }
    }
}
