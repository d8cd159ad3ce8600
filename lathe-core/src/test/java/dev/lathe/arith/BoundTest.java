package dev.lathe.arith;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Range;
import dev.lathe.ir.Var;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BoundTest {
    private final Var i = Var.of("i");
    private final Var j = Var.of("j");
    private final Var n = Var.of("n");
    private final Analyzer an = new Analyzer().bind(i, Range.of(0, 16)).bind(j, Range.of(-3, 7));

    @Test
    void intervalArithmeticSaturates() {
        assertEquals(Bound.of(Long.MIN_VALUE + 3, 5), Bound.of(Long.MIN_VALUE, 2).add(Bound.point(3)));
        assertEquals(Bound.of(Long.MIN_VALUE, -1), Bound.of(Long.MIN_VALUE, 2).sub(Bound.point(3)));
        assertEquals(Bound.of(Long.MIN_VALUE, Long.MAX_VALUE), Bound.of(-2, 2).mul(Bound.point(Long.MAX_VALUE)));
        assertEquals(Bound.point(Long.MAX_VALUE), Bound.point(Long.MIN_VALUE).neg());
        assertEquals(Bound.of(-6, 4), Bound.of(-3, 2).mul(Bound.point(2)));
        assertEquals(Bound.of(-4, 6), Bound.of(-3, 2).mul(Bound.point(-2)));
        assertThrows(IllegalArgumentException.class, () -> Bound.of(2, 1));
    }

    @Test
    void divisionAndModulo() {
        assertEquals(Bound.of(-2, 1), Bound.of(-7, 7).floorDiv(Bound.point(4)));
        assertEquals(Bound.of(-1, 1), Bound.of(-7, 7).truncDiv(Bound.point(4)));
        assertEquals(Bound.of(0, 3), Bound.of(-7, 7).floorMod(Bound.point(4)));
        assertEquals(Bound.of(-3, 3), Bound.of(-7, 7).truncMod(Bound.point(4)));
        assertEquals(Bound.of(1, 3), Bound.of(5, 7).floorMod(Bound.point(4)));
        assertEquals(Bound.of(2, 5), Bound.of(2, 5).floorMod(Bound.of(6, 9)));
        assertEquals(Bound.of(-3, 0), Bound.of(-7, 7).floorMod(Bound.point(-4)));
        assertEquals(Bound.of(-2, 1), Bound.of(-7, 7).floorDiv(Bound.point(-4)));
        assertEquals(Bound.EVERYTHING, Bound.of(1, 2).floorDiv(Bound.of(-1, 1)));
    }

    @Test
    void boundsOfExpressions() {
        assertEquals(Bound.of(0, 15), an.bound(i));
        assertEquals(Bound.of(-3, 3), an.bound(j));
        assertEquals(Bound.of(-3, 63), an.bound(i.mul(4).add(j)));
        assertEquals(Bound.of(-3, 15), an.bound(i.sub(j).min(i)));
        assertEquals(Bound.of(0, 15), an.bound(i.max(j)));
        assertEquals(Bound.of(0, 3), an.bound(i.floordiv(4)));
        assertEquals(Bound.of(0, 3), an.bound(i.floormod(4)));
        assertEquals(Bound.of(-1, 0), an.bound(j.floordiv(4)));
        assertEquals(Bound.of(0, 0), an.bound(j.truncdiv(4)));
        assertEquals(Bound.of(-3, 3), an.bound(j.truncmod(4)));
        assertEquals(Bound.of(-3, 15), an.bound(new dev.lathe.ir.Select(j.lt(0), j, i)));
        assertEquals(Bound.of(0, 1), an.bound(i.lt(j)));
        assertEquals(Bound.of(Long.MIN_VALUE, Long.MAX_VALUE), an.bound(n));
        assertEquals(Bound.point(12), an.bound(IntImm.of(12)));
    }

    @Test
    void simplificationTightensBounds() {
        assertEquals(Bound.point(0), an.bound(n.sub(n)));
        assertEquals(Bound.of(0, 15), an.bound(i.mul(8).add(j.add(3)).floordiv(8).sub(0)));
    }

    @Test
    void castsAndNarrowTypes() {
        Var b = Var.of("b", DType.INT8);
        Var u = Var.of("u", DType.UINT8);
        assertEquals(Bound.of(-128, 127), an.bound(b));
        assertEquals(Bound.of(0, 255), an.bound(u));
        // int8 addition may wrap: the whole type
        assertEquals(Bound.of(-128, 127), an.bound(b.add(1)));
        assertEquals(Bound.of(-128, 127), an.bound(b.cast(DType.INT64)));
        assertEquals(Bound.of(0, 255), an.bound(u.cast(DType.INT32)));
        assertEquals(Bound.of(-128, 127), an.bound(i.mul(100).cast(DType.INT8)));
        assertEquals(Bound.of(0, 15), an.bound(i.cast(DType.INT8)));
        Analyzer small = new Analyzer().bind(b, Bound.of(0, 10));
        assertEquals(Bound.of(1, 11), small.bound(b.add(1)));
    }

    @Test
    void symbolicRangesUseConstantBounds() {
        Var m = Var.of("m");
        Var k = Var.of("k");
        Analyzer a = new Analyzer().bind(m, Range.of(1, 8)).bind(k, new Range(m, m.mul(2)));
        // m in [1, 8]; k in [m, 3m) so k in [1, 23]
        assertEquals(Bound.of(1, 23), a.bound(k));
        Analyzer unknown = new Analyzer().bind(k, Range.fromExtent(n));
        assertEquals(Bound.of(0, Long.MAX_VALUE - 1), unknown.bound(k));
        Expr e = k.lt(n);
        assertEquals(Bound.of(0, 1), unknown.bound(e));
    }
}
