package dev.lathe.arith;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Call;
import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.FloatImm;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Intrinsic;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;

/**
 * Evaluates a node whose operands are constants, with the exact semantics of the generated code:
 * integers wrap to their type, floor and truncating division and modulo as named, float32 in
 * single precision, C conversions. Returns the node unchanged where the result is not certain:
 * a division by zero, float16 arithmetic, a float-to-integer conversion out of range, math
 * functions other than the exactly rounded ones, min/max of a NaN or of two zeros.
 */
final class ConstantFolder {
    private ConstantFolder() {
    }

    static Expr fold(Expr e) {
        return switch (e) {
            case Binary(BinaryOp op, IntImm a, IntImm b) -> intBinary(e, op, a.value(), b.value(), a.dtype());
            case Binary(BinaryOp op, FloatImm a, FloatImm b) -> floatBinary(e, op, a.value(), b.value(), a.dtype());
            case Unary(UnaryOp op, IntImm a) -> op == UnaryOp.NOT ? new IntImm(a.value() == 0 ? 1 : 0, DType.BOOL)
                    : new IntImm(-a.value(), a.dtype());
            case Unary(UnaryOp _, FloatImm a) -> new FloatImm(-a.value(), a.dtype());
            case Cast(DType to, IntImm a) -> castInt(e, a.value(), a.dtype(), to);
            case Cast(DType to, FloatImm a) -> castFloat(e, a.value(), a.dtype(), to);
            case Call(Intrinsic fn, var args) when args.size() == 1 && args.getFirst() instanceof IntImm a
                    && fn == Intrinsic.ABS -> new IntImm(Math.abs(a.value()), a.dtype());
            case Call(Intrinsic fn, var args) when args.size() == 1 && args.getFirst() instanceof FloatImm a ->
                    exactCall(e, fn, a);
            default -> e;
        };
    }

    private static Expr intBinary(Expr e, BinaryOp op, long a, long b, DType t) {
        if (op.isIntegerDivision() && b == 0) {
            return e;
        }
        return switch (op) {
            case ADD -> new IntImm(a + b, t);
            case SUB -> new IntImm(a - b, t);
            case MUL -> new IntImm(a * b, t);
            case FLOORDIV -> new IntImm(Math.floorDiv(a, b), t);
            case FLOORMOD -> new IntImm(Math.floorMod(a, b), t);
            case TRUNCDIV -> new IntImm(a / b, t);
            case TRUNCMOD -> new IntImm(a % b, t);
            case MIN -> new IntImm(Math.min(a, b), t);
            case MAX -> new IntImm(Math.max(a, b), t);
            case EQ -> bool(a == b);
            case NE -> bool(a != b);
            case LT -> bool(a < b);
            case LE -> bool(a <= b);
            case GT -> bool(a > b);
            case GE -> bool(a >= b);
            case AND -> bool(a != 0 && b != 0);
            case OR -> bool(a != 0 || b != 0);
            case DIV -> e;
        };
    }

    private static Expr floatBinary(Expr e, BinaryOp op, double a, double b, DType t) {
        if (op.isComparison()) {
            return bool(switch (op) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                default -> a >= b;
            });
        }
        if (t == DType.FLOAT16) {
            return e; // float16 arithmetic runs in float32; when it is rounded back is the backend's business
        }
        if (op == BinaryOp.MIN || op == BinaryOp.MAX) {
            // C's fmin/fmax and a compare-and-select disagree on NaN and on the sign of zero.
            if (Double.isNaN(a) || Double.isNaN(b) || a == 0 && b == 0) {
                return e;
            }
            return new FloatImm(op == BinaryOp.MIN ? Math.min(a, b) : Math.max(a, b), t);
        }
        if (op == BinaryOp.DIV && b == 0) {
            return e;
        }
        if (t == DType.FLOAT32) {
            float x = (float) a;
            float y = (float) b;
            return switch (op) {
                case ADD -> new FloatImm(x + y, t);
                case SUB -> new FloatImm(x - y, t);
                case MUL -> new FloatImm(x * y, t);
                case DIV -> new FloatImm(x / y, t);
                default -> e;
            };
        }
        return switch (op) {
            case ADD -> new FloatImm(a + b, t);
            case SUB -> new FloatImm(a - b, t);
            case MUL -> new FloatImm(a * b, t);
            case DIV -> new FloatImm(a / b, t);
            default -> e;
        };
    }

    private static Expr castInt(Expr e, long v, DType from, DType to) {
        return switch (to) {
            case BOOL -> bool(v != 0);
            case INT8, UINT8, INT32, INT64 -> new IntImm(v, to);
            case FLOAT64 -> new FloatImm((double) v, to);
            case FLOAT32 -> new FloatImm((float) v, to);
            // int to half through float rounds twice unless the float step is exact
            case FLOAT16 -> Math.abs(v) <= (1L << 24) ? new FloatImm((float) v, to) : e;
        };
    }

    private static Expr castFloat(Expr e, double v, DType from, DType to) {
        return switch (to) {
            case BOOL -> bool(v != 0); // NaN is non-zero
            case FLOAT64 -> new FloatImm(v, to);
            case FLOAT32 -> new FloatImm((float) v, to);
            case FLOAT16 -> (double) (float) v == v ? new FloatImm(v, to) : e;
            case INT8, UINT8, INT32, INT64 -> {
                if (Double.isNaN(v)) {
                    yield e;
                }
                double t = v < 0 ? Math.ceil(v) : Math.floor(v);
                Bound range = Bound.of(to);
                // C leaves out-of-range conversions undefined: do not pick a value for them.
                boolean inRange = to == DType.INT64 ? t >= -0x1p63 && t < 0x1p63 : t >= range.min() && t <= range.max();
                yield inRange ? new IntImm((long) t, to) : e;
            }
        };
    }

    private static Expr exactCall(Expr e, Intrinsic fn, FloatImm a) {
        double v = a.value();
        return switch (fn) {
            case ABS -> new FloatImm(Math.abs(v), a.dtype());
            case FLOOR -> new FloatImm(Math.floor(v), a.dtype());
            case CEIL -> new FloatImm(Math.ceil(v), a.dtype());
            case ROUND -> new FloatImm(Math.rint(v), a.dtype());
            default -> e; // libm results are not bit-exact across platforms
        };
    }

    private static IntImm bool(boolean z) {
        return z ? IntImm.TRUE : IntImm.FALSE;
    }
}
