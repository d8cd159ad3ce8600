package dev.lathe.autoschedule.feature;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Call;
import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.FloatImm;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Select;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;
import dev.lathe.ir.Var;

import java.util.Map;

/** Counts operations by kind (unweighted; the caller multiplies by the loop nest size). */
final class OpCounter {
    private final double[] out;
    private final Map<Var, Expr> lets;

    OpCounter(double[] out, Map<Var, Expr> lets) {
        this.out = out;
        this.lets = lets;
    }

    private void add(String name) {
        out[FeatureNames.arithIndex(name)] += 1;
    }

    void count(Expr e) {
        switch (e) {
            case IntImm _, FloatImm _ -> {
            }
            case Var x -> {
                if (lets.containsKey(x)) {
                    count(lets.get(x));
                }
            }
            case Binary b -> binary(b);
            case Unary u -> {
                add(u.op() == UnaryOp.NOT ? "bool_op" : u.dtype().isFloat() ? "float_neg" : "int_neg");
                count(u.value());
            }
            case Call c -> {
                add(switch (c.fn()) {
                    case EXP -> "float_exp";
                    case LOG -> "float_log";
                    case SQRT, RSQRT -> "float_sqrt";
                    case TANH, SIGMOID, ERF -> "float_tanh_sigmoid_erf";
                    case POW -> "float_pow";
                    case ABS -> c.dtype().isFloat() ? "float_other_math" : "int_minmax";
                    case FLOOR, CEIL, ROUND -> "float_other_math";
                });
                c.args().forEach(this::count);
            }
            case Cast c -> {
                add("cast");
                count(c.value());
            }
            case Select s -> {
                add("select");
                count(s.cond());
                count(s.then());
                count(s.otherwise());
            }
            case TensorRead r -> {
                add("tensor_reads");
                r.indices().forEach(this::count);
            }
            case Reduce r -> {
                r.sources().forEach(this::count);
                count(r.condition());
            }
        }
    }

    private static boolean isFloatMul(Expr e) {
        return e instanceof Binary m && m.op() == BinaryOp.MUL && m.dtype().isFloat();
    }

    private void binary(Binary b) {
        DType t = b.a().dtype();
        BinaryOp op = b.op();
        if (t.isFloat() && (op == BinaryOp.ADD || op == BinaryOp.SUB) && (isFloatMul(b.a()) || isFloatMul(b.b()))) {
            Binary m = (Binary) (isFloatMul(b.a()) ? b.a() : b.b());
            Expr other = m == b.a() ? b.b() : b.a();
            add("float_mad");
            count(m.a());
            count(m.b());
            count(other);
            return;
        }
        if (op.isLogical()) {
            add("bool_op");
        } else if (op.isComparison()) {
            add(t.isFloat() ? "float_cmp" : "int_cmp");
        } else if (t.isFloat()) {
            add(switch (op) {
                case ADD, SUB -> "float_addsub";
                case MUL -> "float_mul";
                case DIV -> "float_div";
                default -> "float_minmax";
            });
        } else {
            add(switch (op) {
                case ADD, SUB -> "int_addsub";
                case MUL -> "int_mul";
                case MIN, MAX -> "int_minmax";
                default -> "int_divmod";
            });
        }
        count(b.a());
        count(b.b());
    }
}
