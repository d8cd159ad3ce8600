package dev.lathe.codegen;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Call;
import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.FloatImm;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Select;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * C for a loop marked vectorized: a main loop that runs {@code L} iterations at once on GCC
 * vector types, then a scalar loop for the remaining {@code extent mod L} iterations.
 * <p>
 * In the main loop the loop variable holds the first lane's value. Each expression is
 * classified against it: one that does not change with it is computed once as a scalar and
 * broadcast where a vector meets it; a read whose flat index moves by one element per
 * iteration is one contiguous vector load; any other read is gathered lane by lane. Arithmetic
 * and comparisons use the vector operators; whatever has no vector form here (math functions,
 * integer division with its fault check, reads in a branch that must not be performed) is
 * computed by a loop over the lanes running the scalar code, which is always correct and which
 * GCC may still vectorize. When the body cannot run lanes together at all
 * ({@link VectorLegality}) the whole loop stays scalar, with a comment saying why.
 */
final class VectorLoopEmitter {
    private final CodegenC gen;
    private final VectorTarget target;
    private final VectorTypes types;

    VectorLoopEmitter(CodegenC gen, VectorTarget target, VectorTypes types) {
        this.gen = gen;
        this.target = target;
        this.types = types;
    }

    void emit(For loop, int depth) {
        String pad = "  ".repeat(depth);
        switch (VectorLegality.analyze(loop, gen::storageShape, target)) {
            case VectorLegality.Scalar s -> {
                gen.out().append(pad).append("/* ").append(gen.varName(loop.var())).append(": kept scalar, ")
                        .append(comment(s.reason())).append(" */\n");
                gen.plainLoop(loop, depth, s.independent() ? "#pragma omp simd" : null);
            }
            case VectorLegality.Vectorize p -> {
                OptionalLong extent = Exprs.asConst(loop.extent());
                if (extent.isPresent() && extent.getAsLong() < p.lanes()) {
                    gen.out().append(pad).append("/* ").append(gen.varName(loop.var())).append(": fewer iterations than ")
                            .append(p.lanes()).append(" lanes */\n");
                    gen.plainLoop(loop, depth, "#pragma omp simd");
                } else {
                    new Body(loop, p).loops(depth);
                }
            }
        }
    }

    /** A reason as text that cannot end the C comment it is put in. */
    private static String comment(String reason) {
        return reason.replace("*/", "* /");
    }

    /** A value in the vector body: a scalar the same for every lane, a vector, or a mask of all-ones/zero lanes. */
    private sealed interface Val {
        String code();
    }

    private record Scalar(String code, DType dtype) implements Val {
    }

    private record Vec(String code, DType dtype) implements Val {
    }

    /** Lanes are integers of {@code bytes} bytes: −1 where the condition holds, 0 where it does not. */
    private record Mask(String code, int bytes) implements Val {
    }

    /** The code of one vectorized loop. */
    private final class Body {
        private final For loop;
        private final Var v;
        private final int lanes;
        private final int maskBytes;
        /** Let-bound variables and temporaries whose values differ between lanes, by their vector. */
        private final Map<Var, Val> vectors = new HashMap<>();
        private int depth;
        /** The loop variable's value in the block being emitted, when the loop is unrolled into whole vectors. */
        private Long unrolledBase;

        Body(For loop, VectorLegality.Vectorize plan) {
            this.loop = loop;
            this.v = loop.var();
            this.lanes = plan.lanes();
            this.maskBytes = plan.maskBytes();
        }

        void loops(int outer) {
            String pad = "  ".repeat(outer);
            String i = gen.varName(v);
            StringBuilder out = gen.out();
            out.append(pad).append("/* ").append(i).append(": vectorized, ").append(lanes).append(" lanes */\n");
            out.append(pad).append("{\n");
            OptionalLong min = Exprs.asConst(loop.min());
            OptionalLong extent = Exprs.asConst(loop.extent());
            String vectorCond;
            String scalarCond;
            out.append(pad).append("  int64_t ").append(i).append(" = ").append(gen.expr(loop.min())).append(";\n");
            boolean tail;
            if (min.isPresent() && extent.isPresent()) {
                long e = extent.getAsLong();
                vectorCond = i + " < " + (min.getAsLong() + e - e % lanes);
                scalarCond = i + " < " + (min.getAsLong() + e);
                tail = e % lanes != 0;
            } else {
                String end = gen.names().fresh(i + "_end");
                out.append(pad).append("  const int64_t ").append(end).append(" = ").append(i).append(" + ")
                        .append(paren(gen.expr(loop.extent()))).append(";\n");
                vectorCond = end + " - " + i + " >= " + lanes;
                scalarCond = i + " < " + end;
                tail = true;
            }
            if (RegisterTiles.unrolledWhole(loop, lanes)) {
                // A few whole vectors: one block each, so that register tiles see constant positions.
                long e = extent.getAsLong();
                for (long base = 0; base < e; base += lanes) {
                    out.append(pad).append("  ").append(i).append(" = ").append(base).append(";\n");
                    out.append(pad).append("  {\n");
                    unrolledBase = base;
                    depth = outer + 2;
                    stmt(loop.body());
                    out.append(pad).append("  }\n");
                }
                unrolledBase = null;
                out.append(pad).append("}\n");
                return;
            }
            out.append(pad).append("  for (; ").append(vectorCond).append("; ").append(i).append(" += ").append(lanes)
                    .append(") {\n");
            depth = outer + 2;
            stmt(loop.body());
            out.append(pad).append("  }\n");
            if (tail) {
                out.append(pad).append("  for (; ").append(scalarCond).append("; ++").append(i).append(") {\n");
                gen.stmt(loop.body(), outer + 2);
                out.append(pad).append("  }\n");
            }
            out.append(pad).append("}\n");
        }

        // ---- statements

        private void stmt(Stmt s) {
            switch (s) {
                case Seq q -> q.stmts().forEach(this::stmt);
                case Store st -> store(st);
                case LetStmt l -> let(l);
                case IfThenElse c -> {
                    // The plan admits only conditions that are the same for every lane.
                    line("if (" + gen.expr(c.cond()) + ") {");
                    nested(c.then());
                    c.otherwise().ifPresent(o -> {
                        line("} else {");
                        nested(o);
                    });
                    line("}");
                }
                case For f -> throw new IllegalStateException("loop " + f.var() + " inside vectorized loop " + v);
                case Allocate a -> throw new IllegalStateException("allocation of " + a.tensor().name()
                        + " inside vectorized loop " + v);
            }
        }

        private void nested(Stmt s) {
            depth++;
            stmt(s);
            depth--;
        }

        private void let(LetStmt l) {
            gen.noteLet(l);
            String name = gen.varName(l.var());
            line("{");
            depth++;
            if (!varies(l.value())) {
                line("const " + CodegenC.valueType(l.var().dtype()) + " " + name + " = " + gen.expr(l.value()) + ";");
            } else {
                Val val = value(l.value());
                Val bound = switch (val) {
                    case Mask m -> {
                        line("const " + types.mask(m.bytes(), lanes) + " " + name + " = " + m.code() + ";");
                        yield new Mask(name, m.bytes());
                    }
                    default -> {
                        DType t = l.var().dtype();
                        line("const " + vecType(t) + " " + name + " = " + vec(val, t) + ";");
                        yield new Vec(name, t);
                    }
                };
                vectors.put(l.var(), bound);
            }
            stmt(l.body());
            depth--;
            line("}");
        }

        private void store(Store st) {
            DType t = st.tensor().dtype();
            String value = vec(value(st.value()), t);
            RegisterTiles.Tile tile = gen.registerTile(st.tensor());
            if (tile != null) {
                line(tileRegister(tile, st.tensor(), st.indices()) + " = " + value + ";");
                return;
            }
            long stride = LinearIndex.flatCoefficient(st.indices(), gen.storageShape(st.tensor()), v, this::isVector)
                    .orElseThrow();
            if (stride == 1) {
                line(types.store(t, lanes) + "(&" + gen.tensorName(st.tensor()) + "["
                        + gen.flatIndex(st.tensor(), st.indices(), false) + "], " + value + ");");
                return;
            }
            // A scatter: the elements are distinct (the plan checked the stride is not 0), so lane order is free.
            String x = materialize(value, t);
            String lane = gen.names().fresh("lane");
            line("for (int " + lane + " = 0; " + lane + " < " + lanes + "; ++" + lane + ") {");
            depth++;
            Var at = laneVar(v, lane);
            List<Expr> indices = st.indices().stream().map(e -> Exprs.substitute(e, Map.of(v, at))).toList();
            line(gen.tensorName(st.tensor()) + "[" + gen.flatIndex(st.tensor(), indices, false) + "] = " + x + "["
                    + lane + "];");
            depth--;
            line("}");
        }

        // ---- expressions

        private Val value(Expr e) {
            if (!varies(e)) {
                return new Scalar(gen.expr(e), e.dtype());
            }
            return switch (e) {
                case Var x when x.equals(v) -> new Vec(types.iota(lanes) + "(" + gen.varName(v) + ")", DType.INT64);
                case Var x -> vectors.get(x);
                case TensorRead r -> read(r);
                case Binary b -> binary(b);
                case Unary u -> unary(u);
                case Call c -> perLane(c, c.fn().label() + "_v");
                case Cast c -> cast(c);
                case Select s -> select(s);
                case IntImm _, FloatImm _ -> throw new IllegalStateException("a constant varies: " + e);
                case Reduce r -> throw new IllegalStateException("a reduction reached code generation: " + r);
            };
        }

        private Val read(TensorRead r) {
            DType t = r.dtype();
            RegisterTiles.Tile tile = gen.registerTile(r.tensor());
            if (tile != null) {
                return new Vec(tileRegister(tile, r.tensor(), r.indices()), t);
            }
            OptionalLong stride = LinearIndex.flatCoefficient(r.indices(), gen.storageShape(r.tensor()), v,
                    this::isVector);
            if (VectorTypes.supported(t) && stride.isPresent() && stride.getAsLong() == 1) {
                return new Vec(types.load(t, lanes) + "(&" + gen.tensorName(r.tensor()) + "["
                        + gen.flatIndex(r.tensor(), r.indices(), true) + "])", t);
            }
            return lanes(r, Map.of(), "gather_" + gen.tensorName(r.tensor()));
        }

        /** The register holding a whole vector of a tile at the current unrolled position. */
        private String tileRegister(RegisterTiles.Tile tile, Tensor t, List<Expr> indices) {
            if (unrolledBase == null) {
                throw new IllegalStateException("register tile " + t.name() + " accessed in a vector loop that is not unrolled");
            }
            long at = RegisterTiles.offset(RegisterTiles.flat(indices, tile.extents()), Map.of(v, unrolledBase))
                    .orElseThrow(() -> new IllegalStateException("register tile " + t.name() + " at a varying position"));
            return tile.register(gen.tensorName(t), at);
        }

        private Val unary(Unary u) {
            Val x = value(u.value());
            if (u.op() == UnaryOp.NOT) {
                Mask m = asMask(x);
                return new Mask("(~" + paren(m.code()) + ")", m.bytes());
            }
            DType t = u.dtype();
            if (t.isFloat() || t == DType.INT64) {
                return new Vec("(-" + paren(vec(x, t)) + ")", t);
            }
            return new Vec("((" + vecType(t) + ")(-(" + types.unsigned(t, lanes) + ")" + paren(vec(x, t)) + "))", t);
        }

        private Val binary(Binary b) {
            BinaryOp op = b.op();
            DType t = b.a().dtype();
            if (op.isIntegerDivision()) {
                // Exact floor semantics and the division-by-zero fault live in the scalar helpers.
                return perLane(b, op.symbol() + "_v");
            }
            if (op.isLogical()) {
                if (!speculatable(b.b(), unconditionalReads(b.a()))) {
                    // The right operand must not run where the left one decides: keep C's short circuit per lane.
                    return lanes(b, Map.of(), "cond");
                }
                Val x = value(b.a());
                Val y = value(b.b());
                int w = width(x, y);
                return new Mask("(" + mask(x, w) + (op == BinaryOp.AND ? " & " : " | ") + mask(y, w) + ")", w);
            }
            if (t == DType.BOOL) {
                if (op != BinaryOp.EQ && op != BinaryOp.NE) {
                    return perLane(b, "cmp");
                }
                Val x = value(b.a());
                Val y = value(b.b());
                int w = width(x, y);
                return new Mask("(" + mask(x, w) + " " + op.symbol() + " " + mask(y, w) + ")", w);
            }
            Val x = value(b.a());
            Val y = value(b.b());
            if (op.isComparison()) {
                return new Mask("(" + vec(x, t) + " " + op.symbol() + " " + vec(y, t) + ")", t.bytes());
            }
            if (op == BinaryOp.MIN || op == BinaryOp.MAX) {
                // The scalar helpers' compare-and-select, lane by lane: the same answer for NaN and signed zeros.
                String a = materialize(vec(x, t), t);
                String c = materialize(vec(y, t), t);
                String cmp = "(" + a + (op == BinaryOp.MIN ? " < " : " > ") + c + ")";
                return new Vec(types.select(t, lanes) + "(" + cmp + ", " + a + ", " + c + ")", t);
            }
            if (t.isFloat() || t == DType.INT64) {
                return new Vec("(" + vec(x, t) + " " + op.symbol() + " " + vec(y, t) + ")", t);
            }
            // int32 arithmetic wraps, as in the scalar code: unsigned lanes make overflow defined.
            String u = "(" + types.unsigned(t, lanes) + ")";
            return new Vec("((" + vecType(t) + ")(" + u + paren(vec(x, t)) + " " + op.symbol() + " " + u
                    + paren(vec(y, t)) + "))", t);
        }

        private Val cast(Cast c) {
            DType to = c.dtype();
            DType from = c.value().dtype();
            Val x = value(c.value());
            if (to == from) {
                return x;
            }
            if (to == DType.BOOL) {
                return new Mask("(" + vec(x, from) + " != (" + vecType(from) + "){0})", from.bytes());
            }
            if (from == DType.BOOL) {
                // A mask lane is −1 for true; negated it is the 1 a bool converts to.
                return new Vec("__builtin_convertvector(-" + paren(mask(x, to.bytes())) + ", " + vecType(to) + ")", to);
            }
            return new Vec("__builtin_convertvector(" + vec(x, from) + ", " + vecType(to) + ")", to);
        }

        private Val select(Select s) {
            Set<TensorRead> sure = unconditionalReads(s.cond());
            if (!speculatable(s.then(), sure) || !speculatable(s.otherwise(), sure)) {
                // A branch reads what the condition may guard (padding): choose per lane, as the scalar code does.
                return lanes(s, Map.of(), "sel");
            }
            Val c = value(s.cond());
            Val a = value(s.then());
            Val b = value(s.otherwise());
            DType t = s.dtype();
            if (t == DType.BOOL) {
                int w = width(c, a, b);
                String m = materializeMask(mask(c, w), w);
                return new Mask("((" + m + " & " + mask(a, w) + ") | (~" + m + " & " + mask(b, w) + "))", w);
            }
            if (c instanceof Scalar sc) {
                return new Vec("((" + sc.code() + ") ? " + vec(a, t) + " : " + vec(b, t) + ")", t);
            }
            return new Vec(types.select(t, lanes) + "(" + mask(c, t.bytes()) + ", " + vec(a, t) + ", " + vec(b, t) + ")", t);
        }

        /** Vectorizes the operands of {@code node}, then applies the node's scalar code lane by lane. */
        private Val perLane(Expr node, String hint) {
            List<Expr> operands = new ArrayList<>();
            Map<Var, Val> temps = new LinkedHashMap<>();
            for (Expr operand : Exprs.children(node)) {
                if (!varies(operand)) {
                    operands.add(operand);
                    continue;
                }
                Val x = value(operand);
                Var temp = Var.of("x", operand.dtype());
                temps.put(temp, x instanceof Mask m ? new Mask(materializeMask(m.code(), m.bytes()), m.bytes())
                        : new Vec(materialize(vec(x, operand.dtype()), operand.dtype()), operand.dtype()));
                if (gen.dependsOnData(operand)) {
                    gen.markData(temp);
                }
                operands.add(temp);
            }
            return lanes(withOperands(node, operands), temps, hint);
        }

        /**
         * Runs the scalar code of {@code e} once per lane into a fresh vector: the loop variable and
         * every vector variable {@code e} mentions are bound to the lane's scalar values.
         */
        private Val lanes(Expr e, Map<Var, Val> temps, String hint) {
            DType t = e.dtype();
            String result = gen.names().fresh(hint);
            boolean isMask = t == DType.BOOL;
            line((isMask ? types.mask(maskBytes, lanes) : vecType(t)) + " " + result + ";");
            String lane = gen.names().fresh("lane");
            line("for (int " + lane + " = 0; " + lane + " < " + lanes + "; ++" + lane + ") {");
            depth++;
            Map<Var, Expr> bind = new HashMap<>();
            for (Var x : Exprs.vars(e)) {
                Val val = temps.containsKey(x) ? temps.get(x) : vectors.get(x);
                if (x.equals(v)) {
                    bind.put(x, laneVar(v, lane));
                } else if (val != null) {
                    Var at = Var.of(x.name() + "_l", x.dtype());
                    if (gen.isData(x)) {
                        gen.markData(at);
                    }
                    String element = val.code() + "[" + lane + "]";
                    line(val instanceof Mask
                            ? "const bool " + gen.varName(at) + " = " + element + " != 0;"
                            : "const " + CodegenC.valueType(x.dtype()) + " " + gen.varName(at) + " = " + element + ";");
                    bind.put(x, at);
                }
            }
            String scalar = gen.expr(Exprs.substitute(e, bind));
            line(result + "[" + lane + "] = " + (isMask ? "(" + scalar + ") ? -1 : 0" : scalar) + ";");
            depth--;
            line("}");
            return isMask ? new Mask(result, maskBytes) : new Vec(result, t);
        }

        /** Declares the loop variable's value in one lane, {@code v + lane}. */
        private Var laneVar(Var loopVar, String lane) {
            Var at = Var.of(loopVar.name() + "_l", loopVar.dtype());
            if (gen.isData(loopVar)) {
                gen.markData(at);
            }
            line("const int64_t " + gen.varName(at) + " = " + gen.varName(loopVar) + " + " + lane + ";");
            return at;
        }

        // ---- conversions between scalars, vectors and masks

        private String vec(Val x, DType t) {
            return switch (x) {
                case Scalar s -> types.splat(t, lanes) + "(" + s.code() + ")";
                case Vec vec -> vec.code();
                case Mask m -> throw new IllegalStateException("mask " + m.code() + " used as a " + t + " vector");
            };
        }

        private String mask(Val x, int bytes) {
            return switch (x) {
                case Scalar s -> types.splat(maskElement(bytes), lanes) + "((" + s.code() + ") ? -1 : 0)";
                case Mask m when m.bytes() == bytes -> m.code();
                case Mask m -> "__builtin_convertvector(" + m.code() + ", " + types.mask(bytes, lanes) + ")";
                case Vec vec -> throw new IllegalStateException("vector " + vec.code() + " used as a mask");
            };
        }

        private Mask asMask(Val x) {
            return x instanceof Mask m ? m : new Mask(mask(x, maskBytes), maskBytes);
        }

        /** The mask width for combining bool values: the first mask's, else the default. */
        private int width(Val... vals) {
            for (Val x : vals) {
                if (x instanceof Mask m) {
                    return m.bytes();
                }
            }
            return maskBytes;
        }

        private String materialize(String code, DType t) {
            if (code.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return code;
            }
            String name = gen.names().fresh("x");
            line("const " + vecType(t) + " " + name + " = " + code + ";");
            return name;
        }

        private String materializeMask(String code, int bytes) {
            if (code.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return code;
            }
            String name = gen.names().fresh("m");
            line("const " + types.mask(bytes, lanes) + " " + name + " = " + code + ";");
            return name;
        }

        private String vecType(DType t) {
            return types.type(t, lanes);
        }

        private boolean varies(Expr e) {
            return LinearIndex.mentions(e, v, this::isVector);
        }

        private boolean isVector(Var x) {
            return vectors.containsKey(x);
        }

        private void line(String s) {
            gen.out().append("  ".repeat(depth)).append(s).append('\n');
        }
    }

    // ---- helpers without per-loop state

    private static DType maskElement(int bytes) {
        return bytes == 8 ? DType.INT64 : DType.INT32;
    }

    private static String paren(String s) {
        return s.matches("[A-Za-z0-9_.]+") || s.startsWith("(") && closesAtEnd(s) ? s : "(" + s + ")";
    }

    /** Whether the parenthesis opening {@code s} is the one closing it. */
    private static boolean closesAtEnd(String s) {
        int level = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                level++;
            } else if (c == ')') {
                level--;
                if (level == 0 && i != s.length() - 1) {
                    return false;
                }
            }
        }
        return level == 0;
    }

    /**
     * Reads that run whenever {@code e} is evaluated: not those behind the right operand of
     * {@code &&}/{@code ||} or in a branch of a select.
     */
    private static Set<TensorRead> unconditionalReads(Expr e) {
        Set<TensorRead> out = new HashSet<>();
        collectUnconditional(e, out);
        return out;
    }

    private static void collectUnconditional(Expr e, Set<TensorRead> out) {
        switch (e) {
            case TensorRead r -> {
                out.add(r);
                r.indices().forEach(i -> collectUnconditional(i, out));
            }
            case Binary b when b.op().isLogical() -> collectUnconditional(b.a(), out);
            case Select s -> collectUnconditional(s.cond(), out);
            default -> Exprs.children(e).forEach(c -> collectUnconditional(c, out));
        }
    }

    /**
     * Whether {@code e} may be evaluated in lanes where the scalar code would not evaluate it: it
     * reads nothing but what is read anyway ({@code sure}) and has no division that can fault.
     */
    private static boolean speculatable(Expr e, Set<TensorRead> sure) {
        boolean[] ok = {true};
        Exprs.forEach(e, n -> {
            if (n instanceof TensorRead r && !sure.contains(r) || n instanceof Binary b && b.op().isIntegerDivision()) {
                ok[0] = false;
            }
        });
        return ok[0];
    }

    /** {@code node} with its operands replaced, for the node kinds computed lane by lane. */
    private static Expr withOperands(Expr node, List<Expr> ops) {
        return switch (node) {
            case Binary b -> new Binary(b.op(), ops.get(0), ops.get(1));
            case Unary u -> new Unary(u.op(), ops.getFirst());
            case Call c -> new Call(c.fn(), ops);
            case Cast c -> new Cast(c.dtype(), ops.getFirst());
            case Select _ -> new Select(ops.get(0), ops.get(1), ops.get(2));
            default -> throw new IllegalStateException("no lane-by-lane form for " + node);
        };
    }
}
