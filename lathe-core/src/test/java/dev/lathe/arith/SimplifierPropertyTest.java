package dev.lathe.arith;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Select;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;
import dev.lathe.ir.Var;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random integer expressions over variables with small known ranges: the simplified expression
 * must evaluate like the original at random points of the ranges, and the computed bound must
 * contain every value seen.
 */
class SimplifierPropertyTest {
    private static final long SEED = 20250101L;

    @Test
    void int64ExpressionsKeepTheirValue() {
        check(DType.INT64, SEED, 3000, new long[][] {{-4, 7}, {0, 15}, {0, 3}, {-6, -1}});
    }

    @Test
    void int8ExpressionsKeepTheirWrappedValue() {
        check(DType.INT8, SEED + 1, 1500, new long[][] {{-100, 100}, {0, 120}, {0, 3}, {-128, 127}});
    }

    @Test
    void int32ExpressionsKeepTheirWrappedValue() {
        check(DType.INT32, SEED + 3, 1000, new long[][] {{-4, 7}, {0, 2_000_000_000}, {0, 3}, {-2_000_000_000, 5}});
    }

    @Test
    void uint8ExpressionsKeepTheirWrappedValue() {
        check(DType.UINT8, SEED + 2, 1000, new long[][] {{0, 200}, {0, 15}, {3, 9}, {0, 255}});
    }

    private static void check(DType t, long seed, int cases, long[][] ranges) {
        Random rnd = new Random(seed);
        List<Var> vars = List.of(Var.of("x", t), Var.of("y", t), Var.of("z", t), Var.of("w", t));
        Analyzer an = new Analyzer();
        for (int v = 0; v < vars.size(); v++) {
            an.bind(vars.get(v), Bound.of(ranges[v][0], ranges[v][1]));
        }
        Gen gen = new Gen(rnd, t, vars, ranges);
        int changed = 0;
        for (int c = 0; c < cases; c++) {
            Expr e = gen.expr(4);
            Expr s;
            Bound b;
            try {
                s = an.simplify(e);
                b = an.bound(e);
            } catch (RuntimeException ex) {
                throw new AssertionError("seed " + seed + " case " + c + ": simplifying " + e + " threw " + ex, ex);
            }
            assertEquals(e.dtype(), s.dtype(), () -> "dtype changed: " + e + " -> " + s);
            if (!s.equals(e)) {
                changed++;
            }
            for (int k = 0; k < 16; k++) {
                Map<Var, Long> env = new HashMap<>();
                for (int v = 0; v < vars.size(); v++) {
                    env.put(vars.get(v), ranges[v][0] + (long) rnd.nextInt((int) (ranges[v][1] - ranges[v][0] + 1)));
                }
                long expected;
                try {
                    expected = eval(e, env);
                } catch (ArithmeticException divByZero) {
                    continue;
                }
                long actual;
                try {
                    actual = eval(s, env);
                } catch (ArithmeticException ex) {
                    fail("seed " + seed + " case " + c + ": " + e + " simplified to " + s + " divides by zero at " + env);
                    return;
                }
                if (expected != actual) {
                    fail("seed " + seed + " case " + c + ": " + e + " simplified to " + s + " at " + env + ": "
                            + expected + " != " + actual);
                }
                if (!b.contains(expected)) {
                    fail("seed " + seed + " case " + c + ": bound " + b + " of " + e + " misses " + expected + " at " + env);
                }
            }
        }
        assertTrue(changed > cases / 3, "the simplifier changed only " + changed + " of " + cases + " expressions");
    }

    /** Exact evaluation: long arithmetic wrapped to the type after every operation. */
    static long eval(Expr e, Map<Var, Long> env) {
        return switch (e) {
            case IntImm i -> i.value();
            case Var v -> env.get(v);
            case Unary u -> u.op() == UnaryOp.NOT ? 1 - eval(u.value(), env) : u.dtype().wrap(-eval(u.value(), env));
            case Select s -> eval(s.cond(), env) != 0 ? eval(s.then(), env) : eval(s.otherwise(), env);
            case Cast c -> c.dtype().wrap(eval(c.value(), env));
            case Binary b -> {
                long x = eval(b.a(), env);
                long y = eval(b.b(), env);
                DType t = b.dtype();
                yield switch (b.op()) {
                    case ADD -> t.wrap(x + y);
                    case SUB -> t.wrap(x - y);
                    case MUL -> t.wrap(x * y);
                    case FLOORDIV -> t.wrap(Math.floorDiv(x, y));
                    case FLOORMOD -> t.wrap(Math.floorMod(x, y));
                    case TRUNCDIV -> t.wrap(x / y);
                    case TRUNCMOD -> t.wrap(x % y);
                    case MIN -> Math.min(x, y);
                    case MAX -> Math.max(x, y);
                    case EQ -> x == y ? 1 : 0;
                    case NE -> x != y ? 1 : 0;
                    case LT -> x < y ? 1 : 0;
                    case LE -> x <= y ? 1 : 0;
                    case GT -> x > y ? 1 : 0;
                    case GE -> x >= y ? 1 : 0;
                    case AND -> x != 0 && y != 0 ? 1 : 0;
                    case OR -> x != 0 || y != 0 ? 1 : 0;
                    case DIV -> throw new IllegalStateException("true division on integers");
                };
            }
            default -> throw new IllegalStateException("cannot evaluate " + e);
        };
    }

    /** Random expressions; products keep one small factor so int64 values never overflow. */
    private record Gen(Random rnd, DType t, List<Var> vars, long[][] ranges) {
        private static final BinaryOp[] DIVS = {BinaryOp.FLOORDIV, BinaryOp.FLOORMOD, BinaryOp.TRUNCDIV, BinaryOp.TRUNCMOD};
        private static final BinaryOp[] CMPS = {BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE};

        Expr expr(int depth) {
            if (depth == 0 || rnd.nextInt(5) == 0) {
                return leaf();
            }
            return switch (rnd.nextInt(12)) {
                case 0, 1 -> new Binary(BinaryOp.ADD, expr(depth - 1), expr(depth - 1));
                case 2, 3 -> new Binary(BinaryOp.SUB, expr(depth - 1), expr(depth - 1));
                case 4 -> new Binary(BinaryOp.MUL, expr(depth - 1), rnd.nextBoolean() ? constant() : leaf());
                case 5 -> new Binary(BinaryOp.MUL, constant(), expr(depth - 1));
                case 6 -> new Binary(rnd.nextBoolean() ? BinaryOp.MIN : BinaryOp.MAX, expr(depth - 1), expr(depth - 1));
                case 7, 8 -> new Binary(DIVS[rnd.nextInt(4)], expr(depth - 1), divisor());
                case 9 -> new Select(cond(depth - 1), expr(depth - 1), expr(depth - 1));
                case 10 -> new Unary(UnaryOp.NEG, expr(depth - 1));
                default -> new Binary(DIVS[rnd.nextInt(4)],
                        new Binary(BinaryOp.ADD, new Binary(BinaryOp.MUL, leaf(), smallPositive()), expr(depth - 1)), divisor());
            };
        }

        Expr cond(int depth) {
            Expr c = new Binary(CMPS[rnd.nextInt(CMPS.length)], expr(depth), expr(depth));
            return switch (rnd.nextInt(6)) {
                case 0 -> new Binary(BinaryOp.AND, c, new Binary(CMPS[rnd.nextInt(CMPS.length)], leaf(), constant()));
                case 1 -> new Binary(BinaryOp.OR, c, new Binary(CMPS[rnd.nextInt(CMPS.length)], leaf(), constant()));
                case 2 -> new Unary(UnaryOp.NOT, c);
                default -> c;
            };
        }

        Expr leaf() {
            return rnd.nextInt(4) == 0 ? constant() : vars.get(rnd.nextInt(vars.size()));
        }

        Expr constant() {
            return new IntImm(rnd.nextInt(21) - 10, t);
        }

        Expr smallPositive() {
            int[] cs = {2, 3, 4, 8, 16};
            return new IntImm(cs[rnd.nextInt(cs.length)], t);
        }

        /** A constant other than zero, or an expression that is positive on the variables' ranges. */
        Expr divisor() {
            if (rnd.nextInt(4) == 0) {
                int v = rnd.nextInt(vars.size());
                if (ranges[v][0] >= 0) {
                    return new Binary(BinaryOp.ADD, vars.get(v), new IntImm(1 + rnd.nextInt(3), t));
                }
            }
            int[] cs = {1, 2, 3, 4, 8, 16, -1, -3, -4, 5, 7};
            return new IntImm(cs[rnd.nextInt(cs.length)], t);
        }
    }
}
