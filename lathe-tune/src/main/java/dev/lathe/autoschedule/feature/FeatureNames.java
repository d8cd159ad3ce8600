package dev.lathe.autoschedule.feature;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names of the per-store features, in row order, grouped as they are computed: arithmetic
 * counts, loop annotations, per-buffer access features, loop nest and allocations, outer extents.
 */
final class FeatureNames {
    static final String[] ARITH = {
        "float_mad", "float_addsub", "float_mul", "float_div", "float_minmax", "float_neg", "float_cmp",
        "float_exp", "float_log", "float_sqrt", "float_tanh_sigmoid_erf", "float_pow", "float_other_math",
        "int_addsub", "int_mul", "int_divmod", "int_minmax", "int_neg", "int_cmp", "bool_op", "select", "cast",
        "tensor_reads", "float_ops_total", "arith_intensity",
    };
    static final String[] ANN_KINDS = {"vec", "unroll", "parallel"};
    static final String[] POS = {"inner_spatial", "middle_spatial", "outer_spatial", "inner_reduce",
        "middle_reduce", "outer_reduce", "none"};
    static final String[] BUF = {
        "acc_read", "acc_write", "acc_rw", "bytes", "unique_bytes", "lines", "unique_lines",
        "reuse_loop", "reuse_serial", "reuse_none", "reuse_dis_iter", "reuse_dis_bytes", "reuse_ct",
        "bytes_d_reuse_ct", "unique_bytes_d_reuse_ct", "lines_d_reuse_ct", "unique_lines_d_reuse_ct",
        "stride", "data_dependent_index",
    };
    static final String[] NEST = {
        "num_loops", "nest_size", "inner_extent", "num_spatial_loops", "num_reduce_loops", "spatial_prod",
        "reduce_prod", "is_reduction_update", "in_data_dependent_loop", "num_data_dependent_loops",
        "num_symbolic_loops", "num_guards", "store_dtype_bytes", "store_scope_local", "store_scope_shared",
        "store_scope_global", "store_alloc_bytes", "store_alloc_outer_prod", "alloc_local_count",
        "alloc_local_bytes", "alloc_shared_count", "alloc_shared_bytes", "num_buffers", "num_stores",
        "store_position", "pragma_auto_unroll_max_step", "pragma_unroll_explicit",
    };

    /** The feature names, in row order. */
    static final List<String> NAMES;
    static final Map<String, Integer> INDEX = new HashMap<>();
    /** Features that are 0/1 flags and are not log-transformed. */
    static final BitSet FLAGS = new BitSet();

    static {
        List<String> n = new ArrayList<>();
        Collections.addAll(n, ARITH);
        for (String k : ANN_KINDS) {
            for (String f : new String[] {"num", "prod", "len_inner", "len_outer"}) {
                n.add(k + "_" + f);
            }
            for (String p : POS) {
                n.add(k + "_pos_" + p);
            }
        }
        for (int b = 0; b < FeatureExtractor.BUFFERS; b++) {
            for (String f : BUF) {
                n.add("b" + b + "_" + f);
            }
        }
        Collections.addAll(n, NEST);
        for (int i = 0; i < FeatureExtractor.OUTER_EXTENTS; i++) {
            n.add("outer_extent_" + i);
        }
        NAMES = List.copyOf(n);
        for (int i = 0; i < NAMES.size(); i++) {
            String s = NAMES.get(i);
            INDEX.put(s, i);
            if (s.contains("_pos_") || s.endsWith("acc_read") || s.endsWith("acc_write") || s.endsWith("acc_rw")
                    || s.endsWith("reuse_loop") || s.endsWith("reuse_serial") || s.endsWith("reuse_none")
                    || s.endsWith("data_dependent_index") || s.startsWith("store_scope_") || s.equals("is_reduction_update")
                    || s.equals("in_data_dependent_loop") || s.equals("pragma_unroll_explicit")) {
                FLAGS.set(i);
            }
        }
    }

    private FeatureNames() {
    }

    /** The position of an arithmetic count among {@link #ARITH}. */
    static int arithIndex(String name) {
        for (int i = 0; i < ARITH.length; i++) {
            if (ARITH[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no arithmetic feature " + name);
    }
}
