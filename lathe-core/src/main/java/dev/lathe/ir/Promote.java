package dev.lathe.ir;

/**
 * The implicit promotions of the expression builders: a Java number or boolean becomes a
 * constant of the other operand's type, a constant adopts the other operand's type, and of two
 * integers of different widths the narrower is widened. Anything else must be cast explicitly.
 */
public final class Promote {
    private Promote() {
    }

    static Expr binary(BinaryOp op, Expr a, Object other) {
        Expr b = literal(other, a.dtype());
        if (a.dtype() != b.dtype()) {
            if (isConst(b)) {
                b = literal(b, a.dtype());
            } else if (isConst(a)) {
                a = literal(a, b.dtype());
            } else if (a.dtype().isInt() && b.dtype().isInt()) {
                if (a.dtype().intBits() < b.dtype().intBits()) {
                    a = a.cast(b.dtype());
                } else {
                    b = b.cast(a.dtype());
                }
            }
        }
        return new Binary(op, a, b);
    }

    private static boolean isConst(Expr e) {
        return e instanceof IntImm || e instanceof FloatImm;
    }

    /** Converts a Java number, boolean or constant expression to a constant of type {@code t}; an iterator becomes its variable; other expressions pass unchanged. */
    public static Expr literal(Object o, DType t) {
        return switch (o) {
            case Expr e when e instanceof IntImm i && i.dtype() != t -> convert(i.value(), t, o);
            case Expr e when e instanceof FloatImm f && f.dtype() != t && t.isFloat() -> new FloatImm(f.value(), t);
            case Expr e -> e;
            // An iterator stands for its variable, so A.get(i, k) and x.add(k) work with a reduce axis k.
            case IterVar v -> v.var();
            case Boolean z -> t.isBool() ? new IntImm(z ? 1 : 0, t) : fail(o, t);
            case Integer i -> convert(i, t, o);
            case Long l -> convert(l, t, o);
            case Short s -> convert(s, t, o);
            case Byte b -> convert(b, t, o);
            case Double d -> t.isFloat() ? new FloatImm(d, t) : fail(o, t);
            case Float f -> t.isFloat() ? new FloatImm(f, t) : fail(o, t);
            default -> throw new MalformedExpressionException("cannot use " + o + " (" + o.getClass().getSimpleName()
                    + ") in an expression; use a number, a boolean or an Expr");
        };
    }

    private static Expr convert(long v, DType t, Object original) {
        if (t.isFloat()) {
            return new FloatImm(v, t);
        }
        if (t.isBool()) {
            return fail(original, t);
        }
        return new IntImm(v, t);
    }

    private static Expr fail(Object o, DType t) {
        throw new MalformedExpressionException("mismatched dtypes: the constant " + o + " cannot be used as " + t
                + "; cast one operand so both have one type");
    }
}
