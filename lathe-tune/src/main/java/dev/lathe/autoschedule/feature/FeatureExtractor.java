package dev.lathe.autoschedule.feature;

import dev.lathe.build.Build;
import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Call;
import dev.lathe.ir.Cast;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Select;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;
import dev.lathe.ir.Var;
import dev.lathe.schedule.Stage;
import dev.lathe.schedule.State;
import dev.lathe.te.Tensor;
import dev.lathe.tir.Allocate;
import dev.lathe.tir.For;
import dev.lathe.tir.ForKind;
import dev.lathe.tir.IfThenElse;
import dev.lathe.tir.LetStmt;
import dev.lathe.tir.PrimFunc;
import dev.lathe.tir.Seq;
import dev.lathe.tir.Stmt;
import dev.lathe.tir.Store;

import static dev.lathe.autoschedule.feature.FeatureNames.ANN_KINDS;
import static dev.lathe.autoschedule.feature.FeatureNames.ARITH;
import static dev.lathe.autoschedule.feature.FeatureNames.BUF;
import static dev.lathe.autoschedule.feature.FeatureNames.FLAGS;
import static dev.lathe.autoschedule.feature.FeatureNames.INDEX;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Extracts per-store features from a lowered loop nest (see {@code docs/autoschedule-features.md}).
 *
 * <p>Every {@link Store} of the function gives one row of {@link #NAMES}. Loops are never
 * enumerated: counts are multiplied by the extents of the enclosing loops, and memory
 * footprints are computed from the coefficients of the loop variables in the (affine parts
 * of the) index expressions, so extraction costs time in the size of the IR.
 *
 * <p>Loop extents that are not constants are estimated: an extent over size variables uses
 * the values of {@link Options#sizeVars()} (an unbound size variable counts as
 * {@link Options#symbolicExtent()}); an extent over the loop variables of outer loops uses its
 * upper bound over their ranges; an extent that reads a tensor (a data-dependent loop, e.g. the
 * row of a CSR matrix {@code for k in [0, indptr[i+1] - indptr[i])}) counts as
 * {@link Options#dataDependentExtent()}, 1 unless the caller passes an average (e.g. nnz / rows
 * of the task's real inputs).
 */
public final class FeatureExtractor {
    /** Buffers described per store, the most touched bytes first; missing ones are zero. */
    public static final int BUFFERS = 5;
    /** Outermost loop extents listed per store; missing ones are zero. */
    public static final int OUTER_EXTENTS = 5;

    /**
     * How to estimate extents that are not constants.
     *
     * @param dataDependentExtent the extent of a loop whose bounds read a tensor
     * @param symbolicExtent the value of a size variable not in {@code sizeVars}
     * @param sizeVars values of size variables, by name
     */
    public record Options(double dataDependentExtent, double symbolicExtent, Map<String, Long> sizeVars) {
        public static final Options DEFAULT = new Options(1, 128, Map.of());

        public Options {
            sizeVars = Map.copyOf(sizeVars);
            if (!(dataDependentExtent >= 0) || !(symbolicExtent >= 0)) {
                throw new IllegalArgumentException("extent estimates must be non-negative");
            }
        }

        public Options withDataDependentExtent(double e) {
            return new Options(e, symbolicExtent, sizeVars);
        }

        public Options withSizeVars(Map<String, Long> vars) {
            return new Options(dataDependentExtent, symbolicExtent, vars);
        }
    }

    /** The feature names, in row order. */
    public static final List<String> NAMES = FeatureNames.NAMES;

    private FeatureExtractor() {
    }

    /** Features of a lowered function with the default extent estimates. */
    public static FeatureSet extract(PrimFunc f) {
        return extract(f, Options.DEFAULT);
    }

    public static FeatureSet extract(PrimFunc f, Options options) {
        return new Walk(f, options, Map.of()).run();
    }

    /** Lowers the state ({@link Build#lower}) and extracts its features; adds the unroll pragmas of each store's stage. */
    public static FeatureSet extract(State state) {
        return extract(state, Options.DEFAULT);
    }

    public static FeatureSet extract(State state, Options options) {
        Map<String, int[]> pragmas = new HashMap<>();
        for (Stage s : state.stages()) {
            pragmas.put(s.name(), new int[] {s.autoUnrollMaxStep(), s.unrollExplicit() ? 1 : 0});
        }
        return new Walk(Build.lower(state, "features"), options, pragmas).run();
    }

    /**
     * For each store (row) of {@code f}, the buffers its {@code b0..b4} feature slots describe,
     * in slot order (most touched bytes first, ties by name); at most {@link #BUFFERS} each.
     */
    public static List<List<String>> bufferSlots(PrimFunc f, Options options) {
        Walk w = new Walk(f, options, Map.of());
        w.run();
        return List.copyOf(w.slots);
    }

    public static List<List<String>> bufferSlots(PrimFunc f) {
        return bufferSlots(f, Options.DEFAULT);
    }

    /** sign(x) · log2(1 + |x|). */
    static float slog(double x) {
        double l = Math.log1p(Math.abs(x)) / Math.log(2);
        return (float) (x < 0 ? -l : l);
    }

    // ------------------------------------------------------------------------------------

    record Loop(For node, Var var, double extent, double lo, boolean dataDependent, boolean symbolic) {
    }

    private record Alloc(String name, String scope, double bytes, int depth) {
    }

    /** One access of a buffer by a store: per dimension, per enclosing loop, the coefficient (NaN if not affine). */
    record Access(String buffer, boolean write, double[][] coef, boolean[][] depends, double[] shape,
                          int elemBytes, boolean dataDependent) {
    }

    private record StoreSite(Store store, List<Loop> loops, List<Alloc> allocs, List<Expr> guards,
                             Map<Var, Expr> lets) {
    }

    private static final class Walk {
        private final PrimFunc func;
        private final Options options;
        private final Map<String, int[]> pragmas;
        private final Map<String, double[]> allocShapes = new HashMap<>();
        private final Map<String, Alloc> allocByName = new HashMap<>();
        private final List<StoreSite> sites = new ArrayList<>();
        /** Per loop node: how many stores in its body access each buffer. */
        private final Map<For, Map<String, Integer>> loopBuffers = new IdentityHashMap<>();
        /** Per row, the buffers of its slots. */
        final List<List<String>> slots = new ArrayList<>();

        Walk(PrimFunc func, Options options, Map<String, int[]> pragmas) {
            this.func = func;
            this.options = options;
            this.pragmas = pragmas;
        }

        FeatureSet run() {
            collect(func.body(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new HashMap<>());
            for (StoreSite s : sites) {
                List<String> bufs = new ArrayList<>();
                bufs.add(s.store().tensor().name());
                forEachRead(s.store(), r -> bufs.add(r.tensor().name()));
                List<String> distinct = bufs.stream().distinct().toList();
                for (Loop l : s.loops()) {
                    Map<String, Integer> m = loopBuffers.computeIfAbsent(l.node(), k -> new HashMap<>());
                    for (String b : distinct) {
                        m.merge(b, 1, Integer::sum);
                    }
                }
            }
            float[][] rows = new float[sites.size()][];
            List<String> names = new ArrayList<>();
            for (int i = 0; i < sites.size(); i++) {
                rows[i] = row(sites.get(i), i);
                names.add(sites.get(i).store().tensor().name());
            }
            return new FeatureSet(NAMES, rows, names);
        }

        private void collect(Stmt s, List<Loop> loops, List<Alloc> allocs, List<Expr> guards, Map<Var, Expr> lets) {
            switch (s) {
                case For f -> {
                    Interval iv = interval(f.extent(), loops, lets);
                    boolean dd = containsRead(f.extent(), lets);
                    boolean sym = !dd && iv == null;
                    double ext;
                    if (iv != null) {
                        ext = Math.max(0, iv.hi());
                    } else {
                        ext = dd ? options.dataDependentExtent() : options.symbolicExtent();
                    }
                    Interval mn = interval(f.min(), loops, lets);
                    loops.add(new Loop(f, f.var(), ext, mn == null ? 0 : mn.lo(), dd, sym || symbolicIn(f.extent(), lets)));
                    collect(f.body(), loops, allocs, guards, lets);
                    loops.removeLast();
                }
                case Store st -> sites.add(new StoreSite(st, List.copyOf(loops), List.copyOf(allocs), List.copyOf(guards),
                        Map.copyOf(lets)));
                case Allocate a -> {
                    Tensor t = a.tensor();
                    double[] shape = new double[a.extents().size()];
                    double elems = 1;
                    for (int d = 0; d < shape.length; d++) {
                        Interval iv = interval(a.extents().get(d), loops, lets);
                        shape[d] = iv == null ? options.symbolicExtent() : Math.max(1, iv.hi());
                        elems *= shape[d];
                    }
                    allocShapes.put(t.name(), shape);
                    Alloc al = new Alloc(t.name(), scope(t.name()), elems * t.dtype().bytes(), loops.size());
                    allocByName.put(t.name(), al);
                    allocs.add(al);
                    collect(a.body(), loops, allocs, guards, lets);
                    allocs.removeLast();
                }
                case Seq q -> q.stmts().forEach(x -> collect(x, loops, allocs, guards, lets));
                case IfThenElse i -> {
                    guards.add(i.cond());
                    collect(i.then(), loops, allocs, guards, lets);
                    guards.removeLast();
                    i.otherwise().ifPresent(o -> {
                        guards.add(i.cond());
                        collect(o, loops, allocs, guards, lets);
                        guards.removeLast();
                    });
                }
                case LetStmt l -> {
                    lets.put(l.var(), l.value());
                    collect(l.body(), loops, allocs, guards, lets);
                    lets.remove(l.var());
                }
            }
        }

        private static String scope(String name) {
            int dot = name.lastIndexOf('.');
            String suffix = dot < 0 ? "" : name.substring(dot + 1);
            return suffix.equals("local") || suffix.equals("shared") ? suffix : "global";
        }

        private boolean symbolicIn(Expr e, Map<Var, Expr> lets) {
            boolean[] found = {false};
            visit(e, lets, x -> {
                if (x instanceof Var v && func.sizeVars().contains(v) && !options.sizeVars().containsKey(v.name())) {
                    found[0] = true;
                }
            });
            return found[0];
        }

        // ---------------------------------------------------------------- one row

        private float[] row(StoreSite site, int position) {
            double[] v = new double[NAMES.size()];
            List<Loop> loops = site.loops();
            int n = loops.size();
            double prod = 1;
            for (Loop l : loops) {
                prod *= l.extent();
            }
            Store st = site.store();

            // arithmetic
            double[] arith = new double[ARITH.length];
            OpCounter c = new OpCounter(arith, site.lets());
            for (Expr e : st.indices()) {
                c.count(e);
            }
            c.count(st.value());
            for (Expr g : site.guards()) {
                c.count(g);
            }
            double floatOps = 0;
            for (int i = 0; i < ARITH.length; i++) {
                arith[i] *= prod;
                if (ARITH[i].startsWith("float_")) {
                    floatOps += ARITH[i].equals("float_mad") ? 2 * arith[i] : arith[i];
                }
            }
            arith[FeatureNames.arithIndex("float_ops_total")] = floatOps;
            for (int i = 0; i < ARITH.length; i++) {
                v[INDEX.get(ARITH[i])] = arith[i];
            }

            // accesses
            List<Access> accesses = new ArrayList<>();
            accesses.add(access(st.tensor(), st.indices(), true, loops, site.lets()));
            List<TensorRead> reads = new ArrayList<>();
            forEachRead(st, reads::add);
            for (TensorRead r : reads) {
                accesses.add(access(r.tensor(), r.indices(), false, loops, site.lets()));
            }
            Map<String, List<Access>> byBuffer = new LinkedHashMap<>();
            for (Access a : accesses) {
                byBuffer.computeIfAbsent(a.buffer(), k -> new ArrayList<>()).add(a);
            }
            // reduce loops: loops of a reduction update whose variable a read uses but the stored indices do not; others are spatial
            Access write = accesses.getFirst();
            boolean update = reads.stream().anyMatch(r -> r.tensor().name().equals(st.tensor().name())
                    && r.indices().equals(st.indices()));
            boolean[] spatial = new boolean[n];
            for (int l = 0; l < n; l++) {
                boolean inWrite = false;
                boolean inRead = false;
                for (boolean[] dep : write.depends()) {
                    inWrite |= dep[l];
                }
                for (Access a : accesses.subList(1, accesses.size())) {
                    for (boolean[] dep : a.depends()) {
                        inRead |= dep[l];
                    }
                }
                spatial[l] = !(update && !inWrite && inRead);
            }

            // annotations
            ForKind[] kinds = {ForKind.VECTORIZED, ForKind.UNROLLED, ForKind.PARALLEL};
            for (int k = 0; k < kinds.length; k++) {
                String p = ANN_KINDS[k] + "_";
                int num = 0;
                double kprod = 1;
                int inner = -1;
                int outer = -1;
                for (int l = 0; l < n; l++) {
                    if (loops.get(l).node().kind() == kinds[k]) {
                        num++;
                        kprod *= loops.get(l).extent();
                        inner = l;
                        if (outer < 0) {
                            outer = l;
                        }
                    }
                }
                v[INDEX.get(p + "num")] = num;
                v[INDEX.get(p + "prod")] = num == 0 ? 0 : kprod;
                v[INDEX.get(p + "len_inner")] = inner < 0 ? 0 : loops.get(inner).extent();
                v[INDEX.get(p + "len_outer")] = outer < 0 ? 0 : loops.get(outer).extent();
                String pos;
                if (inner < 0) {
                    pos = "none";
                } else {
                    String where = inner == n - 1 ? "inner" : inner == 0 ? "outer" : "middle";
                    pos = where + (spatial[inner] ? "_spatial" : "_reduce");
                }
                v[INDEX.get(p + "pos_" + pos)] = 1;
            }

            // buffers
            record Buf(String name, double bytes, double[] f) {
            }
            List<Buf> bufs = new ArrayList<>();
            double[] suffixBytes = new double[n + 1];
            for (List<Access> as : byBuffer.values()) {
                for (int l = 0; l <= n; l++) {
                    double fp = 0;
                    for (Access a : as) {
                        fp = Math.max(fp, BufferFeatures.footprint(a, loops, l));
                    }
                    suffixBytes[l] += fp * as.getFirst().elemBytes();
                }
            }
            double totalBytes = 0;
            for (Map.Entry<String, List<Access>> e : byBuffer.entrySet()) {
                double[] f = BufferFeatures.of(e.getKey(), e.getValue(), loops, prod, suffixBytes, loopBuffers);
                bufs.add(new Buf(e.getKey(), f[3], f));
                totalBytes += f[3];
            }
            bufs.sort(Comparator.comparingDouble(Buf::bytes).reversed().thenComparing(Buf::name));
            slots.add(bufs.stream().limit(BUFFERS).map(Buf::name).toList());
            for (int b = 0; b < Math.min(BUFFERS, bufs.size()); b++) {
                double[] f = bufs.get(b).f();
                for (int i = 0; i < BUF.length; i++) {
                    v[INDEX.get("b" + b + "_" + BUF[i])] = f[i];
                }
            }
            v[INDEX.get("arith_intensity")] = totalBytes == 0 ? 0 : floatOps / totalBytes;

            // nest and allocations
            v[INDEX.get("num_loops")] = n;
            v[INDEX.get("nest_size")] = prod;
            v[INDEX.get("inner_extent")] = n == 0 ? 0 : loops.get(n - 1).extent();
            double sp = 1;
            double rp = 1;
            int ns = 0;
            int dd = 0;
            int sym = 0;
            for (int l = 0; l < n; l++) {
                if (spatial[l]) {
                    ns++;
                    sp *= loops.get(l).extent();
                } else {
                    rp *= loops.get(l).extent();
                }
                dd += loops.get(l).dataDependent() ? 1 : 0;
                sym += loops.get(l).symbolic() ? 1 : 0;
            }
            v[INDEX.get("num_spatial_loops")] = ns;
            v[INDEX.get("num_reduce_loops")] = n - ns;
            v[INDEX.get("spatial_prod")] = sp;
            v[INDEX.get("reduce_prod")] = rp;
            v[INDEX.get("is_reduction_update")] = update ? 1 : 0;
            v[INDEX.get("in_data_dependent_loop")] = dd > 0 ? 1 : 0;
            v[INDEX.get("num_data_dependent_loops")] = dd;
            v[INDEX.get("num_symbolic_loops")] = sym;
            v[INDEX.get("num_guards")] = site.guards().size();
            v[INDEX.get("store_dtype_bytes")] = st.tensor().dtype().bytes();
            String sc = scope(st.tensor().name());
            v[INDEX.get("store_scope_" + sc)] = 1;
            Alloc own = allocByName.get(st.tensor().name());
            if (own != null) {
                v[INDEX.get("store_alloc_bytes")] = own.bytes();
                double outerProd = 1;
                for (int l = 0; l < Math.min(own.depth(), n); l++) {
                    outerProd *= loops.get(l).extent();
                }
                v[INDEX.get("store_alloc_outer_prod")] = outerProd;
            }
            for (Alloc a : site.allocs()) {
                if (!a.scope().equals("global")) {
                    v[INDEX.get("alloc_" + a.scope() + "_count")] += 1;
                    v[INDEX.get("alloc_" + a.scope() + "_bytes")] += a.bytes();
                }
            }
            v[INDEX.get("num_buffers")] = byBuffer.size();
            v[INDEX.get("num_stores")] = sites.size();
            v[INDEX.get("store_position")] = position;
            int[] pr = pragmas.get(st.tensor().name());
            if (pr != null) {
                v[INDEX.get("pragma_auto_unroll_max_step")] = pr[0];
                v[INDEX.get("pragma_unroll_explicit")] = pr[1];
            }
            for (int i = 0; i < Math.min(OUTER_EXTENTS, n); i++) {
                v[INDEX.get("outer_extent_" + i)] = loops.get(i).extent();
            }

            float[] out = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = FLAGS.get(i) ? (float) v[i] : slog(v[i]);
            }
            return out;
        }

        private Access access(Tensor t, List<Expr> indices, boolean write, List<Loop> loops, Map<Var, Expr> lets) {
            int n = loops.size();
            int nd = indices.size();
            double[][] coef = new double[nd][n];
            boolean[][] depends = new boolean[nd][n];
            boolean dd = false;
            for (int d = 0; d < nd; d++) {
                Expr idx = indices.get(d);
                java.util.Set<Var> vars = new java.util.HashSet<>();
                boolean[] read = {false};
                visit(idx, lets, x -> {
                    if (x instanceof Var y) {
                        vars.add(y);
                    } else if (x instanceof TensorRead) {
                        read[0] = true;
                    }
                });
                dd |= read[0];
                for (int l = 0; l < n; l++) {
                    Var lv = loops.get(l).var();
                    depends[d][l] = vars.contains(lv);
                    coef[d][l] = depends[d][l] ? coefficient(idx, lv, loops, lets) : 0;
                }
            }
            double[] shape = allocShapes.get(t.name());
            if (shape == null) {
                shape = new double[nd];
                for (int d = 0; d < nd; d++) {
                    Interval iv = interval(t.shape().get(d), List.of(), lets);
                    shape[d] = iv == null ? options.symbolicExtent() : Math.max(1, iv.hi());
                }
            }
            return new Access(t.name(), write, coef, depends, shape, t.dtype().bytes(), dd);
        }

        /** The constant coefficient of {@code v} in {@code e}, NaN if {@code e} is not affine in {@code v}. */
        private double coefficient(Expr e, Var v, List<Loop> loops, Map<Var, Expr> lets) {
            if (!uses(e, v, lets)) {
                return 0;
            }
            return switch (e) {
                case Var x when x.equals(v) -> 1;
                case Var x when lets.containsKey(x) -> coefficient(lets.get(x), v, loops, lets);
                case Cast c when c.value().dtype().isInt() -> coefficient(c.value(), v, loops, lets);
                case Unary u when u.op() == UnaryOp.NEG -> -coefficient(u.value(), v, loops, lets);
                case Binary b when b.op() == BinaryOp.ADD -> coefficient(b.a(), v, loops, lets) + coefficient(b.b(), v, loops, lets);
                case Binary b when b.op() == BinaryOp.SUB -> coefficient(b.a(), v, loops, lets) - coefficient(b.b(), v, loops, lets);
                case Binary b when b.op() == BinaryOp.MUL -> {
                    boolean ua = uses(b.a(), v, lets);
                    boolean ub = uses(b.b(), v, lets);
                    if (ua && ub) {
                        yield Double.NaN;
                    }
                    Expr other = ua ? b.b() : b.a();
                    Interval iv = interval(other, loops, lets);
                    if (iv == null || iv.lo() != iv.hi()) {
                        yield Double.NaN;
                    }
                    yield iv.lo() * coefficient(ua ? b.a() : b.b(), v, loops, lets);
                }
                default -> Double.NaN;
            };
        }

        // ---------------------------------------------------------------- expressions

        private static boolean uses(Expr e, Var v, Map<Var, Expr> lets) {
            boolean[] found = {false};
            visit(e, lets, x -> {
                if (x instanceof Var y && y.equals(v)) {
                    found[0] = true;
                }
            });
            return found[0];
        }

        private static boolean containsRead(Expr e, Map<Var, Expr> lets) {
            boolean[] found = {false};
            visit(e, lets, x -> {
                if (x instanceof TensorRead) {
                    found[0] = true;
                }
            });
            return found[0];
        }

        /** Visits every sub-expression, following let-bound variables into their values. */
        private static void visit(Expr e, Map<Var, Expr> lets, java.util.function.Consumer<Expr> f) {
            f.accept(e);
            switch (e) {
                case Var x when lets.containsKey(x) -> visit(lets.get(x), lets, f);
                case Binary b -> {
                    visit(b.a(), lets, f);
                    visit(b.b(), lets, f);
                }
                case Unary u -> visit(u.value(), lets, f);
                case Cast c -> visit(c.value(), lets, f);
                case Call c -> c.args().forEach(a -> visit(a, lets, f));
                case Select s -> {
                    visit(s.cond(), lets, f);
                    visit(s.then(), lets, f);
                    visit(s.otherwise(), lets, f);
                }
                case TensorRead r -> r.indices().forEach(a -> visit(a, lets, f));
                case Reduce r -> {
                    r.sources().forEach(a -> visit(a, lets, f));
                    visit(r.condition(), lets, f);
                }
                default -> {
                }
            }
        }

        private static void forEachRead(Store st, java.util.function.Consumer<TensorRead> f) {
            java.util.function.Consumer<Expr> g = x -> {
                if (x instanceof TensorRead r) {
                    f.accept(r);
                }
            };
            for (Expr e : st.indices()) {
                visit(e, Map.of(), g);
            }
            visit(st.value(), Map.of(), g);
        }

        private record Interval(double lo, double hi) {
        }

        /** Bounds of an integer expression over the ranges of the given loops; null if unknown (tensor reads, unsupported ops). */
        private Interval interval(Expr e, List<Loop> loops, Map<Var, Expr> lets) {
            return switch (e) {
                case IntImm i -> new Interval(i.value(), i.value());
                case Var x -> {
                    if (lets.containsKey(x)) {
                        yield interval(lets.get(x), loops, lets);
                    }
                    for (Loop l : loops) {
                        if (l.var().equals(x)) {
                            yield new Interval(l.lo(), l.lo() + Math.max(0, l.extent() - 1));
                        }
                    }
                    Long bound = options.sizeVars().get(x.name());
                    if (bound != null) {
                        yield new Interval(bound, bound);
                    }
                    yield func.sizeVars().contains(x) ? new Interval(options.symbolicExtent(), options.symbolicExtent()) : null;
                }
                case Cast c when c.value().dtype().isInt() -> interval(c.value(), loops, lets);
                case Unary u when u.op() == UnaryOp.NEG -> {
                    Interval a = interval(u.value(), loops, lets);
                    yield a == null ? null : new Interval(-a.hi(), -a.lo());
                }
                case Binary b when !b.op().isComparison() && !b.op().isLogical() -> {
                    Interval a = interval(b.a(), loops, lets);
                    Interval c = interval(b.b(), loops, lets);
                    if (a == null || c == null) {
                        yield null;
                    }
                    yield switch (b.op()) {
                        case ADD -> new Interval(a.lo() + c.lo(), a.hi() + c.hi());
                        case SUB -> new Interval(a.lo() - c.hi(), a.hi() - c.lo());
                        case MUL -> {
                            double p1 = a.lo() * c.lo();
                            double p2 = a.lo() * c.hi();
                            double p3 = a.hi() * c.lo();
                            double p4 = a.hi() * c.hi();
                            yield new Interval(Math.min(Math.min(p1, p2), Math.min(p3, p4)),
                                    Math.max(Math.max(p1, p2), Math.max(p3, p4)));
                        }
                        case MIN -> new Interval(Math.min(a.lo(), c.lo()), Math.min(a.hi(), c.hi()));
                        case MAX -> new Interval(Math.max(a.lo(), c.lo()), Math.max(a.hi(), c.hi()));
                        case FLOORDIV, TRUNCDIV -> c.lo() == c.hi() && c.lo() > 0
                                ? new Interval(Math.floor(a.lo() / c.lo()), Math.floor(a.hi() / c.lo())) : null;
                        case FLOORMOD, TRUNCMOD -> c.lo() == c.hi() && c.lo() > 0
                                ? new Interval(0, Math.min(c.lo() - 1, Math.max(0, a.hi()))) : null;
                        default -> null;
                    };
                }
                case Select s -> {
                    Interval a = interval(s.then(), loops, lets);
                    Interval c = interval(s.otherwise(), loops, lets);
                    yield a == null || c == null ? null : new Interval(Math.min(a.lo(), c.lo()), Math.max(a.hi(), c.hi()));
                }
                default -> null;
            };
        }
    }
}
