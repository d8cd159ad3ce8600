package dev.lathe.examples;

import dev.lathe.ir.IntImm;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.Tensor;
import dev.lathe.template.AnnotateValue;
import dev.lathe.template.AnnotationKind;
import dev.lathe.template.Knobs;
import dev.lathe.template.ReorderValue;
import dev.lathe.template.SplitValue;
import dev.lathe.template.Template;

import java.util.List;

/**
 * A matmul template (MM1: {@code C[1024, 1024] = A · B}), the tunable version of
 * {@link MatmulSchedule}:
 * <pre>
 * {i.0, j.0 in the order of knob order_outer}  (i.0 parallel)
 *     ax0, ax1:vectorize =>                     (if pack_b: a panel of B packed at j.0)
 *         @B.shared
 *     i.1, j.1 =>
 *         {k.0, k.1, i, j in the order of knob order_local, annotated by ann_i, ann_j} =>
 *             @C.local = i, j // k              (a tile_i[2] × tile_j[2] accumulator tile)
 *         i.2, j.2 (vectorized if vec_out) =>
 *             @C
 * </pre>
 * Knobs: {@code tile_i}, {@code tile_j} (3-way splits), {@code tile_k} (2-way), {@code order_outer},
 * {@code order_local}, {@code ann_i} (unroll/none for the tile's i), {@code ann_j}
 * (vectorize/unroll/none for its j: invalid when j is not innermost),
 * {@code unroll_explicit}, {@code pack_b}, {@code vec_out}.
 */
public final class MatmulTemplate {
    /** The template over any DAG whose output is a matmul-like {@code C[i, j] = Σ_k ...} named "C" reading "B". */
    public static final Template TEMPLATE = (cfg, dag) -> tileGemm(cfg, State.initial(dag), "C", "B");

    private MatmulTemplate() {
    }

    public static ComputeDag declare(int m, int n, int k) {
        return MatmulSchedule.declare(m, n, k);
    }

    /**
     * Defines the GEMM tiling knobs on output stage {@code out} (axes i, j; reduce axis k) and
     * applies them; {@code packed} is the input read as the K × N operand (packed at j.0 if pack_b).
     */
    public static State tileGemm(Knobs cfg, State s, String out, String packed) {
        ComputeOp op = (ComputeOp) s.dag().outputs().stream().filter(t -> t.name().equals(out)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no output " + out)).op();
        Tensor t = s.dag().outputs().stream().filter(x -> x.name().equals(out)).findFirst().orElseThrow();
        long m = ((IntImm) t.shape().get(0)).value();
        long n = ((IntImm) t.shape().get(1)).value();
        long k = ((IntImm) op.reduceAxes().getFirst().dom().extent()).value();
        String local = out + ".local";
        SplitValue ti = cfg.defineSplit("tile_i", m, 3);
        SplitValue tj = cfg.defineSplit("tile_j", n, 3);
        SplitValue tk = cfg.defineSplit("tile_k", k, 2);
        ReorderValue outer = cfg.defineReorder("order_outer", List.of("j.0", "i.0"));
        ReorderValue order = cfg.defineReorder("order_local", List.of("k.0", "k.1", "i", "j"), List.of(
                List.of("k.0", "k.1", "i", "j"), List.of("k.0", "i", "k.1", "j"), List.of("i", "k.0", "k.1", "j"),
                List.of("k.0", "i", "j", "k.1"), List.of("i", "j", "k.0", "k.1")));
        AnnotateValue annI = cfg.defineAnnotate("ann_i", List.of("i"), AnnotationKind.UNROLL, AnnotationKind.NONE);
        AnnotateValue annJ = cfg.defineAnnotate("ann_j", List.of("j"), AnnotationKind.VECTORIZE, AnnotationKind.UNROLL,
                AnnotationKind.NONE);
        int unrollExplicit = cfg.defineKnob("unroll_explicit", List.of(1, 0));
        boolean packB = cfg.defineKnob("pack_b", List.of(true, false));
        boolean vecOut = cfg.defineKnob("vec_out", List.of(true, false));

        s = s.cacheWrite(out, "local");
        if (packB) {
            s = s.cacheRead(packed, "shared", local);
        }
        s = ti.apply(s, out, "i");
        s = tj.apply(s, out, "j");
        s = s.reorder(out, "j.0", "i.0", "i.1", "j.1", "i.2", "j.2");
        s = outer.apply(s, out);
        s = s.computeAt(local, out, "j.1");
        if (packB) {
            s = s.computeAt(packed + ".shared", out, "j.0");
            s = s.vectorize(packed + ".shared", "ax1");
        }
        s = tk.apply(s, local, "k");
        s = s.reorder(local, order.order().toArray(String[]::new));
        s = annI.apply(s, local);
        s = annJ.apply(s, local);
        if (unrollExplicit == 1) {
            s = s.pragma(local, "unroll_explicit", 1);
        }
        if (vecOut) {
            s = s.vectorize(out, "j.2");
        }
        String firstOuter = outer.order().getFirst();
        return s.parallel(out, firstOuter);
    }
}
