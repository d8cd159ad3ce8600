package dev.lathe.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A commutative reducer: a combiner over tuples of values ({@code lhs} ⊕ {@code rhs}) and its
 * identity element. Built-in reducers (sum, prod, max, min) and user-defined ones, possibly over
 * several values (e.g. argmax over (index, value)), are all instances of this one record.
 */
public record Reducer(String name, List<Var> lhs, List<Var> rhs, List<Expr> combiner, List<Expr> identity) {

    public Reducer {
        lhs = List.copyOf(lhs);
        rhs = List.copyOf(rhs);
        combiner = List.copyOf(combiner);
        identity = List.copyOf(identity);
        int n = lhs.size();
        if (n == 0 || rhs.size() != n || combiner.size() != n || identity.size() != n) {
            throw new MalformedExpressionException("reducer " + name + ": lhs, rhs, combiner results and identities must "
                    + "have one equal, non-zero count (got " + lhs.size() + ", " + rhs.size() + ", " + combiner.size()
                    + ", " + identity.size() + ")");
        }
        for (int i = 0; i < n; i++) {
            DType t = lhs.get(i).dtype();
            if (rhs.get(i).dtype() != t || combiner.get(i).dtype() != t || identity.get(i).dtype() != t) {
                throw new MalformedExpressionException("reducer " + name + ": value " + i + " must have one type in lhs, "
                        + "rhs, combiner result and identity (lhs is " + t + ", combiner gives "
                        + combiner.get(i).dtype() + ", identity is " + identity.get(i).dtype() + ")");
            }
            if (Exprs.containsReduce(combiner.get(i))) {
                throw new MalformedExpressionException("reducer " + name + ": its combiner contains a reduction");
            }
        }
    }

    /**
     * Defines a reducer over values of the given types. The identity holds one constant per
     * value: an {@link Expr} or a Java number or boolean, converted to the value's type.
     */
    public static Reducer define(String name, List<DType> types,
                                 BiFunction<List<Var>, List<Var>, List<? extends Expr>> combine,
                                 List<?> identity) {
        List<Var> x = new ArrayList<>();
        List<Var> y = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            x.add(Var.of("x" + i, types.get(i)));
            y.add(Var.of("y" + i, types.get(i)));
        }
        List<Expr> ids = new ArrayList<>();
        for (int i = 0; i < identity.size() && i < types.size(); i++) {
            ids.add(Promote.literal(identity.get(i), types.get(i)));
        }
        return new Reducer(name, x, y, List.copyOf(combine.apply(x, y)), ids);
    }

    public static Reducer sum(DType t) {
        return define("sum", List.of(t), (x, y) -> List.of(x.getFirst().add(y.getFirst())), List.of(zero(t)));
    }

    public static Reducer prod(DType t) {
        return define("prod", List.of(t), (x, y) -> List.of(x.getFirst().mul(y.getFirst())), List.of(one(t)));
    }

    public static Reducer max(DType t) {
        return define("max", List.of(t), (x, y) -> List.of(x.getFirst().max(y.getFirst())), List.of(Exprs.lowest(t)));
    }

    public static Reducer min(DType t) {
        return define("min", List.of(t), (x, y) -> List.of(x.getFirst().min(y.getFirst())), List.of(Exprs.highest(t)));
    }

    private static Expr zero(DType t) {
        return Exprs.constant(0, t);
    }

    private static Expr one(DType t) {
        return Exprs.constant(1, t);
    }

    public int arity() {
        return lhs.size();
    }

    public List<DType> types() {
        return lhs.stream().map(Var::dtype).toList();
    }

    /**
     * True for the four built-in reducers, which print by name alone. Decided by structure, not
     * by name: a custom reducer that happens to be called "sum" must still print its definition
     * (else it would share a workload key with the real sum).
     */
    public boolean isBuiltin() {
        if (arity() != 1 || types().getFirst().isBool()) {
            return false;
        }
        DType t = types().getFirst();
        Reducer builtin = switch (name) {
            case "sum" -> sum(t);
            case "prod" -> prod(t);
            case "max" -> max(t);
            case "min" -> min(t);
            default -> null;
        };
        if (builtin == null || !builtin.identity.equals(identity)) {
            return false;
        }
        Map<Var, Expr> rename = Map.of(builtin.lhs.getFirst(), lhs.getFirst(), builtin.rhs.getFirst(), rhs.getFirst());
        return Exprs.substitute(builtin.combiner.getFirst(), rename).equals(combiner.getFirst());
    }

    @Override
    public String toString() {
        return Printer.reducer(this);
    }
}
