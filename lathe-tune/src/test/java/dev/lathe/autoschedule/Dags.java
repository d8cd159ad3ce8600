package dev.lathe.autoschedule;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.Elementwise;
import dev.lathe.ops.Linalg;
import dev.lathe.ops.Norm;
import dev.lathe.ops.Reduction;
import dev.lathe.ops.sparse.Csr;
import dev.lathe.ops.sparse.CsrTensors;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.placeholder;

/** Small DAGs for the sketch tests, with inputs, and a check of a schedule against the reference evaluator. */
final class Dags {
    private Dags() {
    }

    record Case(String kind, ComputeDag dag, Map<Tensor, NDArray> inputs) {
    }

    static ComputeDag matmul(int m, int n, int k) {
        Tensor a = placeholder(List.of(m, k), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(k, n), DType.FLOAT32, "B");
        return ComputeDag.of(Linalg.matmul(a, b, "C"));
    }

    static ComputeDag matmulBiasRelu(int m, int n, int k) {
        Tensor a = placeholder(List.of(m, k), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(k, n), DType.FLOAT32, "B");
        Tensor bias = placeholder(List.of(n), DType.FLOAT32, "bias");
        Tensor c = Linalg.matmul(a, b, "C");
        return ComputeDag.of(Elementwise.relu(Elementwise.biasAdd(c, bias, 1, "biased"), "relu"));
    }

    static ComputeDag elementwiseChain(int n) {
        Tensor x = placeholder(List.of(n, n), DType.FLOAT32, "X");
        Tensor a = compute(List.of(n, n), (i, j) -> x.get(i, j).mul(2.0f), "a");
        Tensor b = compute(List.of(n, n), (i, j) -> a.get(i, j).add(1.0f), "b");
        return ComputeDag.of(Elementwise.relu(b, "out"));
    }

    static ComputeDag sumRow(int n) {
        Tensor x = placeholder(List.of(1, n), DType.FLOAT32, "X");
        return ComputeDag.of(Reduction.sumAll(x, "s"));
    }

    static ComputeDag prod2() {
        Tensor x = placeholder(List.of(2), DType.FLOAT32, "X");
        return ComputeDag.of(Reduction.prodAll(x, "p"));
    }

    /** A scalar compute: no space and no reduce iterators. */
    static ComputeDag scalarCopy() {
        Tensor x = placeholder(List.of(), DType.FLOAT32, "X");
        return ComputeDag.of(Reduction.sumAll(x, "copy"));
    }

    static Case caseOf(String kind, Random rng) {
        return switch (kind) {
            case "matmul" -> inputs(kind, matmul(12, 16, 8), rng);
            case "matmul+bias+relu" -> inputs(kind, matmulBiasRelu(8, 12, 6), rng);
            case "conv2d" -> {
                Tensor in = placeholder(List.of(1, 6, 6, 4), DType.FLOAT32, "data");
                Tensor w = placeholder(List.of(3, 3, 4, 8), DType.FLOAT32, "weight");
                yield inputs(kind, ComputeDag.of(Conv.conv2dNhwc(in, w, Conv2dParams.DEFAULT.withPadding(1), "conv")), rng);
            }
            case "softmax" -> {
                Tensor x = placeholder(List.of(4, 80), DType.FLOAT32, "X");
                yield inputs(kind, ComputeDag.of(Norm.softmax(x, 1, "softmax")), rng);
            }
            case "csr-mm" -> {
                int rows = 6;
                int cols = 5;
                int[] indptr = new int[rows + 1];
                List<Integer> idx = new ArrayList<>();
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        if (rng.nextInt(3) == 0) {
                            idx.add(c);
                        }
                    }
                    indptr[r + 1] = idx.size();
                }
                int nnz = Math.max(1, idx.size());
                CsrTensors a = CsrTensors.placeholders(rows, cols, nnz, "A");
                Tensor x = placeholder(List.of(cols, 8), DType.FLOAT32, "X");
                ComputeDag dag = ComputeDag.of(Csr.csrMm(a, x, "Y"));
                Map<Tensor, NDArray> in = new HashMap<>();
                in.put(a.data(), NDArray.random(DType.FLOAT32, rng, nnz));
                int[] ind = new int[nnz];
                for (int i = 0; i < idx.size(); i++) {
                    ind[i] = idx.get(i);
                }
                in.put(a.indices(), NDArray.of(ind, nnz));
                in.put(a.indptr(), NDArray.of(indptr, rows + 1));
                in.put(x, NDArray.random(DType.FLOAT32, rng, cols, 8));
                yield new Case(kind, dag, in);
            }
            case "sum-row" -> inputs(kind, sumRow(256), rng);
            case "prod2" -> inputs(kind, prod2(), rng);
            case "scalar" -> inputs(kind, scalarCopy(), rng);
            case "chain" -> inputs(kind, elementwiseChain(10), rng);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static Case inputs(String kind, ComputeDag dag, Random rng) {
        Map<Tensor, NDArray> in = new HashMap<>();
        for (var p : dag.placeholders()) {
            in.put(p.output(0), NDArray.random(p.dtype(0), rng, dims(p.output(0))));
        }
        return new Case(kind, dag, in);
    }

    static long[] dims(Tensor t) {
        return t.shape().stream().mapToLong(e -> ((dev.lathe.ir.IntImm) e).value()).toArray();
    }

    /** Builds the schedule, runs it on the case's inputs, and returns a mismatch description or null. */
    static String check(Case c, State s) {
        Map<Tensor, NDArray> expected = ReferenceEvaluator.evaluate(c.dag(), c.inputs());
        Module m = Build.build(s, "sketch_" + c.kind().replace('-', '_').replace('+', '_'));
        List<NDArray> args = new ArrayList<>();
        List<NDArray> outs = new ArrayList<>();
        for (Tensor t : c.dag().arguments()) {
            if (c.dag().outputs().contains(t)) {
                NDArray o = NDArray.zeros(t.dtype(), dims(t));
                outs.add(o);
                args.add(o);
            } else {
                args.add(c.inputs().get(t));
            }
        }
        m.call(args.toArray(NDArray[]::new));
        for (int i = 0; i < outs.size(); i++) {
            NDArray want = expected.get(c.dag().outputs().get(i));
            NDArray got = outs.get(i);
            for (long e = 0; e < want.size(); e++) {
                double w = want.getDouble(e);
                double g = got.getDouble(e);
                if (!(Math.abs(w - g) <= 1e-4 + 1e-4 * Math.abs(w))) {
                    return "element " + e + ": expected " + w + ", got " + g;
                }
            }
        }
        return null;
    }
}
