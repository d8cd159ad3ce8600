package dev.lathe.arith;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Call;
import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.FloatImm;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Range;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Select;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;
import dev.lathe.ir.Var;

import java.util.Optional;

/**
 * The arithmetic analyzer: variables bound to ranges (loop variables, size variables with known
 * limits), and what follows from them — simplified expressions, constant bounds, proofs.
 *
 * <p>{@link #simplify} is one rewrite driver: {@link Exprs#rewrite} bottom-up, each node through
 * the rule table of its kind until no rule applies, whole passes repeated to a fixed point (with
 * a cap). Every rule keeps the value and the dtype of the expression for every input. Integer
 * reasoning assumes int64 arithmetic does not overflow (index arithmetic); narrower integer
 * types are taken to wrap, and rules that need the unwrapped value check that it fits.
 */
public final class Analyzer {
    private static final int MAX_PASSES = 16;
    private static final int MAX_STEPS_PER_NODE = 16;

    private final BoundAnalyzer bounds = new BoundAnalyzer();

    /**
     * Binds {@code v} to {@code [min, min + extent)}, as a loop body sees its loop variable (when
     * the body runs at all, the range is not empty). Symbolic bounds count with their constant
     * bounds under the bindings made so far; a range that is certainly empty leaves {@code v} unknown.
     */
    public Analyzer bind(Var v, Range r) {
        Bound lo = bound(r.min());
        Bound ext = bound(r.extent());
        long hi = Bound.ssub(Bound.sadd(lo.max(), ext.max()), 1);
        if (lo.min() <= hi) {
            bounds.bind(v, Bound.of(lo.min(), hi));
        }
        return this;
    }

    /** Binds {@code v} to the closed interval {@code b}; a later binding of the same variable replaces it. */
    public Analyzer bind(Var v, Bound b) {
        bounds.bind(v, b);
        return this;
    }

    /** Forgets what is known of {@code v} (leaving the scope of its loop). */
    public Analyzer unbind(Var v) {
        bounds.unbind(v);
        return this;
    }

    /** The constant bounds of an integer or bool expression (of its simplified form, where tighter). */
    public Bound bound(Expr e) {
        return boundOf(e).intersect(boundOf(simplify(e)));
    }

    /** An expression equal to {@code e} for every value of the bound variables within their ranges, of the same dtype. */
    public Expr simplify(Expr e) {
        Expr cur = e;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            Expr next = Exprs.rewrite(cur, this::rewriteNode);
            boolean done = next.equals(cur);
            cur = next;
            if (done) {
                break;
            }
        }
        if (cur.dtype() != e.dtype()) {
            throw new IllegalStateException("simplifying " + e + " changed its dtype " + e.dtype() + " to "
                    + cur.dtype() + " (" + cur + ")");
        }
        return cur;
    }

    /** True when the bool expression {@code cond} holds for every value of the bound variables. */
    public boolean canProve(Expr cond) {
        if (!cond.dtype().isBool()) {
            throw new IllegalArgumentException("canProve needs a bool expression, got " + cond + " : " + cond.dtype());
        }
        return simplify(cond).equals(IntImm.TRUE);
    }

    /** True when {@code a} and {@code b} have one dtype and provably the same value. */
    public boolean canProveEqual(Expr a, Expr b) {
        if (a.dtype() != b.dtype()) {
            return false;
        }
        Expr sa = simplify(a);
        Expr sb = simplify(b);
        return sa.equals(sb) || decide(BinaryOp.EQ, sa, sb).orElse(false)
                || a.dtype().isInt() && simplify(new Binary(BinaryOp.SUB, sa, sb)).equals(new IntImm(0, a.dtype()));
    }

    /** One node: its kind's rules, repeatedly, until none applies. */
    private Expr rewriteNode(Expr e) {
        Expr cur = e;
        for (int i = 0; i < MAX_STEPS_PER_NODE; i++) {
            Expr next = step(cur);
            if (next == cur || next.equals(cur)) {
                return cur;
            }
            cur = next;
        }
        return cur;
    }

    private Expr step(Expr e) {
        Expr folded = ConstantFolder.fold(e);
        if (folded != e) {
            return folded;
        }
        if (!(e instanceof IntImm) && !e.dtype().isFloat()) {
            Bound b = boundOf(e);
            if (b.isPoint()) {
                return new IntImm(b.min(), e.dtype());
            }
        }
        return switch (e) {
            case Binary b when b.op().isIntegerDivision() -> DivModRules.apply(b, this);
            case Binary b when b.op() == BinaryOp.MIN || b.op() == BinaryOp.MAX -> MinMaxRules.apply(b, this);
            case Binary b when b.op().isComparison() -> CompareRules.apply(b, this);
            case Binary b when b.op().isLogical() -> LogicRules.apply(b);
            case Binary b -> ArithRules.apply(b);
            case Unary u when u.op() == UnaryOp.NOT -> LogicRules.not(u);
            case Unary u -> ArithRules.neg(u);
            case Select s -> LogicRules.select(s);
            case Cast c -> CastRules.apply(c, this);
            case IntImm _, FloatImm _, Var _, Call _, TensorRead _, Reduce _ -> e;
        };
    }

    /** Bounds of {@code e} as it stands (no simplification). */
    Bound boundOf(Expr e) {
        return bounds.bound(e);
    }

    /** Whether {@code a op b} holds always, never, or is unknown, for integer and bool operands. */
    Optional<Boolean> decide(BinaryOp op, Expr a, Expr b) {
        DType t = a.dtype();
        if (t.isFloat()) {
            return Optional.empty();
        }
        Bound d;
        if (a.equals(b)) {
            d = Bound.point(0);
        } else {
            d = boundOf(a).sub(boundOf(b));
            if (t.isInt()) {
                LinearForm fa = LinearForm.of(a);
                LinearForm fb = LinearForm.of(b);
                if (fa.fits(this::boundOf) && fb.fits(this::boundOf)) {
                    d = d.intersect(LinearForm.differenceBound(fa, fb, this::boundOf));
                }
            }
        }
        return switch (op) {
            case EQ -> d.isPoint() && d.min() == 0 ? Optional.of(true) : d.contains(0) ? Optional.empty() : Optional.of(false);
            case NE -> d.isPoint() && d.min() == 0 ? Optional.of(false) : d.contains(0) ? Optional.empty() : Optional.of(true);
            case LT -> d.max() < 0 ? Optional.of(true) : d.min() >= 0 ? Optional.of(false) : Optional.empty();
            case LE -> d.max() <= 0 ? Optional.of(true) : d.min() > 0 ? Optional.of(false) : Optional.empty();
            case GT -> d.min() > 0 ? Optional.of(true) : d.max() <= 0 ? Optional.of(false) : Optional.empty();
            case GE -> d.min() >= 0 ? Optional.of(true) : d.max() < 0 ? Optional.of(false) : Optional.empty();
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }
}
