package dev.lathe.runtime;

import dev.lathe.ir.Binary;
import dev.lathe.ir.Cast;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Var;

import java.util.Map;

/** Evaluates shape expressions for given size-variable values, to check arguments before a call. */
final class ShapeEval {
    private ShapeEval() {
    }

    static long eval(Expr e, Map<Var, Long> env) {
        return switch (e) {
            case IntImm i -> i.value();
            case Var v -> {
                Long x = env.get(v);
                if (x == null) {
                    throw new KernelArgumentException("size variable " + v.name() + " is not bound");
                }
                yield x;
            }
            case Cast c -> eval(c.value(), env);
            case Binary b -> {
                long x = eval(b.a(), env);
                long y = eval(b.b(), env);
                yield switch (b.op()) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                    case FLOORDIV -> Math.floorDiv(x, nonZero(y, e));
                    case FLOORMOD -> Math.floorMod(x, nonZero(y, e));
                    case TRUNCDIV -> x / nonZero(y, e);
                    case TRUNCMOD -> x % nonZero(y, e);
                    case MIN -> Math.min(x, y);
                    case MAX -> Math.max(x, y);
                    default -> throw new IllegalArgumentException("unsupported operator in shape expression " + e);
                };
            }
            default -> throw new IllegalArgumentException("unsupported shape expression " + e);
        };
    }

    private static long nonZero(long y, Expr e) {
        if (y == 0) {
            throw new KernelArgumentException("shape expression " + e + " divides by zero for the given sizes");
        }
        return y;
    }
}
