package dev.lathe.codegen;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Var;
import dev.lathe.te.Tensor;
import dev.lathe.tir.Allocate;
import dev.lathe.tir.For;
import dev.lathe.tir.IfThenElse;
import dev.lathe.tir.LetStmt;
import dev.lathe.tir.Seq;
import dev.lathe.tir.Stmt;
import dev.lathe.tir.Store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides whether the body of a loop marked vectorized can run {@code L} iterations at once,
 * and with how many lanes.
 * <p>
 * Running lanes together executes each statement for all lanes before the next statement, so
 * it is only correct when no iteration sees another's writes. The rule used is simple and
 * sufficient: every access to a tensor the body stores to uses the very same indices as the
 * store, and those indices move with the loop variable (a known, non-zero coefficient in the
 * flat index), so each iteration owns its elements. A store whose index does not move with the
 * loop variable (a reduction into one accumulator) breaks the rule and keeps the loop scalar.
 * <p>
 * Other reasons to keep the scalar loop: a loop or allocation nested in the body, a condition
 * that differs between lanes (the guard of a split that does not divide the extent: the scalar
 * loop keeps it exact and never reads past the guarded region), and values of a type without a
 * vector form here (float16, int8, uint8, bool tensors).
 */
final class VectorLegality {
    private VectorLegality() {
    }

    /** What to emit for a vectorized loop. */
    sealed interface Plan {
    }

    /**
     * Vector code with {@code lanes} lanes; {@code maskBytes} is the element width whose masks
     * hold conditions that come from no typed comparison.
     */
    record Vectorize(int lanes, int maskBytes) implements Plan {
    }

    /**
     * A scalar loop, and why; {@code independent} when its iterations are still known not to
     * depend on each other (so {@code #pragma omp simd} may let the C compiler try).
     */
    record Scalar(String reason, boolean independent) implements Plan {
    }

    static Plan analyze(For loop, Function<Tensor, List<Expr>> storageShape, VectorTarget target) {
        Walk w = new Walk(loop.var());
        w.stmt(loop.body());
        String dependence = w.dependence(storageShape);
        if (dependence != null) {
            return new Scalar(dependence, false);
        }
        if (w.structure != null) {
            return new Scalar(w.structure, w.structureKeepsIndependence);
        }
        if (w.type != null) {
            return new Scalar(w.type, true);
        }
        // Lanes follow the data that moves through memory: index arithmetic in int64 next to float32 data
        // then spans two registers rather than halving the float32 lanes.
        int widest = w.widestData > 0 ? w.widestData : w.widestBytes > 0 ? w.widestBytes : 4;
        return new Vectorize(Math.max(2, target.vectorBytes() / widest), widest);
    }

    private static final class Walk {
        private final Var v;
        private final Set<Var> varying = new HashSet<>();
        /** Indices of every access, per tensor, and which tensors are stored to. */
        private final Map<Tensor, List<List<Expr>>> accesses = new LinkedHashMap<>();
        private final Map<Tensor, List<Expr>> stores = new LinkedHashMap<>();
        /** Storage allocated inside the loop, which the code generator has not seen yet. */
        private final Map<Tensor, List<Expr>> allocated = new LinkedHashMap<>();
        private String structure;
        private boolean structureKeepsIndependence = true;
        private String type;
        private int widestBytes;
        private int widestData;

        Walk(Var v) {
            this.v = v;
        }

        void stmt(Stmt s) {
            switch (s) {
                case Seq q -> q.stmts().forEach(this::stmt);
                case Store st -> {
                    access(st.tensor(), st.indices());
                    stores.putIfAbsent(st.tensor(), st.indices());
                    st.indices().forEach(this::reads);
                    reads(st.value());
                    if (!VectorTypes.supported(st.tensor().dtype())) {
                        type("stores to " + st.tensor().name() + " of type " + st.tensor().dtype());
                    } else {
                        widestData = Math.max(widestData, st.tensor().dtype().bytes());
                    }
                    values(st.value());
                }
                case LetStmt l -> {
                    reads(l.value());
                    if (varies(l.value())) {
                        varying.add(l.var());
                        values(l.value());
                    }
                    stmt(l.body());
                }
                case IfThenElse i -> {
                    reads(i.cond());
                    if (varies(i.cond())) {
                        structure("the condition " + i.cond() + " differs between lanes");
                    }
                    stmt(i.then());
                    i.otherwise().ifPresent(this::stmt);
                }
                case For f -> {
                    structure("a loop over " + f.var() + " is nested in it");
                    structureKeepsIndependence = false;
                    reads(f.min());
                    reads(f.extent());
                    stmt(f.body());
                }
                case Allocate a -> {
                    structure("it allocates " + a.tensor().name());
                    structureKeepsIndependence = false;
                    allocated.put(a.tensor(), a.extents());
                    stmt(a.body());
                }
            }
        }

        /** Records every read in {@code e}, wherever it sits, for the dependence check. */
        private void reads(Expr e) {
            Exprs.forEach(e, n -> {
                if (n instanceof TensorRead r) {
                    access(r.tensor(), r.indices());
                }
            });
        }

        /** Checks the types of values that will live in vectors; indices are computed per lane and may be of any type. */
        private void values(Expr e) {
            if (!varies(e)) {
                return;
            }
            DType t = e.dtype();
            if (t == DType.BOOL) {
                // Masks take the width of what they compare.
            } else if (VectorTypes.supported(t)) {
                widestBytes = Math.max(widestBytes, t.bytes());
                if (e instanceof TensorRead) {
                    widestData = Math.max(widestData, t.bytes());
                }
            } else {
                type("it computes " + t + " values");
            }
            if (!(e instanceof TensorRead)) {
                Exprs.children(e).forEach(this::values);
            }
        }

        private boolean varies(Expr e) {
            return LinearIndex.mentions(e, v, varying::contains);
        }

        private void access(Tensor t, List<Expr> indices) {
            accesses.computeIfAbsent(t, k -> new ArrayList<>()).add(indices);
        }

        private void structure(String why) {
            if (structure == null) {
                structure = why;
            }
        }

        private void type(String why) {
            if (type == null) {
                type = why;
            }
        }

        /** Null when every iteration owns the elements it writes; otherwise why not. */
        String dependence(Function<Tensor, List<Expr>> storageShape) {
            for (Map.Entry<Tensor, List<Expr>> s : stores.entrySet()) {
                Tensor t = s.getKey();
                List<Expr> index = s.getValue();
                for (List<Expr> other : accesses.get(t)) {
                    if (!other.equals(index)) {
                        return t.name() + " is accessed at " + other + " and at " + index;
                    }
                }
                List<Expr> shape = allocated.containsKey(t) ? allocated.get(t) : storageShape.apply(t);
                OptionalLong c = LinearIndex.flatCoefficient(index, shape, v, varying::contains);
                if (c.isEmpty()) {
                    return "the index of the store to " + t.name() + " " + index + " is not linear in " + v;
                }
                if (c.getAsLong() == 0) {
                    return "every iteration stores to the same element of " + t.name() + " " + index;
                }
            }
            return null;
        }
    }
}
