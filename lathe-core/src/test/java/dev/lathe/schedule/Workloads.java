package dev.lathe.schedule;

import dev.lathe.ir.Expr;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Var;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.List;

import static dev.lathe.ir.DType.FLOAT32;
import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.computeN;
import static dev.lathe.te.Te.constant;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.prod;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.select;
import static dev.lathe.te.Te.sum;

/** Small DAGs for schedule tests; placeholder names are parameters so that equal DAGs can be built with other names. */
final class Workloads {
    private Workloads() {
    }

    /** {@code C[i, j] = sum_k A[i, k] * B[k, j]}, all extents {@code n}. */
    static ComputeDag matmul(int n, String a, String b) {
        Tensor ta = placeholder(List.of(n, n), FLOAT32, a);
        Tensor tb = placeholder(List.of(n, n), FLOAT32, b);
        IterVar k = reduceAxis(0, n, "k");
        return ComputeDag.of(compute(List.of(n, n), (i, j) -> sum(ta.get(i, k).mul(tb.get(k, j)), k), "C"));
    }

    static ComputeDag matmul() {
        return matmul(64, "A", "B");
    }

    /** A matmul accumulated in {@code C.local} and copied to {@code C}: the shape cache_write gives. */
    static ComputeDag matmulWithLocal() {
        Tensor ta = placeholder(List.of(64, 64), FLOAT32, "A");
        Tensor tb = placeholder(List.of(64, 64), FLOAT32, "B");
        IterVar k = reduceAxis(0, 64, "k");
        Tensor local = compute(List.of(64, 64), (i, j) -> sum(ta.get(i, k).mul(tb.get(k, j)), k), "C.local");
        return ComputeDag.of(compute(List.of(64, 64), (i, j) -> local.get(i, j), "C"));
    }

    /** A 3x3 convolution of a 16x16 image zero-padded by one: stages {@code pad} and {@code conv}. */
    static ComputeDag paddedConv(String image, String weights) {
        Tensor a = placeholder(List.of(16, 16), FLOAT32, image);
        Tensor w = placeholder(List.of(3, 3), FLOAT32, weights);
        Tensor pad = computeN(List.of(18, 18), v -> {
            Var y = v.get(0);
            Var x = v.get(1);
            Expr inside = y.ge(1).and(y.lt(17)).and(x.ge(1)).and(x.lt(17));
            return select(inside, a.get(y.sub(1), x.sub(1)), constant(0, FLOAT32));
        }, "pad", List.of("py", "px"));
        IterVar ry = reduceAxis(0, 3, "ry");
        IterVar rx = reduceAxis(0, 3, "rx");
        Tensor conv = computeN(List.of(16, 16),
                v -> sum(pad.get(v.get(0).add(ry), v.get(1).add(rx)).mul(w.get(ry, rx)), ry, rx),
                "conv", List.of("y", "x"));
        return ComputeDag.of(conv);
    }

    /** {@code B = A * 2; C = B + 1} over 8x8. */
    static ComputeDag elementwiseChain() {
        Tensor a = placeholder(List.of(8, 8), FLOAT32, "A");
        Tensor b = compute(List.of(8, 8), (i, j) -> a.get(i, j).mul(2.0f), "B");
        return ComputeDag.of(compute(List.of(8, 8), (i, j) -> b.get(i, j).add(1.0f), "C"));
    }

    /** A scalar product over two elements: {@code P = A[0] * A[1]}. */
    static ComputeDag prodOfTwo() {
        Tensor a = placeholder(List.of(2), FLOAT32, "A");
        IterVar k = reduceAxis(0, 2, "k");
        return ComputeDag.of(computeN(List.of(), v -> prod(a.get(k), k), "P"));
    }
}
