package dev.lathe.examples;

import dev.lathe.ir.DType;
import dev.lathe.measure.SearchTask;
import dev.lathe.measure.Target;
import dev.lathe.ops.sparse.Bsr;
import dev.lathe.ops.sparse.BsrTensors;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import dev.lathe.template.AnnotateValue;
import dev.lathe.template.AnnotationKind;
import dev.lathe.template.ReorderValue;
import dev.lathe.template.SplitValue;
import dev.lathe.template.Template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.lathe.te.Te.placeholder;

/**
 * The sparse variant of {@link Im2colConv2dTemplate}: the weight is a BSR matrix over
 * {@code (CO, KH·KW·CI)} with 16 × 1 blocks, and {@code C[y, co] = Σ_{blocks b of row co/16}
 * data[b, co % 16, 0] · im2col[y, indices[b]]} ({@code ops.sparse.Bsr.denseBsrT}). The reduction
 * over a block row's blocks has a data-dependent extent, so the task carries the real
 * {@code indices} and {@code indptr} (and data) as task inputs.
 * <pre>
 * {i.0, j.0 in the order of order_outer}       (j.0: a block row of 16 output channels)
 *     i.1 =>
 *         {i, j, b, c in the order of order_local, annotated by ann_local} =>
 *             @C.local = i, j // b, c          (a tile_y[2] × 16 tile)
 *         i.2, j.1:vectorize =>
 *             @C
 * </pre>
 */
public final class SparseIm2colConv2dTemplate {
    /** Block rows of the BSR weight (output channels per block). */
    public static final int BLOCK = 16;

    public static final Template TEMPLATE = (cfg, dag) -> {
        Tensor out = dag.outputs().getFirst();
        long y = ((dev.lathe.ir.IntImm) out.shape().get(0)).value();
        SplitValue ty = cfg.defineSplit("tile_y", y, 3);
        ReorderValue outer = cfg.defineReorder("order_outer", List.of("i.0", "j.0"));
        ReorderValue local = cfg.defineReorder("order_local", List.of("i", "j", "b", "c"), List.of(
                List.of("i", "j", "b", "c"), List.of("j", "i", "b", "c"), List.of("j", "b", "c", "i")));
        AnnotateValue ann = cfg.defineAnnotate("ann_local", List.of("i", "j"), AnnotationKind.NONE,
                AnnotationKind.UNROLL);
        String at = cfg.defineKnob("im2col_at", List.of("i.1", "root"));
        State s = State.initial(dag).computeInline("pad").cacheWrite("C", "local");
        s = ty.apply(s, "C", "i");
        s = s.split("C", "j", BLOCK);
        s = s.reorder("C", "i.0", "j.0", "i.1", "i.2", "j.1");
        s = outer.apply(s, "C");
        s = s.computeAt("C.local", "C", "i.1");
        s = s.reorder("C.local", local.order().toArray(String[]::new));
        s = ann.apply(s, "C.local");
        s = s.vectorize("C", "j.1");
        if (!at.equals("root")) {
            s = s.computeAt("im2col", "C", at);
        }
        return s.parallel("C", outer.order().getFirst());
    };

    private SparseIm2colConv2dTemplate() {
    }

    /** A declared problem: the DAG, its sparse weight's real arrays, and the task that carries them. */
    public record Problem(ComputeDag dag, BsrTensors weight, Map<Tensor, NDArray> arrays, SearchTask task) {
    }

    /** C1 with a 70 %-sparse weight (block-column granularity), seeded. */
    public static Problem declareC1(int threads) {
        return declare(56, 56, 64, 64, 3, 3, 1, 0.7, new Random(42), threads);
    }

    public static Problem declare(int h, int w, int ci, int co, int kh, int kw, int pad, double sparsity, Random rng,
                                  int threads) {
        if (co % BLOCK != 0) {
            throw new IllegalArgumentException("CO " + co + " must be a multiple of the block " + BLOCK);
        }
        int k = kh * kw * ci;
        int blockRows = co / BLOCK;
        List<Integer> indices = new ArrayList<>();
        int[] indptr = new int[blockRows + 1];
        for (int br = 0; br < blockRows; br++) {
            for (int col = 0; col < k; col++) {
                if (rng.nextDouble() >= sparsity) {
                    indices.add(col);
                }
            }
            indptr[br + 1] = indices.size();
        }
        int nnzb = indices.size();
        Tensor input = placeholder(List.of(1, h, w, ci), DType.FLOAT32, "data");
        BsrTensors wt = BsrTensors.placeholders(co, k, BLOCK, 1, nnzb, "W");
        Tensor conv = Bsr.denseBsrT(Im2colConv2dTemplate.im2col(input, kh, kw, pad), wt, "C");
        ComputeDag dag = ComputeDag.of(conv);
        Map<Tensor, NDArray> arrays = new LinkedHashMap<>();
        arrays.put(wt.data(), NDArray.random(DType.FLOAT32, rng, nnzb, BLOCK, 1));
        arrays.put(wt.indices(), NDArray.of(indices.stream().mapToInt(Integer::intValue).toArray(), nnzb));
        arrays.put(wt.indptr(), NDArray.of(indptr, blockRows + 1));
        return new Problem(dag, wt, arrays, new SearchTask(dag, Target.host(), threads, arrays));
    }
}
