package dev.lathe.ir;

/**
 * A scalar expression. The default methods are the builders a compute declaration is written
 * with ({@code a.mul(b).add(1)}); they apply the implicit promotions of {@link Promote}.
 */
public sealed interface Expr permits IntImm, FloatImm, Var, Binary, Unary, Call, Cast, Select, Reduce, TensorRead {

    DType dtype();

    default Expr add(Object o) { return Promote.binary(BinaryOp.ADD, this, o); }
    default Expr sub(Object o) { return Promote.binary(BinaryOp.SUB, this, o); }
    default Expr mul(Object o) { return Promote.binary(BinaryOp.MUL, this, o); }
    /** True division; on integers use {@link #floordiv} or {@link #truncdiv}. */
    default Expr div(Object o) { return Promote.binary(BinaryOp.DIV, this, o); }
    default Expr floordiv(Object o) { return Promote.binary(BinaryOp.FLOORDIV, this, o); }
    default Expr floormod(Object o) { return Promote.binary(BinaryOp.FLOORMOD, this, o); }
    default Expr truncdiv(Object o) { return Promote.binary(BinaryOp.TRUNCDIV, this, o); }
    default Expr truncmod(Object o) { return Promote.binary(BinaryOp.TRUNCMOD, this, o); }
    default Expr min(Object o) { return Promote.binary(BinaryOp.MIN, this, o); }
    default Expr max(Object o) { return Promote.binary(BinaryOp.MAX, this, o); }
    default Expr eq(Object o) { return Promote.binary(BinaryOp.EQ, this, o); }
    default Expr ne(Object o) { return Promote.binary(BinaryOp.NE, this, o); }
    default Expr lt(Object o) { return Promote.binary(BinaryOp.LT, this, o); }
    default Expr le(Object o) { return Promote.binary(BinaryOp.LE, this, o); }
    default Expr gt(Object o) { return Promote.binary(BinaryOp.GT, this, o); }
    default Expr ge(Object o) { return Promote.binary(BinaryOp.GE, this, o); }
    default Expr and(Object o) { return Promote.binary(BinaryOp.AND, this, o); }
    default Expr or(Object o) { return Promote.binary(BinaryOp.OR, this, o); }
    default Expr neg() { return new Unary(UnaryOp.NEG, this); }
    default Expr not() { return new Unary(UnaryOp.NOT, this); }
    default Expr cast(DType to) { return to == dtype() ? this : new Cast(to, this); }
}
