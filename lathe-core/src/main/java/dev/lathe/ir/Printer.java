package dev.lathe.ir;

import dev.lathe.te.Tensor;

import java.util.List;
import java.util.stream.Collectors;

/** Human-readable text of expressions and reducers, with only the parentheses precedence needs. */
public final class Printer {
    private Printer() {
    }

    /** How variables, tensors and reducers are named in printed text. */
    public interface Naming {
        String var(Var v);

        String tensor(Tensor t);

        String reducer(Reducer r);

        Naming PLAIN = new Naming() {
            public String var(Var v) {
                return v.name();
            }

            public String tensor(Tensor t) {
                return t.name();
            }

            public String reducer(Reducer r) {
                return r.name();
            }
        };
    }

    public static String expr(Expr e) {
        return expr(e, Naming.PLAIN);
    }

    /** Prints with a custom naming (used for normalized, name-independent forms). */
    public static String expr(Expr e, Naming names) {
        return new Printer.Run(names).print(e, 0);
    }

    public static String reducer(Reducer r) {
        return reducer(r, Naming.PLAIN);
    }

    public static String reducer(Reducer r, Naming names) {
        Run run = new Run(names);
        String x = r.lhs().stream().map(names::var).collect(Collectors.joining(", "));
        String y = r.rhs().stream().map(names::var).collect(Collectors.joining(", "));
        String c = r.combiner().stream().map(e -> run.print(e, 0)).collect(Collectors.joining(", "));
        String id = r.identity().stream().map(e -> run.print(e, 0)).collect(Collectors.joining(", "));
        String types = r.types().stream().map(DType::label).collect(Collectors.joining(", "));
        return names.reducer(r) + "<" + types + ">((" + x + "), (" + y + ")) = (" + c + "), identity (" + id + ")";
    }

    private record Run(Naming names) {
        String print(Expr e, int outer) {
            return switch (e) {
                case IntImm i -> i.dtype() == DType.BOOL ? (i.value() != 0 ? "true" : "false")
                        : i.dtype() == DType.INT64 ? Long.toString(i.value())
                        : i.value() + (i.dtype() == DType.UINT8 ? "u" : "i") + i.dtype().intBits();
                case FloatImm f -> floatText(f);
                case Var v -> names.var(v);
                case Binary b when b.op().infix() -> {
                    int p = precedence(b.op());
                    String s = print(b.a(), p) + " " + b.op().symbol() + " " + print(b.b(), p + 1);
                    yield p < outer ? "(" + s + ")" : s;
                }
                case Binary b -> b.op().symbol() + "(" + print(b.a(), 0) + ", " + print(b.b(), 0) + ")";
                case Unary u -> (u.op() == UnaryOp.NEG ? "-" : "!") + print(u.value(), 100);
                case Call c -> c.fn().label() + "(" + list(c.args()) + ")";
                case Cast c -> c.dtype().label() + "(" + print(c.value(), 0) + ")";
                case Select s -> "select(" + print(s.cond(), 0) + ", " + print(s.then(), 0) + ", "
                        + print(s.otherwise(), 0) + ")";
                case TensorRead r -> names.tensor(r.tensor()) + "[" + list(r.indices()) + "]";
                case Reduce r -> reduce(r);
            };
        }

        private String reduce(Reduce r) {
            String src = r.sources().size() == 1 ? print(r.sources().getFirst(), 0) : "(" + list(r.sources()) + ")";
            String axes = r.axes().stream()
                    .map(a -> names.var(a.var()) + " in " + range(a.dom()))
                    .collect(Collectors.joining(", "));
            String cond = r.condition() instanceof IntImm i && i.value() == 1 ? "" : ", where " + print(r.condition(), 0);
            String value = r.reducer().arity() > 1 ? "." + r.valueIndex() : "";
            return names.reducer(r.reducer()) + "(" + src + ", axis=[" + axes + "]" + cond + ")" + value;
        }

        private String range(Range d) {
            if (d.min() instanceof IntImm m && m.value() == 0) {
                return "[0, " + print(d.extent(), 0) + ")";
            }
            return "[" + print(d.min(), 0) + ", " + print(d.min(), 6) + " + " + print(d.extent(), 7) + ")";
        }

        private String list(List<Expr> es) {
            return es.stream().map(x -> print(x, 0)).collect(Collectors.joining(", "));
        }
    }

    private static String floatText(FloatImm f) {
        double v = f.value();
        String s;
        if (Double.isInfinite(v)) {
            s = v > 0 ? "inf" : "-inf";
        } else if (Double.isNaN(v)) {
            s = "nan";
        } else {
            s = f.dtype() == DType.FLOAT64 ? Double.toString(v) : Float.toString((float) v);
        }
        return f.dtype() == DType.FLOAT32 ? s + "f" : f.dtype() == DType.FLOAT16 ? s + "h" : s;
    }

    private static int precedence(BinaryOp op) {
        return switch (op) {
            case OR -> 1;
            case AND -> 2;
            case EQ, NE -> 3;
            case LT, LE, GT, GE -> 4;
            case ADD, SUB -> 6;
            case MUL, DIV -> 7;
            default -> 9;
        };
    }
}
