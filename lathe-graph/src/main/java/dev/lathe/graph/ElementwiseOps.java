package dev.lathe.graph;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

import static dev.lathe.graph.OpTable.add;

/** Element-wise operators: activations, arithmetic with broadcasting, comparisons, casts. */
final class ElementwiseOps {
    private ElementwiseOps() {
    }

    static void register(Map<String, OpTable.OpDef> t) {
        unary(t, "Relu", x -> x.max(zero(x)));
        unary(t, "Sigmoid", Te::sigmoid);
        unary(t, "Tanh", Te::tanh);
        unary(t, "Sqrt", Te::sqrt);
        unary(t, "Exp", Te::exp);
        unary(t, "Log", Te::log);
        unary(t, "Erf", Te::erf);
        unary(t, "Abs", x -> x.dtype().isFloat() || x.dtype() == DType.INT64 || x.dtype() == DType.INT32
                ? Te.ifThenElse(x.lt(zero(x)), x.neg(), x) : x);
        unary(t, "Neg", Expr::neg);
        unary(t, "Floor", Te::floor);
        unary(t, "Ceil", Te::ceil);
        unary(t, "Round", Te::round);
        unary(t, "Reciprocal", x -> Te.constant(1, x.dtype()).div(x));
        unary(t, "Not", Expr::not);
        unary(t, "Identity", x -> x);
        unary(t, "Softplus", x -> Te.log(Te.exp(x).add(Te.constant(1, x.dtype()))));
        unary(t, "Softsign", x -> x.div(Te.constant(1, x.dtype()).add(Te.abs(x))));
        unary(t, "Sign", x -> Te.ifThenElse(x.gt(zero(x)), Te.constant(1, x.dtype()),
                Te.ifThenElse(x.lt(zero(x)), Te.constant(-1, x.dtype()), zero(x))));
        unary(t, "HardSwish", x -> x.mul(x.div(Te.constant(6, x.dtype())).add(Te.constant(0.5, x.dtype()))
                .max(zero(x)).min(Te.constant(1, x.dtype()))));
        add(t, "Dropout", ctx -> {
            if (ctx.node().outputs().size() > 1 && !ctx.node().outputs().get(1).isEmpty()) {
                throw ctx.unsupported("the mask output (only inference, where Dropout is the identity, is compiled)");
            }
            if (ctx.has(2)) {
                throw ctx.unsupported("a training_mode input");
            }
            return map(ctx, x -> x);
        });
        add(t, "CastLike", ctx -> map(ctx, x -> cast(x, ctx.in(1).dtype())));
        add(t, "Selu", ctx -> {
            double alpha = ctx.node().floatAttr("alpha", 1.67326319217681884765625);
            double gamma = ctx.node().floatAttr("gamma", 1.05070102214813232421875);
            return map(ctx, x -> Te.constant(gamma, x.dtype()).mul(Te.ifThenElse(x.gt(zero(x)), x,
                    Te.constant(alpha, x.dtype()).mul(Te.exp(x).sub(Te.constant(1, x.dtype()))))));
        });
        add(t, "Celu", ctx -> {
            double alpha = ctx.node().floatAttr("alpha", 1.0);
            return map(ctx, x -> x.max(zero(x)).add(zero(x).min(Te.constant(alpha, x.dtype())
                    .mul(Te.exp(x.div(Te.constant(alpha, x.dtype()))).sub(Te.constant(1, x.dtype()))))));
        });
        add(t, "ThresholdedRelu", ctx -> {
            double alpha = ctx.node().floatAttr("alpha", 1.0);
            return map(ctx, x -> Te.ifThenElse(x.gt(Te.constant(alpha, x.dtype())), x, zero(x)));
        });
        // max(x, 0) + min(x, 0) * slope rather than x < 0 ? x * slope : x: GCC 12.2 at -O3 with AVX-512
        // if-converts the select into a masked load of slope and loses some of the selected lanes.
        add(t, "PRelu", ctx -> List.of(Indexing.broadcast(List.of(ctx.in(0), ctx.in(1)),
                v -> v.get(0).max(zero(v.get(0))).add(v.get(0).min(zero(v.get(0))).mul(v.get(1))), ctx.out(0))));
        add(t, "Mod", ctx -> {
            boolean fmod = ctx.node().intAttr("fmod", 0) != 0;
            return List.of(Indexing.broadcast(List.of(ctx.in(0), ctx.in(1)), v -> mod(v.get(0), v.get(1), fmod),
                    ctx.out(0)));
        });
        binary(t, "Sum", Expr::add);
        add(t, "Mean", ctx -> List.of(Indexing.broadcast(inputs(ctx), v -> v.stream().reduce(Expr::add).orElseThrow()
                .div(Te.constant(v.size(), v.getFirst().dtype())), ctx.out(0))));
        add(t, "LeakyRelu", ctx -> {
            double alpha = ctx.node().floatAttr("alpha", 0.01);
            return map(ctx, x -> Te.ifThenElse(x.lt(zero(x)), x.mul(Te.constant(alpha, x.dtype())), x));
        });
        add(t, "Elu", ctx -> {
            double alpha = ctx.node().floatAttr("alpha", 1.0);
            return map(ctx, x -> Te.ifThenElse(x.lt(zero(x)),
                    Te.constant(alpha, x.dtype()).mul(Te.exp(x).sub(Te.constant(1, x.dtype()))), x));
        });
        add(t, "HardSigmoid", ctx -> {
            double alpha = ctx.node().floatAttr("alpha", 0.2);
            double beta = ctx.node().floatAttr("beta", 0.5);
            return map(ctx, x -> x.mul(Te.constant(alpha, x.dtype())).add(Te.constant(beta, x.dtype()))
                    .max(zero(x)).min(Te.constant(1, x.dtype())));
        });
        add(t, "Gelu", ctx -> {
            String approx = ctx.node().stringAttr("approximate", "none");
            return map(ctx, x -> {
                DType d = x.dtype();
                Expr inner = approx.equals("tanh")
                        ? Te.tanh(Te.constant(Math.sqrt(2 / Math.PI), d)
                        .mul(x.add(Te.constant(0.044715, d).mul(x).mul(x).mul(x)))).add(Te.constant(1, d))
                        : Te.erf(x.mul(Te.constant(1 / Math.sqrt(2), d))).add(Te.constant(1, d));
                return Te.constant(0.5, d).mul(x).mul(inner);
            });
        });
        add(t, "Clip", ElementwiseOps::clip);
        add(t, "Cast", ctx -> {
            DType to = OnnxTypes.dtype(ctx, (int) ctx.node().intAttr("to", 1));
            return map(ctx, x -> cast(x, to));
        });
        binary(t, "Add", Expr::add);
        binary(t, "Sub", Expr::sub);
        binary(t, "Mul", Expr::mul);
        binary(t, "Div", (a, b) -> a.dtype().isFloat() ? a.div(b) : a.truncdiv(b));
        binary(t, "Max", Expr::max);
        binary(t, "Min", Expr::min);
        binary(t, "Equal", Expr::eq);
        binary(t, "Less", Expr::lt);
        binary(t, "LessOrEqual", Expr::le);
        binary(t, "Greater", Expr::gt);
        binary(t, "GreaterOrEqual", Expr::ge);
        binary(t, "And", Expr::and);
        binary(t, "Or", Expr::or);
        binary(t, "Xor", Expr::ne);
        add(t, "Pow", ctx -> {
            Tensor a = ctx.in(0);
            Tensor b = ctx.in(1);
            DType calc = a.dtype() == DType.FLOAT64 || b.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
            return List.of(Indexing.broadcast(List.of(a, b),
                    v -> cast(Te.pow(v.get(0).cast(calc), v.get(1).cast(calc)), a.dtype()), ctx.out(0)));
        });
        add(t, "Where", ctx -> List.of(Indexing.broadcast(List.of(ctx.in(0), ctx.in(1), ctx.in(2)),
                v -> Te.ifThenElse(v.get(0), v.get(1), v.get(2)), ctx.out(0))));
    }

    /** Integer mod takes the divisor's sign (as Python's %); fmod, and every float mod, the dividend's. */
    private static Expr mod(Expr a, Expr b, boolean fmod) {
        if (a.dtype().isFloat()) {
            Expr q = a.div(b);
            Expr trunc = Te.ifThenElse(q.lt(zero(q)), Te.ceil(q), Te.floor(q));
            return a.sub(trunc.mul(b));
        }
        return fmod ? a.truncmod(b) : a.floormod(b);
    }

    private static Expr zero(Expr x) {
        return Te.constant(0, x.dtype());
    }

    /** A cast with ONNX semantics for booleans (non-zero is true). */
    static Expr cast(Expr x, DType to) {
        if (to == DType.BOOL && x.dtype() != DType.BOOL) {
            return x.ne(zero(x));
        }
        return x.cast(to);
    }

    private static void unary(Map<String, OpTable.OpDef> t, String op, UnaryOperator<Expr> fn) {
        add(t, op, ctx -> map(ctx, fn));
    }

    private static List<Tensor> map(LowerContext ctx, UnaryOperator<Expr> fn) {
        Tensor x = ctx.in(0);
        return List.of(Te.computeN(x.shape(), v -> fn.apply(x.get(v)), ctx.out(0)));
    }

    /** Binary operators are variadic where ONNX makes them so (Max, Min): folded left to right. */
    private static void binary(Map<String, OpTable.OpDef> t, String op, BinaryOperator<Expr> fn) {
        add(t, op, ctx -> {
            List<Tensor> ins = inputs(ctx);
            for (Tensor in : ins) {
                if (in.dtype() != ins.getFirst().dtype()) {
                    throw new IllegalArgumentException(ctx.node().label() + ": operands of different element types "
                            + ins.getFirst().dtype().label() + " and " + in.dtype().label());
                }
            }
            return List.of(Indexing.broadcast(ins, v -> v.stream().reduce(fn).orElseThrow(), ctx.out(0)));
        });
    }

    private static List<Tensor> inputs(LowerContext ctx) {
        return java.util.stream.IntStream.range(0, ctx.inputCount()).filter(ctx::has).mapToObj(ctx::in).toList();
    }

    private static List<Tensor> clip(LowerContext ctx) {
        Tensor x = ctx.in(0);
        // Opset 11+: bounds are optional scalar inputs, read as tensors so they may vary at run time.
        Tensor lo = ctx.has(1) ? ctx.in(1) : null;
        Tensor hi = ctx.has(2) ? ctx.in(2) : null;
        return List.of(Te.computeN(x.shape(), v -> {
            Expr e = x.get(v);
            if (lo != null) {
                e = e.max(lo.get(List.of()));
            }
            if (hi != null) {
                e = e.min(hi.get(List.of()));
            }
            return e;
        }, ctx.out(0)));
    }

}
