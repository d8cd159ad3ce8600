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
import dev.lathe.tir.PrimFunc;
import dev.lathe.tir.Seq;
import dev.lathe.tir.Stmt;
import dev.lathe.tir.Store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generates the C source of a lowered kernel. The entry point has the uniform signature
 * {@code int32_t name(void* const* args, const int64_t* sizes)}: tensor data pointers in
 * parameter order and size-variable values in order; it returns 0, or a fault code.
 */
public final class CodegenC {
    /** Allocations up to this many bytes live on the stack; larger ones on the heap. */
    private static final long STACK_LIMIT = 16 * 1024;

    private final PrimFunc func;
    private final CNames names = new CNames();
    private final Map<Tensor, List<Expr>> storageShape = new HashMap<>();
    /** Variables whose value depends on tensor data: indices built from them are bounds-checked. */
    private final Set<Var> dataVars = new HashSet<>();
    private final List<String> sites = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();
    /** Allocations kept in vector registers, and the ones in scope while their body is emitted. */
    private Map<Allocate, RegisterTiles.Tile> tiles = Map.of();
    private final Map<Tensor, RegisterTiles.Tile> activeTiles = new HashMap<>();
    private final VectorTypes vectorTypes = new VectorTypes();
    private final VectorLoopEmitter vectorLoops;
    private final VectorTarget target;

    private CodegenC(PrimFunc func, VectorTarget target) {
        this.func = func;
        this.target = target;
        this.vectorLoops = new VectorLoopEmitter(this, target, vectorTypes);
    }

    /** C source and the description of each checked read site (fault code {@code 100 + i}). */
    public record Source(String entry, String text, List<String> checkedSites) {
    }

    /** C for the host's vector width. */
    public static Source generate(PrimFunc func) {
        return generate(func, VectorTarget.host());
    }

    public static Source generate(PrimFunc func, VectorTarget target) {
        CodegenC g = new CodegenC(func, target);
        g.emitFunction();
        return new Source(g.entry(), g.out.toString(), List.copyOf(g.sites));
    }

    private void emitFunction() {
        out.append(CPrelude.TEXT).append('\n');
        int vectorDefinitions = out.length();
        String entry = entry();
        out.append("int32_t ").append(entry).append("(void* const* args, const int64_t* sizes) {\n");
        List<Tensor> params = func.params();
        for (int i = 0; i < params.size(); i++) {
            Tensor t = params.get(i);
            storageShape.put(t, t.shape());
            String c = cType(t.dtype());
            out.append("  ").append(c).append("* restrict ").append(tensorName(t)).append(" = (").append(c)
                    .append("*)args[").append(i).append("];\n");
        }
        for (int i = 0; i < func.sizeVars().size(); i++) {
            Var v = func.sizeVars().get(i);
            out.append("  const int64_t ").append(varName(v)).append(" = sizes[").append(i).append("];\n");
        }
        out.append("  lathe_fault_code = 0;\n");
        tiles = RegisterTiles.find(func.body(), target, func.params());
        stmt(func.body(), 1);
        out.append("  return lathe_fault_code;\n}\n");
        // Vector types are known only once the body is generated; they go between the prelude and the entry.
        out.insert(vectorDefinitions, vectorTypes.definitions());
    }

    /** The entry's symbol; the {@code lathe_} prefix keeps it apart from every other name in the library. */
    private String entry() {
        return "lathe_kernel_" + func.name().replace('.', '_');
    }

    /** The register tile of a tensor while its allocation is in scope, or null. */
    RegisterTiles.Tile registerTile(Tensor t) {
        return activeTiles.get(t);
    }

    /** A scalar element of a register tile; its position is a constant (RegisterTiles checked it). */
    private String tileElement(Tensor t, List<Expr> indices) {
        RegisterTiles.Tile tile = activeTiles.get(t);
        long at = RegisterTiles.offset(RegisterTiles.flat(indices, tile.extents()), Map.of()).orElseThrow(() ->
                new IllegalStateException("register tile " + t.name() + " accessed at a varying position " + indices));
        return tile.register(tensorName(t), at) + "[" + at % tile.lanes() + "]";
    }

    String tensorName(Tensor t) {
        return names.of(t, t.name());
    }

    String varName(Var v) {
        return names.of(v, v.name());
    }

    private static String cType(DType t) {
        return t.cType();
    }

    /** The C type expressions of this dtype are computed in (float16 arithmetic runs in float). */
    static String valueType(DType t) {
        return t == DType.FLOAT16 ? "float" : t.cType();
    }

    // ---- statements

    void stmt(Stmt s, int depth) {
        String pad = "  ".repeat(depth);
        switch (s) {
            case For f -> forLoop(f, depth);
            case Store st -> {
                String target = activeTiles.containsKey(st.tensor()) ? tileElement(st.tensor(), st.indices())
                        : tensorName(st.tensor()) + "[" + flatIndex(st.tensor(), st.indices(), false) + "]";
                String v = expr(st.value());
                if (st.tensor().dtype() == DType.FLOAT16) {
                    v = "lathe_f2h(" + v + ")";
                }
                out.append(pad).append(target).append(" = ").append(v).append(";\n");
            }
            case Allocate a -> allocate(a, depth);
            case Seq q -> q.stmts().forEach(x -> stmt(x, depth));
            case IfThenElse i -> {
                out.append(pad).append("if (").append(expr(i.cond())).append(") {\n");
                stmt(i.then(), depth + 1);
                if (i.otherwise().isPresent()) {
                    out.append(pad).append("} else {\n");
                    stmt(i.otherwise().get(), depth + 1);
                }
                out.append(pad).append("}\n");
            }
            case LetStmt l -> {
                noteLet(l);
                out.append(pad).append("{\n");
                out.append(pad).append("  const ").append(valueType(l.var().dtype())).append(' ').append(varName(l.var()))
                        .append(" = ").append(expr(l.value())).append(";\n");
                stmt(l.body(), depth + 1);
                out.append(pad).append("}\n");
            }
        }
    }

    private void forLoop(For f, int depth) {
        if (dependsOnData(f.min()) || dependsOnData(f.extent())) {
            dataVars.add(f.var());
        }
        switch (f.kind()) {
            case VECTORIZED -> vectorLoops.emit(f, depth);
            // The thread count is chosen at run time (Module.setThreads); lathe_num_threads is in the prelude.
            case PARALLEL -> plainLoop(f, depth, "#pragma omp parallel for num_threads(lathe_num_threads())");
            case UNROLLED -> plainLoop(f, depth, "#pragma GCC unroll 64");
            case SERIAL -> plainLoop(f, depth, null);
        }
    }

    /** The loop as written, one iteration at a time, under {@code pragma} if not null. */
    void plainLoop(For f, int depth, String pragma) {
        String pad = "  ".repeat(depth);
        String v = varName(f.var());
        if (pragma != null) {
            out.append(pad).append(pragma).append('\n');
        }
        boolean zeroMin = f.min() instanceof IntImm m && m.value() == 0;
        if (zeroMin) {
            out.append(pad).append("for (int64_t ").append(v).append(" = 0; ").append(v).append(" < ")
                    .append(expr(f.extent())).append("; ++").append(v).append(") {\n");
        } else {
            String begin = expr(f.min());
            String end = names.fresh(v + "_end");
            out.append(pad).append("for (int64_t ").append(v).append(" = ").append(begin).append(", ").append(end)
                    .append(" = ").append(v).append(" + ").append(paren(expr(f.extent()))).append("; ").append(v)
                    .append(" < ").append(end).append("; ++").append(v).append(") {\n");
        }
        stmt(f.body(), depth + 1);
        out.append(pad).append("}\n");
    }

    private void allocate(Allocate a, int depth) {
        String pad = "  ".repeat(depth);
        Tensor t = a.tensor();
        storageShape.put(t, a.extents());
        String name = tensorName(t);
        String c = cType(t.dtype());
        Expr count = IntImm.of(1);
        for (Expr e : a.extents()) {
            count = count instanceof IntImm x && e instanceof IntImm y ? IntImm.of(x.value() * y.value())
                    : count instanceof IntImm one && one.value() == 1 ? e : count.mul(e);
        }
        // Each allocation is a block of its own: the same stage may be allocated in sibling places (unrolled copies).
        out.append(pad).append("{\n");
        String in = pad + "  ";
        RegisterTiles.Tile tile = tiles.get(a);
        if (tile != null) {
            String type = vectorTypes.type(t.dtype(), tile.lanes());
            out.append(in).append("/* ").append(name).append(": kept in ").append(tile.vectors()).append(" vector registers */\n");
            for (int r = 0; r < tile.vectors(); r++) {
                out.append(in).append(type).append(' ').append(name).append("_r").append(r).append(" = {0};\n");
            }
            activeTiles.put(t, tile);
            stmt(a.body(), depth + 1);
            activeTiles.remove(t);
            out.append(pad).append("}\n");
            return;
        }
        if (count instanceof IntImm n && n.value() * t.dtype().bytes() <= STACK_LIMIT) {
            out.append(in).append(c).append(' ').append(name).append('[').append(Math.max(1, n.value()))
                    .append("] __attribute__((aligned(64)));\n");
            stmt(a.body(), depth + 1);
        } else {
            out.append(in).append(c).append("* restrict ").append(name).append(" = (").append(c).append("*)lathe_alloc(")
                    .append("sizeof(").append(c).append(") * (size_t)").append(paren(expr(count))).append(");\n");
            out.append(in).append("if (").append(name).append(") {\n");
            stmt(a.body(), depth + 2);
            out.append(in).append("  free(").append(name).append(");\n");
            out.append(in).append("}\n");
        }
        out.append(pad).append("}\n");
    }

    // ---- what the vector loop emitter shares

    StringBuilder out() {
        return out;
    }

    CNames names() {
        return names;
    }

    /** The shape a tensor's storage is indexed with: its own for a parameter, the allocated extents otherwise. */
    List<Expr> storageShape(Tensor t) {
        List<Expr> shape = storageShape.get(t);
        if (shape == null) {
            throw new IllegalStateException("tensor " + t.name() + " is accessed but neither a parameter nor allocated");
        }
        return shape;
    }

    /** Records that a let-bound variable holds a value computed from tensor data. */
    void noteLet(LetStmt l) {
        if (dependsOnData(l.value())) {
            dataVars.add(l.var());
        }
    }

    boolean isData(Var v) {
        return dataVars.contains(v);
    }

    void markData(Var v) {
        dataVars.add(v);
    }

    // ---- expressions

    boolean dependsOnData(Expr e) {
        boolean[] found = {false};
        Exprs.forEach(e, n -> {
            if (n instanceof TensorRead || n instanceof Var v && dataVars.contains(v)) {
                found[0] = true;
            }
        });
        return found[0];
    }

    /** The row-major flat index of a multi-dimensional access; data-dependent indices are bounds-checked. */
    String flatIndex(Tensor t, List<Expr> indices, boolean isRead) {
        List<Expr> shape = storageShape(t);
        if (indices.isEmpty()) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < indices.size(); d++) {
            Expr idx = indices.get(d);
            String term = expr(idx);
            if (dependsOnData(idx)) {
                int site = CPrelude.FIRST_SITE + sites.size();
                sites.add((isRead ? "read of " : "store to ") + t.name() + " dimension " + d + " at index " + idx
                        + " (extent " + shape.get(d) + ")");
                term = "lathe_chk(" + term + ", " + expr(shape.get(d)) + ", " + site + ")";
            }
            String stride = stride(shape, d);
            if (!stride.equals("1")) {
                term = paren(term) + " * " + stride;
            }
            if (sb.length() > 0) {
                sb.append(" + ");
            }
            sb.append(term);
        }
        return sb.toString();
    }

    private String stride(List<Expr> shape, int d) {
        long constant = 1;
        List<String> symbolic = new ArrayList<>();
        for (int k = d + 1; k < shape.size(); k++) {
            if (shape.get(k) instanceof IntImm i) {
                constant *= i.value();
            } else {
                symbolic.add(paren(expr(shape.get(k))));
            }
        }
        if (constant != 1 || symbolic.isEmpty()) {
            symbolic.addFirst(Long.toString(constant));
        }
        return String.join(" * ", symbolic);
    }

    private static String paren(String s) {
        return s.matches("[A-Za-z0-9_.]+") ? s : "(" + s + ")";
    }

    String expr(Expr e) {
        return switch (e) {
            case IntImm i -> intLiteral(i);
            case FloatImm f -> floatLiteral(f);
            case Var v -> varName(v);
            case Binary b -> binary(b);
            case Unary u -> u.op() == UnaryOp.NOT ? "(!" + paren(expr(u.value())) + ")"
                    : wrapInt(u.dtype(), "-" + paren(expr(u.value())));
            case Call c -> call(c);
            case Cast c -> cast(c);
            case Select s -> "(" + expr(s.cond()) + " ? " + expr(s.then()) + " : " + expr(s.otherwise()) + ")";
            case TensorRead r when activeTiles.containsKey(r.tensor()) -> tileElement(r.tensor(), r.indices());
            case TensorRead r -> {
                String load = tensorName(r.tensor()) + "[" + flatIndex(r.tensor(), r.indices(), true) + "]";
                yield r.tensor().dtype() == DType.FLOAT16 ? "lathe_h2f(" + load + ")" : load;
            }
            case Reduce r -> throw new IllegalStateException("a reduction reached code generation: " + r);
        };
    }

    private static String intLiteral(IntImm i) {
        long v = i.value();
        if (i.dtype() == DType.BOOL) {
            return v != 0 ? "true" : "false";
        }
        if (v == Long.MIN_VALUE) {
            return "INT64_MIN";
        }
        String s = Long.toString(v);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            s += "LL";
        }
        return v < 0 ? "(" + s + ")" : s;
    }

    private static String floatLiteral(FloatImm f) {
        double v = f.value();
        boolean isDouble = f.dtype() == DType.FLOAT64;
        if (Double.isNaN(v)) {
            return isDouble ? "((double)NAN)" : "NAN";
        }
        if (Double.isInfinite(v)) {
            String inf = isDouble ? "((double)INFINITY)" : "INFINITY";
            return v > 0 ? inf : "(-" + inf + ")";
        }
        // Java's shortest round-trip text parses back to the same value in C.
        String s = isDouble ? Double.toString(v) : Float.toString((float) v) + "f";
        return v < 0 ? "(" + s + ")" : s;
    }

    private String binary(Binary b) {
        DType t = b.a().dtype();
        String a = expr(b.a());
        String c = expr(b.b());
        BinaryOp op = b.op();
        if ((op == BinaryOp.TRUNCDIV || op == BinaryOp.TRUNCMOD) && b.b() instanceof IntImm d
                && d.value() != 0 && d.value() != -1) {
            // A constant divisor other than 0 and -1 cannot fault: C's own division is exact here.
            return "(" + a + (op == BinaryOp.TRUNCDIV ? " / " : " % ") + c + ")";
        }
        if (op.isIntegerDivision()) {
            String fn = "lathe_" + op.symbol();
            String call = fn + "(" + widen(t, a) + ", " + widen(t, c) + ")";
            return t == DType.INT64 ? call : "((" + t.cType() + ")" + call + ")";
        }
        if (op == BinaryOp.MIN || op == BinaryOp.MAX) {
            return "lathe_" + (op == BinaryOp.MIN ? "min_" : "max_") + suffix(t) + "(" + a + ", " + c + ")";
        }
        String infix = "(" + a + " " + op.symbol() + " " + c + ")";
        if (op.isComparison() || op.isLogical()) {
            return infix;
        }
        if (t.isInt() && t != DType.INT64) {
            // Narrow integer arithmetic wraps after every operation, as the reference evaluator does.
            return "((" + t.cType() + ")((int64_t)" + paren(a) + " " + op.symbol() + " (int64_t)" + paren(c) + "))";
        }
        return infix;
    }

    private static String widen(DType t, String s) {
        return t == DType.INT64 ? s : "(int64_t)" + paren(s);
    }

    private static String wrapInt(DType t, String s) {
        return t.isInt() && t != DType.INT64 ? "((" + t.cType() + ")(" + s + "))" : "(" + s + ")";
    }

    private static String suffix(DType t) {
        return switch (t) {
            case FLOAT32, FLOAT16 -> "f32";
            case FLOAT64 -> "f64";
            case INT8 -> "i8";
            case UINT8 -> "u8";
            case INT32 -> "i32";
            case INT64 -> "i64";
            case BOOL -> "b";
        };
    }

    private String call(Call c) {
        DType t = c.dtype();
        boolean f = t != DType.FLOAT64;
        String x = expr(c.args().getFirst());
        String fs = f ? "f" : "";
        return switch (c.fn()) {
            case EXP -> "exp" + fs + "(" + x + ")";
            case LOG -> "log" + fs + "(" + x + ")";
            case SQRT -> "sqrt" + fs + "(" + x + ")";
            case RSQRT -> "(" + (f ? "1.0f" : "1.0") + " / sqrt" + fs + "(" + x + "))";
            case TANH -> "tanh" + fs + "(" + x + ")";
            case SIGMOID -> "lathe_sigmoid_" + (f ? "f32" : "f64") + "(" + x + ")";
            case POW -> "pow" + fs + "(" + x + ", " + expr(c.args().get(1)) + ")";
            case ABS -> t.isFloat() ? "fabs" + fs + "(" + x + ")"
                    : "((" + t.cType() + ")(" + paren(x) + " < 0 ? -(int64_t)" + paren(x) + " : " + paren(x) + "))";
            case ERF -> "erf" + fs + "(" + x + ")";
            case FLOOR -> "floor" + fs + "(" + x + ")";
            case CEIL -> "ceil" + fs + "(" + x + ")";
            case ROUND -> "nearbyint" + fs + "(" + x + ")";
        };
    }

    private String cast(Cast c) {
        DType to = c.dtype();
        DType from = c.value().dtype();
        String v = expr(c.value());
        if (to == from) {
            return v;
        }
        if (to == DType.BOOL) {
            return "(" + paren(v) + " != 0)";
        }
        if (to == DType.FLOAT16) {
            return "lathe_round_f16((float)" + paren(v) + ")";
        }
        return "((" + valueType(to) + ")" + paren(v) + ")";
    }
}
