package dev.lathe.fuzz;

import dev.lathe.ir.DType;
import dev.lathe.ir.IterVar;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.lathe.te.Te.*;

/**
 * Random small DAGs of the kinds schedules must handle: elementwise chains with broadcast,
 * reductions, matmul- and conv-like ops with a padding stage, and data-dependent ones (CSR).
 * Each comes with its input arrays (real index structures for the data-dependent ones).
 */
final class RandomDags {
    record Case(String kind, ComputeDag dag, Map<Tensor, NDArray> inputs) {
    }

    private RandomDags() {
    }

    static Case draw(Random rng) {
        return switch (rng.nextInt(6)) {
            case 0 -> elementwise(rng);
            case 1 -> reduction(rng);
            case 2 -> matmul(rng);
            case 3 -> conv(rng);
            case 4 -> csr(rng);
            default -> matmulChain(rng);
        };
    }

    private static int size(Random rng) {
        int[] sizes = {1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17};
        return sizes[rng.nextInt(sizes.length)];
    }

    private static Case elementwise(Random rng) {
        int n = size(rng);
        int m = size(rng);
        Tensor a = placeholder(List.of(n, m), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(m), DType.FLOAT32, "B");
        Tensor c = placeholder(List.of(n, 1), DType.FLOAT32, "Cb");
        Tensor s = compute(List.of(n, m), (i, j) -> a.get(i, j).add(b.get(j)), "add");
        Tensor r = compute(List.of(n, m), (i, j) -> s.get(i, j).max(0.0f), "relu");
        Tensor o = compute(List.of(n, m), (i, j) -> r.get(i, j).mul(c.get(i, 0)).sub(a.get(i, j)), "out");
        return withInputs("elementwise", ComputeDag.of(o), rng);
    }

    private static Case reduction(Random rng) {
        int n = size(rng);
        int m = size(rng);
        Tensor a = placeholder(List.of(n, m), DType.FLOAT32, "A");
        IterVar k = reduceAxis(0, m, "k");
        Tensor e = compute(List.of(n, m), (i, j) -> exp(a.get(i, j)), "e");
        Tensor s = rng.nextBoolean() ? compute(List.of(n), i -> sum(e.get(i, k), k), "rsum")
                : compute(List.of(n), i -> max(e.get(i, k), k), "rmax");
        Tensor o = compute(List.of(n, m), (i, j) -> e.get(i, j).div(s.get(i)), "norm");
        return withInputs("reduction", ComputeDag.of(o), rng);
    }

    private static Case matmul(Random rng) {
        int n = size(rng);
        int m = size(rng);
        int kk = size(rng);
        Tensor a = placeholder(List.of(n, kk), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(kk, m), DType.FLOAT32, "B");
        IterVar k = reduceAxis(0, kk, "k");
        Tensor c = compute(List.of(n, m), (i, j) -> sum(a.get(i, k).mul(b.get(k, j)), k), "C");
        return withInputs("matmul", ComputeDag.of(c), rng);
    }

    private static Case matmulChain(Random rng) {
        int n = size(rng);
        int m = size(rng);
        int kk = size(rng);
        Tensor a = placeholder(List.of(n, kk), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(kk, m), DType.FLOAT32, "B");
        Tensor bias = placeholder(List.of(m), DType.FLOAT32, "bias");
        Tensor at = compute(List.of(n, kk), (i, j) -> a.get(i, j).mul(2.0f), "A2");
        IterVar k = reduceAxis(0, kk, "k");
        Tensor c = compute(List.of(n, m), (i, j) -> sum(at.get(i, k).mul(b.get(k, j)), k), "C");
        Tensor d = compute(List.of(n, m), (i, j) -> c.get(i, j).add(bias.get(j)).max(0.0f), "D");
        return withInputs("matmul+bias+relu", ComputeDag.of(d), rng);
    }

    private static Case conv(Random rng) {
        int h = size(rng);
        int w = size(rng);
        int kh = 1 + rng.nextInt(3);
        int kw = 1 + rng.nextInt(3);
        int pad = rng.nextInt(2);
        Tensor x = placeholder(List.of(h, w), DType.FLOAT32, "X");
        Tensor f = placeholder(List.of(kh, kw), DType.FLOAT32, "F");
        int ph = h + 2 * pad;
        int pw = w + 2 * pad;
        Tensor p = compute(List.of(ph, pw), (i, j) -> ifThenElse(i.ge(pad).and(i.lt(h + pad)).and(j.ge(pad))
                .and(j.lt(w + pad)), x.get(i.sub(pad), j.sub(pad)), 0.0f), "pad");
        int oh = ph - kh + 1;
        int ow = pw - kw + 1;
        if (oh < 1 || ow < 1) {
            return conv(rng);
        }
        IterVar r = reduceAxis(0, kh, "r");
        IterVar s = reduceAxis(0, kw, "s");
        Tensor y = compute(List.of(oh, ow), (i, j) -> sum(p.get(i.add(r), j.add(s)).mul(f.get(r, s)), r, s), "conv");
        return withInputs("conv", ComputeDag.of(y), rng);
    }

    private static Case csr(Random rng) {
        int rows = size(rng);
        int cols = size(rng);
        int[] indptr = new int[rows + 1];
        java.util.List<Integer> idx = new java.util.ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (rng.nextInt(3) == 0) {
                    idx.add(c);
                }
            }
            indptr[r + 1] = idx.size();
        }
        int nnz = Math.max(1, idx.size());
        int[] indices = new int[nnz];
        for (int i = 0; i < idx.size(); i++) {
            indices[i] = idx.get(i);
        }
        Tensor ip = placeholder(List.of(rows + 1), DType.INT32, "indptr");
        Tensor ix = placeholder(List.of(nnz), DType.INT32, "indices");
        Tensor data = placeholder(List.of(nnz), DType.FLOAT32, "data");
        Tensor x = placeholder(List.of(cols, 3), DType.FLOAT32, "x");
        Tensor y = compute(List.of(rows, 3), (i, j) -> {
            IterVar k = reduceAxis(ip.get(i), ip.get(i.add(1)), "k");
            return sum(data.get(k).mul(x.get(ix.get(k), j)), k);
        }, "spmm");
        Map<Tensor, NDArray> in = new LinkedHashMap<>();
        in.put(ip, NDArray.of(indptr, rows + 1));
        in.put(ix, NDArray.of(indices, nnz));
        in.put(data, NDArray.random(DType.FLOAT32, rng, nnz));
        in.put(x, NDArray.random(DType.FLOAT32, rng, cols, 3));
        return new Case("csr", ComputeDag.of(y), in);
    }

    private static Case withInputs(String kind, ComputeDag dag, Random rng) {
        Map<Tensor, NDArray> in = new LinkedHashMap<>();
        for (Tensor t : dag.arguments()) {
            if (!dag.outputs().contains(t)) {
                in.put(t, NDArray.random(t.dtype(), rng, dims(t)));
            }
        }
        return new Case(kind, dag, in);
    }

    static long[] dims(Tensor t) {
        return t.shape().stream().mapToLong(e -> ((dev.lathe.ir.IntImm) e).value()).toArray();
    }

}
