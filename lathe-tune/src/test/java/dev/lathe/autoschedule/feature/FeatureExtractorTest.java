package dev.lathe.autoschedule.feature;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.Linalg;
import dev.lathe.ops.Norm;
import dev.lathe.ops.Padding2d;
import dev.lathe.ops.Size2d;
import dev.lathe.ops.sparse.Bsr;
import dev.lathe.ops.sparse.BsrTensors;
import dev.lathe.ops.sparse.Csr;
import dev.lathe.ops.sparse.CsrTensors;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import dev.lathe.tir.PrimFunc;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.exp;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.sizeVar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureExtractorTest {

    static ComputeDag matmul(int m, int n, int k) {
        Tensor a = placeholder(List.of(m, k), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(k, n), DType.FLOAT32, "B");
        return ComputeDag.of(Linalg.matmul(a, b, "C"));
    }

    /** Inverse of the log transform, for checking exact counts. */
    static double raw(float f) {
        return Math.pow(2, f) - 1;
    }

    /** The row of the reduction update {@code C[i, j] = C[i, j] + ...} (the last store to C). */
    static int updateRow(FeatureSet fs, String buffer) {
        int r = -1;
        for (int i = 0; i < fs.numStores(); i++) {
            if (fs.storeNames().get(i).equals(buffer) && fs.get(i, "is_reduction_update") == 1) {
                r = i;
            }
        }
        assertTrue(r >= 0, "no reduction update of " + buffer);
        return r;
    }

    /** Raw value of a feature of buffer {@code buffer} in a row (buffers are sorted by bytes, so look the slot up). */
    static double bufferFeature(PrimFunc f, int row, String buffer, String feature) {
        FeatureSet fs = FeatureExtractor.extract(f);
        List<String> slots = FeatureExtractor.bufferSlots(f).get(row);
        for (int b = 0; b < slots.size(); b++) {
            if (buffer.equals(slots.get(b))) {
                return raw(fs.get(row, "b" + b + "_" + feature));
            }
        }
        throw new AssertionError("buffer " + buffer + " not among the top buffers of row " + row);
    }

    static float flag(PrimFunc f, int row, String buffer, String feature) {
        int b = FeatureExtractor.bufferSlots(f).get(row).indexOf(buffer);
        assertTrue(b >= 0, buffer);
        return FeatureExtractor.extract(f).get(row, "b" + b + "_" + feature);
    }

    @Test
    void fixedLength() {
        int n = FeatureExtractor.NAMES.size();
        assertTrue(n >= 120 && n <= 220, "feature count " + n);
        assertEquals(n, FeatureExtractor.NAMES.stream().distinct().count());
        FeatureSet a = FeatureExtractor.extract(State.initial(matmul(8, 8, 8)));
        FeatureSet b = FeatureExtractor.extract(MatmulSchedules.tiled(matmul(64, 64, 64)));
        for (FeatureSet fs : List.of(a, b)) {
            assertEquals(FeatureExtractor.NAMES, fs.names());
            for (float[] row : fs.rows()) {
                assertEquals(n, row.length);
                for (float x : row) {
                    assertTrue(Float.isFinite(x));
                }
            }
        }
        assertEquals(2, a.numStores());
        assertEquals(a.numStores() * n, a.flatten().length);
        FeatureSet.Flattened fl = FeatureSet.flatten(List.of(a, b));
        assertEquals(a.numStores() + b.numStores(), fl.totalRows());
        assertArrayEquals(new int[] {a.numStores(), b.numStores()}, fl.storesPerSet());
    }

    @Test
    void matmulArithmeticCountsAreExact() {
        FeatureSet fs = FeatureExtractor.extract(State.initial(matmul(8, 8, 8)));
        int upd = updateRow(fs, "C");
        assertEquals(512, raw(fs.get(upd, "float_mad")), 1e-3);
        assertEquals(0, raw(fs.get(upd, "float_addsub")), 1e-6);
        assertEquals(0, raw(fs.get(upd, "float_mul")), 1e-6);
        assertEquals(3 * 512, raw(fs.get(upd, "tensor_reads")), 1e-2);
        assertEquals(1024, raw(fs.get(upd, "float_ops_total")), 1e-2);
        assertEquals(512, raw(fs.get(upd, "nest_size")), 1e-3);
        assertEquals(3, raw(fs.get(upd, "num_loops")), 1e-6);
        assertEquals(64, raw(fs.get(upd, "spatial_prod")), 1e-3);
        assertEquals(8, raw(fs.get(upd, "reduce_prod")), 1e-4);
        int init = 1 - upd;
        assertEquals(0, raw(fs.get(init, "float_mad")), 1e-6);
        assertEquals(64, raw(fs.get(init, "nest_size")), 1e-3);
        // C is read and written by the update: 512 iterations x 2 accesses x 4 bytes; 64 x 4 unique bytes
        PrimFunc f = Build.lower(State.initial(matmul(8, 8, 8)), "k");
        assertEquals(512 * 2 * 4, bufferFeature(f, upd, "C", "bytes"), 1);
        assertEquals(64 * 4, bufferFeature(f, upd, "C", "unique_bytes"), 1e-2);
        assertEquals(1, fs.get(upd, "b" + FeatureExtractor.bufferSlots(f).get(upd).indexOf("C") + "_acc_rw"));
    }

    @Test
    void elementwiseMathCounts() {
        Tensor p = placeholder(List.of(16, 8), DType.FLOAT32, "P");
        Tensor e = compute(List.of(16, 8), (i, j) -> exp(p.get(i, j)).add(1f).div(p.get(i, j)), "E");
        FeatureSet fs = FeatureExtractor.extract(State.initial(ComputeDag.of(e)));
        assertEquals(1, fs.numStores());
        assertEquals(128, raw(fs.get(0, "float_exp")), 1e-2);
        assertEquals(128, raw(fs.get(0, "float_addsub")), 1e-2);
        assertEquals(128, raw(fs.get(0, "float_div")), 1e-2);
        assertEquals(0, raw(fs.get(0, "float_mad")), 1e-6);
    }

    @Test
    void vectorizationFeatures() {
        ComputeDag dag = matmul(64, 64, 64);
        State scalar = State.initial(dag).split("C", "j", 16).reorder("C", "i", "j.0", "k", "j.1");
        State vec = scalar.vectorize("C", "j.1");
        int s = updateRow(FeatureExtractor.extract(scalar), "C");
        FeatureSet fs = FeatureExtractor.extract(scalar);
        FeatureSet fv = FeatureExtractor.extract(vec);
        int v = updateRow(fv, "C");
        assertEquals(0, raw(fs.get(s, "vec_num")), 1e-6);
        assertEquals(0, raw(fs.get(s, "vec_len_inner")), 1e-6);
        assertEquals(1, fs.get(s, "vec_pos_none"));
        assertEquals(1, raw(fv.get(v, "vec_num")), 1e-4);
        assertEquals(16, raw(fv.get(v, "vec_len_inner")), 1e-3);
        assertEquals(16, raw(fv.get(v, "vec_prod")), 1e-3);
        assertEquals(0, fv.get(v, "vec_pos_none"));
        assertEquals(1, fv.get(v, "vec_pos_inner_spatial"));
        // everything else about the two programs' arithmetic is the same
        assertEquals(fs.get(s, "float_mad"), fv.get(v, "float_mad"));
    }

    @Test
    void parallelAndUnrollAnnotationsVisible() {
        ComputeDag dag = matmul(64, 64, 64);
        State st = MatmulSchedules.tiled(dag);
        FeatureSet fs = FeatureExtractor.extract(st);
        for (int r = 0; r < fs.numStores(); r++) {
            assertEquals(1, raw(fs.get(r, "parallel_num")), 1e-4, "row " + r);
            assertEquals(1, fs.get(r, "parallel_pos_outer_spatial"), "row " + r);
        }
        int upd = updateRow(fs, "C.local");
        assertEquals(1, raw(fs.get(upd, "unroll_num")), 1e-4);
        assertEquals(6, raw(fs.get(upd, "unroll_len_inner")), 1e-3);
        assertEquals(1, fs.get(upd, "store_scope_local"));
        assertEquals(6 * 16 * 4, raw(fs.get(upd, "store_alloc_bytes")), 1e-1);
        int plain = updateRow(FeatureExtractor.extract(State.initial(dag)), "C");
        assertEquals(0, raw(FeatureExtractor.extract(State.initial(dag)).get(plain, "parallel_num")), 1e-6);
        // the pragma of a stage is visible through the State
        FeatureSet withPragma = FeatureExtractor.extract(State.initial(dag).pragma("C", "auto_unroll_max_step", 16));
        assertEquals(16, raw(withPragma.get(0, "pragma_auto_unroll_max_step")), 1e-3);
    }

    @Test
    void tilingShortensReuseDistanceOfB() {
        ComputeDag dag = matmul(256, 256, 256);
        State naive = State.initial(dag);
        State tiled = State.initial(dag).split("C", "i", 8).split("C", "j", 32).split("C", "k", 8)
                .reorder("C", "i.0", "j.0", "k.0", "i.1", "k.1", "j.1");
        PrimFunc fn = Build.lower(naive, "n");
        PrimFunc ft = Build.lower(tiled, "t");
        int rn = updateRow(FeatureExtractor.extract(fn), "C");
        int rt = updateRow(FeatureExtractor.extract(ft), "C");
        assertEquals(1, flag(fn, rn, "B", "reuse_loop"));
        assertEquals(1, flag(ft, rt, "B", "reuse_loop"));
        double naiveDis = bufferFeature(fn, rn, "B", "reuse_dis_iter");
        double tiledDis = bufferFeature(ft, rt, "B", "reuse_dis_iter");
        assertEquals(256 * 256, naiveDis, 1);           // B is reused across i, after a whole j × k sweep
        assertEquals(8 * 32, tiledDis, 1e-1);           // ... across i.1, after a k.1 × j.1 tile
        assertTrue(bufferFeature(ft, rt, "B", "reuse_dis_bytes") < bufferFeature(fn, rn, "B", "reuse_dis_bytes"));
        // naively every k step of B[k, j] is a new line; in the tile j.1 walks along a line
        assertEquals(256.0 * 256 * 256, bufferFeature(fn, rn, "B", "lines"), 1e3);
        assertEquals(256.0 * 256 * 256 * 4 / 64, bufferFeature(ft, rt, "B", "lines"), 1e2);
        // innermost stride of B: 256 elements (down a column) naively, 1 in the tile
        assertEquals(256, bufferFeature(fn, rn, "B", "stride"), 1e-1);
        assertEquals(1, bufferFeature(ft, rt, "B", "stride"), 1e-4);
    }

    @Test
    void sparseCsrExtractsWithDataDependentLoop() {
        CsrTensors a = CsrTensors.placeholders(32, 64, 100, "a");
        Tensor x = placeholder(List.of(64), DType.FLOAT32, "x");
        ComputeDag dag = ComputeDag.of(Csr.csrMv(a, x));
        FeatureSet fs = FeatureExtractor.extract(State.initial(dag));
        int upd = updateRow(fs, "csr_mv");
        assertEquals(1, fs.get(upd, "in_data_dependent_loop"));
        assertEquals(32, raw(fs.get(upd, "nest_size")), 1e-2);   // the row loop counts as 1 iteration by default
        assertEquals(32, raw(fs.get(upd, "float_mad")), 1e-2);
        FeatureSet avg = FeatureExtractor.extract(Build.lower(State.initial(dag), "k"),
                FeatureExtractor.Options.DEFAULT.withDataDependentExtent(100.0 / 32));
        assertEquals(100, raw(avg.get(upd, "float_mad")), 1e-1);
        for (float[] row : avg.rows()) {
            for (float v : row) {
                assertTrue(Float.isFinite(v));
            }
        }
        boolean anyDataDependentIndex = false;
        for (int b = 0; b < FeatureExtractor.BUFFERS; b++) {
            anyDataDependentIndex |= fs.get(upd, "b" + b + "_data_dependent_index") == 1;
        }
        assertTrue(anyDataDependentIndex);
    }

    @Test
    void symbolicShapeUsesSizeVarValues() {
        var n = sizeVar("n");
        Tensor p = placeholder(List.of(n, 8), DType.FLOAT32, "P");
        ComputeDag dag = ComputeDag.of(compute(List.of(n, 8), (i, j) -> p.get(i, j).add(1f), "E"));
        PrimFunc f = Build.lower(State.initial(dag), "k");
        assertEquals(128 * 8, raw(FeatureExtractor.extract(f).get(0, "nest_size")), 1);
        FeatureSet bound = FeatureExtractor.extract(f, FeatureExtractor.Options.DEFAULT.withSizeVars(Map.of("n", 10L)));
        assertEquals(80, raw(bound.get(0, "nest_size")), 1e-2);
        assertEquals(1, raw(FeatureExtractor.extract(f).get(0, "num_symbolic_loops")), 1e-4);
    }

    @Test
    void deterministic() {
        State st = MatmulSchedules.tiled(matmul(64, 64, 64));
        FeatureSet a = FeatureExtractor.extract(st);
        FeatureSet b = FeatureExtractor.extract(st);
        FeatureSet c = FeatureExtractor.extract(MatmulSchedules.tiled(matmul(64, 64, 64)));
        assertEquals(a.storeNames(), b.storeNames());
        assertTrue(Arrays.equals(a.flatten(), b.flatten()));
        assertTrue(Arrays.equals(a.flatten(), c.flatten()));
    }

    @Test
    void initStoreHasSerialReuseOfItsBuffer() {
        PrimFunc f = Build.lower(State.initial(matmul(8, 8, 8)), "k");
        FeatureSet fs = FeatureExtractor.extract(f);
        int upd = updateRow(fs, "C");
        int init = 1 - upd;
        // C[i, j] = 0 then C[i, j] += ... in the same j loop: the init store's C is reused by the next statement
        assertEquals(1, flag(f, init, "C", "reuse_serial"));
        assertEquals(1, raw(fs.get(init, "b0_reuse_ct")), 1e-4);
        // the update reuses C[i, j] across k, at distance 1 iteration
        assertEquals(1, flag(f, upd, "C", "reuse_loop"));
        assertEquals(1, bufferFeature(f, upd, "C", "reuse_dis_iter"), 1e-4);
        assertEquals(8, bufferFeature(f, upd, "C", "reuse_ct"), 1e-4);
    }

    @Test
    void otherOperatorsExtract() {
        Tensor in = placeholder(List.of(1, 8, 14, 14), DType.FLOAT32, "X");
        Tensor w = placeholder(List.of(16, 8, 3, 3), DType.FLOAT32, "W");
        Tensor conv = Conv.conv2dNchw(in, w, new Conv2dParams(Size2d.of(1), Padding2d.of(1), Size2d.of(1), 1));
        Tensor sm = Norm.softmax(placeholder(List.of(4, 33), DType.FLOAT32, "S"), 1);
        BsrTensors bsr = BsrTensors.placeholders(32, 64, 4, 4, 20, "w");
        Tensor bsrMm = Bsr.bsrMatmul(bsr, placeholder(List.of(64, 16), DType.FLOAT32, "D"));
        CsrTensors csr = CsrTensors.placeholders(32, 64, 100, "a");
        Tensor csrMm = Csr.csrMm(csr, placeholder(List.of(64, 8), DType.FLOAT32, "Y"));
        for (Tensor out : List.of(conv, sm, bsrMm, csrMm)) {
            FeatureSet fs = FeatureExtractor.extract(State.initial(ComputeDag.of(out)));
            assertTrue(fs.numStores() > 0, out.name());
            for (float[] row : fs.rows()) {
                assertEquals(FeatureExtractor.NAMES.size(), row.length);
                for (float v : row) {
                    assertTrue(Float.isFinite(v), out.name());
                }
            }
        }
        FeatureSet soft = FeatureExtractor.extract(State.initial(ComputeDag.of(sm)));
        double exps = 0;
        for (int r = 0; r < soft.numStores(); r++) {
            exps += raw(soft.get(r, "float_exp"));
        }
        assertTrue(exps >= 4 * 33, "softmax computes an exp per element: " + exps);
    }
}
