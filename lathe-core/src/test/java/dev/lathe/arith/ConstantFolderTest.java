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
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class ConstantFolderTest {
    private static Expr s(Expr e) {
        Expr out = Simplifier.simplify(e);
        assertEquals(e.dtype(), out.dtype());
        return out;
    }

    private static IntImm i(long v, DType t) {
        return new IntImm(v, t);
    }

    private static FloatImm f(double v, DType t) {
        return new FloatImm(v, t);
    }

    @Test
    void integersWrapToTheirType() {
        assertEquals(i(-128, DType.INT8), s(i(127, DType.INT8).add(i(1, DType.INT8))));
        assertEquals(i(255, DType.UINT8), s(i(0, DType.UINT8).sub(i(1, DType.UINT8))));
        assertEquals(i(Integer.MIN_VALUE, DType.INT32), s(i(Integer.MAX_VALUE, DType.INT32).add(i(1, DType.INT32))));
        assertEquals(i(Long.MIN_VALUE, DType.INT64), s(IntImm.of(Long.MAX_VALUE).add(1)));
        assertEquals(i(0, DType.UINT8), s(i(16, DType.UINT8).mul(i(16, DType.UINT8))));
        assertEquals(i(-128, DType.INT8), s(new Unary(UnaryOp.NEG, i(-128, DType.INT8))));
        assertEquals(i(-128, DType.INT8), s(i(-128, DType.INT8).floordiv(i(-1, DType.INT8))));
        assertEquals(i(-128, DType.INT8), s(new Call(Intrinsic.ABS, List.of(i(-128, DType.INT8)))));
        assertEquals(IntImm.of(5), s(new Call(Intrinsic.ABS, List.of(IntImm.of(-5)))));
    }

    @Test
    void minMaxAndComparisons() {
        assertEquals(IntImm.of(-3), s(IntImm.of(-3).min(4)));
        assertEquals(IntImm.of(4), s(IntImm.of(-3).max(4)));
        assertEquals(IntImm.TRUE, s(IntImm.of(-3).lt(4)));
        assertEquals(IntImm.FALSE, s(IntImm.of(-3).ge(4)));
        assertEquals(IntImm.TRUE, s(i(200, DType.UINT8).gt(i(100, DType.UINT8))));
        assertEquals(IntImm.FALSE, s(IntImm.TRUE.and(IntImm.FALSE)));
        assertEquals(IntImm.TRUE, s(IntImm.TRUE.or(IntImm.FALSE)));
        assertEquals(IntImm.FALSE, s(IntImm.TRUE.not()));
        assertEquals(IntImm.TRUE, s(IntImm.TRUE.eq(IntImm.TRUE)));
    }

    @Test
    void castsFollowC() {
        assertEquals(i(-56, DType.INT8), s(new Cast(DType.INT8, IntImm.of(200))));
        assertEquals(i(200, DType.UINT8), s(new Cast(DType.UINT8, i(-56, DType.INT8))));
        assertEquals(IntImm.TRUE, s(new Cast(DType.BOOL, IntImm.of(-7))));
        assertEquals(IntImm.of(1), s(new Cast(DType.INT64, IntImm.TRUE)));
        assertEquals(i(-2, DType.INT32), s(new Cast(DType.INT32, f(-2.9, DType.FLOAT64))));
        assertEquals(i(2, DType.INT32), s(new Cast(DType.INT32, f(2.9, DType.FLOAT32))));
        assertEquals(IntImm.TRUE, s(new Cast(DType.BOOL, f(Double.NaN, DType.FLOAT32))));
        assertEquals(IntImm.FALSE, s(new Cast(DType.BOOL, f(-0.0, DType.FLOAT32))));
        // long to float rounds to nearest
        assertEquals(f((float) ((1L << 40) + 1), DType.FLOAT32), s(new Cast(DType.FLOAT32, IntImm.of((1L << 40) + 1))));
        assertEquals(f(0.1f, DType.FLOAT32), s(new Cast(DType.FLOAT32, f(0.1, DType.FLOAT64))));
        assertEquals(f(0.5, DType.FLOAT16), s(new Cast(DType.FLOAT16, f(0.5, DType.FLOAT64))));
    }

    @Test
    void undefinedConversionsAreNotFolded() {
        Expr nan = new Cast(DType.INT32, f(Double.NaN, DType.FLOAT64));
        assertSame(nan, s(nan));
        Expr big = new Cast(DType.INT32, f(3e9, DType.FLOAT64));
        assertSame(big, s(big));
        Expr negToUnsigned = new Cast(DType.UINT8, f(-1.0, DType.FLOAT32));
        assertSame(negToUnsigned, s(negToUnsigned));
        // float64 to float16 through float32 would round twice
        Expr twice = new Cast(DType.FLOAT16, f(1 + 0x1p-11 + 0x1p-30, DType.FLOAT64));
        assertSame(twice, s(twice));
    }

    @Test
    void float32ArithmeticRoundsToSingle() {
        assertEquals(f(0.1f + 0.2f, DType.FLOAT32), s(f(0.1, DType.FLOAT32).add(f(0.2, DType.FLOAT32))));
        assertEquals(f(0.1 + 0.2, DType.FLOAT64), s(f(0.1, DType.FLOAT64).add(f(0.2, DType.FLOAT64))));
        assertEquals(f(1f / 3f, DType.FLOAT32), s(f(1, DType.FLOAT32).div(f(3, DType.FLOAT32))));
        assertEquals(f(16777216f, DType.FLOAT32), s(f(16777216, DType.FLOAT32).add(f(1, DType.FLOAT32))));
        assertEquals(f(-2.5, DType.FLOAT32), s(new Unary(UnaryOp.NEG, f(2.5, DType.FLOAT32))));
        assertEquals(IntImm.FALSE, s(f(Double.NaN, DType.FLOAT32).eq(f(Double.NaN, DType.FLOAT32))));
        assertEquals(IntImm.TRUE, s(f(Double.NaN, DType.FLOAT64).ne(f(1, DType.FLOAT64))));
        assertEquals(IntImm.TRUE, s(f(-0.0, DType.FLOAT64).eq(f(0.0, DType.FLOAT64))));
        assertEquals(f(3, DType.FLOAT32), s(f(2, DType.FLOAT32).max(f(3, DType.FLOAT32))));
    }

    @Test
    void exactIntrinsicsFold() {
        assertEquals(f(2, DType.FLOAT32), s(new Call(Intrinsic.FLOOR, List.of(f(2.7, DType.FLOAT32)))));
        assertEquals(f(-2, DType.FLOAT64), s(new Call(Intrinsic.CEIL, List.of(f(-2.7, DType.FLOAT64)))));
        assertEquals(f(2, DType.FLOAT64), s(new Call(Intrinsic.ROUND, List.of(f(2.5, DType.FLOAT64)))));
        assertEquals(f(2.5, DType.FLOAT32), s(new Call(Intrinsic.ABS, List.of(f(-2.5, DType.FLOAT32)))));
    }

    @Test
    void uncertainFloatResultsAreNotFolded() {
        for (Expr e : List.<Expr>of(
                f(1, DType.FLOAT32).div(f(0, DType.FLOAT32)),
                f(1, DType.FLOAT16).add(f(2, DType.FLOAT16)),
                f(Double.NaN, DType.FLOAT32).min(f(1, DType.FLOAT32)),
                f(-0.0, DType.FLOAT32).max(f(0.0, DType.FLOAT32)),
                new Call(Intrinsic.EXP, List.of(f(1, DType.FLOAT64))),
                new Call(Intrinsic.SQRT, List.of(f(2, DType.FLOAT32))))) {
            assertSame(e, s(e), e::toString);
        }
    }

    @Test
    void integerDivisionByZeroIsNotFolded() {
        for (BinaryOp op : List.of(BinaryOp.FLOORDIV, BinaryOp.FLOORMOD, BinaryOp.TRUNCDIV, BinaryOp.TRUNCMOD)) {
            Expr e = new Binary(op, IntImm.of(5), IntImm.of(0));
            assertSame(e, s(e));
        }
    }
}
