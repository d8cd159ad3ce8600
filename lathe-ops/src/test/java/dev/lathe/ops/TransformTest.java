package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.ir.Var;
import dev.lathe.ops.GraphNaiveOps.Nd;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.lathe.ops.TestData.assertClose;
import static dev.lathe.ops.TestData.assertRejected;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.sizeVar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shape transformations, slicing, joining and gathering: each compiled under the default
 * schedule, checked against the reference evaluator by {@link KernelCheck}, and the result
 * against the plain-Java {@link GraphNaiveOps}.
 */
class TransformTest {
    static Tensor f32(String name, int... shape) {
        return placeholder(Arrays.stream(shape).boxed().map(i -> (Object) i).toList(), DType.FLOAT32, name);
    }

    static Nd input(KernelCheck.Result r, Tensor t) {
        return new Nd(r.inputs().get(t).toFloatArray(), Arrays.stream(r.inputs().get(t).shape()).mapToInt(l -> (int) l).toArray());
    }

    /** The compiled result (equal to the reference evaluator's, as KernelCheck made sure) against the plain-Java one. */
    static void matches(Nd expected, KernelCheck.Result r, Tensor out, double tol) {
        assertArrayEquals(Arrays.stream(expected.shape()).asLongStream().toArray(), r.compiled(out).shape(), "shape");
        assertClose(expected.data(), r.compiled(out).toFloatArray(), tol);
    }

    static void matches(Nd expected, KernelCheck.Result r, Tensor out) {
        matches(expected, r, out, 1e-6);
    }

    @Test
    void reshapeAndFlattenKeepRowMajorOrder() {
        Tensor x = f32("x", 2, 3, 4);
        Tensor a = Transform.reshape(x, new long[] {4, -1}, "a");
        Tensor b = Transform.reshape(x, new long[] {0, 12}, "b");
        Tensor c = Transform.flatten(x, -1, "c");
        Tensor d = Transform.flatten(x, 0, "d");
        KernelCheck.Result r = KernelCheck.of(a, b, c, d).name("reshape").seed(701).run();
        float[] v = input(r, x).data();
        matches(new Nd(v, new int[] {4, 6}), r, a);
        matches(new Nd(v, new int[] {2, 12}), r, b);
        matches(new Nd(v, new int[] {6, 4}), r, c);
        matches(new Nd(v, new int[] {1, 24}), r, d);
        assertRejected(() -> Transform.reshape(x, new long[] {-1, -1}, "e"), "more than one -1");
        assertRejected(() -> Transform.reshape(x, new long[] {5, -1}, "e"), "not a multiple of 5");
        assertRejected(() -> Transform.reshape(x, new long[] {2, 3, 5}, "e"), "30 elements", "24");
        assertRejected(() -> Transform.flatten(x, 4, "e"), "axis 4");
    }

    @Test
    void squeezeUnsqueezeAndTranspose() {
        Tensor x = f32("x", 1, 3, 1, 4);
        Tensor s = Transform.squeeze(x, new int[] {-2}, "s");
        Tensor all = Transform.squeeze(x, null, "all");
        Tensor u = Transform.unsqueeze(all, new int[] {0, -1}, "u");
        Tensor t = Transform.transpose(x, new int[] {3, 1, 0, 2}, "t");
        Tensor rev = Transform.transpose(all, null, "rev");
        KernelCheck.Result r = KernelCheck.of(s, all, u, t, rev).name("squeeze").seed(702).run();
        float[] v = input(r, x).data();
        matches(new Nd(v, new int[] {1, 3, 4}), r, s);
        matches(new Nd(v, new int[] {3, 4}), r, all);
        matches(new Nd(v, new int[] {1, 3, 4, 1}), r, u);
        matches(new Nd(NaiveOps.permute(v, new int[] {1, 3, 1, 4}, 3, 1, 0, 2), new int[] {4, 3, 1, 1}), r, t);
        matches(new Nd(NaiveOps.transpose(v, 3, 4), new int[] {4, 3}), r, rev);
        assertRejected(() -> Transform.squeeze(x, new int[] {1}, "e"), "axis 1", "not 1");
        assertRejected(() -> Transform.unsqueeze(x, new int[] {0, -6}, "e"), "unsqueeze", "twice");
        assertRejected(() -> Transform.transpose(x, new int[] {0, 1, 1, 2}, "e"), "not a permutation");
        assertRejected(() -> Transform.transpose(x, new int[] {0, 1}, "e"), "2 entries", "rank 4");
    }

    @Test
    void expandBroadcastsBothWays() {
        Tensor x = f32("x", 3, 1);
        Tensor e = Transform.expand(x, new long[] {2, 1, 4}, "e");
        Tensor i = Transform.identity(x, "i");
        KernelCheck.Result r = KernelCheck.of(e, i).name("expand").seed(703).run();
        float[] v = input(r, x).data();
        float[] zero = new float[24];
        matches(new Nd(NaiveOps.broadcastBinary(v, new int[] {3, 1}, zero, new int[] {2, 1, 4}, Double::sum),
                new int[] {2, 3, 4}), r, e);
        matches(new Nd(v, new int[] {3, 1}), r, i);
        assertRejected(() -> Transform.expand(x, new long[] {2, 4}, "e"), "do not broadcast");
    }

    @Test
    void concatAlongAnyAxis() {
        for (int axis : new int[] {0, -1, 1}) {
            int a = axis < 0 ? axis + 3 : axis;
            int[][] shapes = new int[3][];
            List<Tensor> ts = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                int[] s = {2, 3, 4};
                s[a] = k + 1;
                shapes[k] = s;
                ts.add(f32("x" + k, s));
            }
            Tensor out = Slicing.concat(ts, axis, "concat");
            KernelCheck.Result r = KernelCheck.of(out).name("concat").seed(710 + a).run();
            matches(GraphNaiveOps.concat(ts.stream().map(t -> input(r, t)).toList(), a), r, out);
        }
        assertRejected(() -> Slicing.concat(List.of(f32("a", 2, 3), f32("b", 3, 3)), 1, "c"), "dimension 0", "2 and 3");
        assertRejected(() -> Slicing.concat(List.of(f32("a", 2, 3), f32("b", 3)), 0, "c"), "rank 1");
    }

    @Test
    void splitByLengthsAndIntoEqualParts() {
        Tensor x = f32("x", 3, 7);
        List<Tensor> byLength = Slicing.split(x, -1, new long[] {2, 4, 1}, "p");
        List<Tensor> equal = Slicing.split(x, 1, 3, "q");
        List<Tensor> all = new ArrayList<>(byLength);
        all.addAll(equal);
        KernelCheck.Result r = KernelCheck.of(all.toArray(Tensor[]::new)).name("split").seed(720).run();
        Nd in = input(r, x);
        int[][] ranges = {{0, 2}, {2, 6}, {6, 7}, {0, 3}, {3, 6}, {6, 7}};
        for (int k = 0; k < all.size(); k++) {
            List<Integer> cols = new ArrayList<>();
            for (int c = ranges[k][0]; c < ranges[k][1]; c++) {
                cols.add(c);
            }
            matches(GraphNaiveOps.pick(in, Arrays.asList(null, cols)), r, all.get(k));
        }
        assertRejected(() -> Slicing.split(x, 1, new long[] {2, 4}, "e"), "add up to 6", "extent 7");
        assertRejected(() -> Slicing.split(x, 1, 8, "e"), "8 non-empty parts");
    }

    @Test
    void sliceWithNegativeStepsAndClamping() {
        Tensor x = f32("x", 4, 6, 5);
        long big = Long.MAX_VALUE;
        long[][][] cases = {
                // starts, ends, axes, steps
                {{1, 0}, {3, -1}, {0, 2}, {1, 1}},
                {{-1}, {-big}, {1}, {-1}},
                {{5, big}, {0, -big}, {-2, 0}, {-2, -3}},
                {{-10, 2}, {100, 5}, {2, 1}, {2, 2}},
                {{3}, {-7}, {1}, {-4}},
        };
        int seed = 730;
        for (long[][] c : cases) {
            int[] axes = Arrays.stream(c[2]).mapToInt(l -> (int) l).toArray();
            Tensor out = Slicing.slice(x, c[0], c[1], axes, c[3], "slice");
            KernelCheck.Result r = KernelCheck.of(out).name("slice").seed(seed++).run();
            Nd in = input(r, x);
            List<List<Integer>> pick = Arrays.asList(null, null, null);
            for (int k = 0; k < axes.length; k++) {
                int a = axes[k] < 0 ? axes[k] + 3 : axes[k];
                pick.set(a, GraphNaiveOps.sliceIndices(c[0][k], c[1][k], c[3][k], in.shape()[a]));
            }
            matches(GraphNaiveOps.pick(in, pick), r, out);
        }
        Tensor full = Slicing.slice(x, new long[] {0}, new long[] {big}, null, null, "full");
        assertEquals("[4, 6, 5]", full.shape().toString());
        assertRejected(() -> Slicing.slice(x, new long[] {2}, new long[] {2}, null, null, "e"), "is empty");
        assertRejected(() -> Slicing.slice(x, new long[] {0}, new long[] {2}, null, new long[] {0}, "e"), "step 0 is 0");
        assertRejected(() -> Slicing.slice(x, new long[] {0, 0}, new long[] {2}, null, null, "e"), "one entry per sliced axis");
    }

    @Test
    void gatherOnAnyAxisWithNegativeIndices() {
        Tensor data = f32("data", 4, 5, 3);
        int seed = 740;
        for (int axis : new int[] {1, -3, 2}) {
            int a = axis < 0 ? axis + 3 : axis;
            int extent = new int[] {4, 5, 3}[a];
            long[] in = {-1, 0, extent - 1, -extent, 1, extent - 2};
            for (DType t : List.of(DType.INT64, DType.INT32)) {
                Tensor indices = placeholder(List.of(2, 3), t, "indices");
                Tensor out = Slicing.gather(data, indices, axis, "gather");
                NDArray iv = t == DType.INT64 ? NDArray.of(in, 2, 3)
                        : NDArray.of(Arrays.stream(in).mapToInt(l -> (int) l).toArray(), 2, 3);
                KernelCheck.Result r = KernelCheck.of(out).name("gather").seed(seed++).input(indices, iv).run();
                matches(GraphNaiveOps.gather(input(r, data), in, new int[] {2, 3}, a), r, out);
            }
        }
        Tensor scalarIndex = placeholder(List.of(), DType.INT64, "k");
        Tensor row = Slicing.gather(data, scalarIndex, 0, "row");
        KernelCheck.Result r = KernelCheck.of(row).name("gather0").seed(750).input(scalarIndex, NDArray.of(new long[] {-2})).run();
        matches(GraphNaiveOps.gather(input(r, data), new long[] {-2}, new int[0], 0), r, row);
        assertRejected(() -> Slicing.gather(data, f32("i", 2), 0, "g"), "int32 or int64");
    }

    @Test
    void symbolicBatchThroughTheGraphOps() {
        Var n = sizeVar("n");
        Tensor x = placeholder(List.of(n, 3, 4), DType.FLOAT32, "x");
        Tensor y = placeholder(List.of(n, 2, 4), DType.FLOAT32, "y");
        Tensor joined = Slicing.concat(List.of(x, y, x), 1, "joined");
        Tensor t = Transform.transpose(joined, new int[] {0, 2, 1}, "t");
        Tensor u = Transform.unsqueeze(t, new int[] {1}, "u");
        Tensor prod = Linalg.matmulNd(u, placeholder(List.of(8, 5), DType.FLOAT32, "w"), "prod");
        Tensor mean = Reduction.reduceAxes(prod, Reduction.Kind.MEAN, new int[] {-1, 2}, false, false, "mean");
        Tensor indices = placeholder(List.of(2), DType.INT64, "indices");
        Tensor picked = Slicing.gather(mean, indices, 0, "picked");
        Tensor sm = Norm.softmax(picked, -1);
        assertEquals("[n, 8, 4]", joined.shape().toString());
        assertEquals("[n, 1, 4, 5]", prod.shape().toString());
        assertEquals("[2, 1]", picked.shape().toString());
        KernelCheck.Result r = KernelCheck.of(mean, sm).name("symbolic_graph").seed(760).size(n, 3)
                .input(indices, NDArray.of(new long[] {-1, 0}, 2)).run();
        assertArrayEquals(new long[] {3, 1}, r.compiled(mean).shape());
        Nd cat = GraphNaiveOps.concat(List.of(input(r, x), input(r, y), input(r, x)), 1);
        Nd tr = new Nd(NaiveOps.permute(cat.data(), cat.shape(), 0, 2, 1), new int[] {3, 1, 4, 8});
        Tensor w = r.inputs().keySet().stream().filter(k -> k.name().equals("w")).findFirst().orElseThrow();
        Nd expected = GraphNaiveOps.reduce(GraphNaiveOps.matmulNd(tr, input(r, w)), Reduction.Kind.MEAN, new int[] {2, 3}, false);
        matches(expected, r, mean, 1e-5);
        for (float v : r.compiled(sm).toFloatArray()) {
            assertEquals(1f, v, "softmax over an axis of extent 1");
        }
        Tensor flat = Transform.flatten(x, 1, "flat");
        Tensor kept = Transform.reshape(x, new long[] {0, -1, 2}, "kept");
        assertEquals("[n, 12]", flat.shape().toString());
        assertEquals("[n, 6, 2]", kept.shape().toString());
        Tensor w1 = f32("w1", 1, 2, 2, 2);
        Tensor up = ConvTranspose.convTranspose2dNchw(Transform.reshape(x, new long[] {0, 1, 3, 4}, "img"), w1,
                Conv2dParams.DEFAULT.withStride(2), 0, 0, "up");
        KernelCheck.Result rf = KernelCheck.of(flat, kept, up).name("symbolic_reshape").seed(761).size(n, 2).run();
        float[] xv = input(rf, x).data();
        matches(new Nd(xv, new int[] {2, 12}), rf, flat);
        matches(new Nd(xv, new int[] {2, 6, 2}), rf, kept);
        int[] two = {2, 2};
        matches(GraphNaiveOps.convTranspose(new Nd(xv, new int[] {2, 1, 3, 4}), input(rf, w1), two, new int[2], new int[2],
                new int[2], new int[] {1, 1}, 1), rf, up, 1e-5);
        assertRejected(() -> Transform.reshape(x, new long[] {-1}, "e"), "dimension 0 of x", "must be literal");
    }
}
