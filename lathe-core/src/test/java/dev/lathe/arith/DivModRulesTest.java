package dev.lathe.arith;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Range;
import dev.lathe.ir.Var;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DivModRulesTest {
    private final Var i = Var.of("i");
    private final Var j = Var.of("j");
    private final Var x = Var.of("x");
    private final Var n = Var.of("n");
    private final Analyzer an = new Analyzer().bind(i, Range.of(0, 16)).bind(j, Range.of(0, 8));

    private String s(Expr e) {
        return an.simplify(e).toString();
    }

    @Test
    void splitIndicesRecombine() {
        assertEquals("i", s(i.mul(8).add(j).floordiv(8)));
        assertEquals("j", s(i.mul(8).add(j).floormod(8)));
        assertEquals("i", s(i.mul(8).add(j).truncdiv(8)));
        assertEquals("j", s(i.mul(8).add(j).truncmod(8)));
        assertEquals("i * 2", s(i.mul(16).add(j).floordiv(8)));
        assertEquals("i * 2 + 1", s(i.mul(16).add(j).add(8).floordiv(8)));
        assertEquals("j", s(i.mul(16).add(j).add(16).floormod(8)));
        assertEquals("floormod(j + 3, 8)", s(i.mul(16).add(j).add(11).floormod(8)));
    }

    @Test
    void anInnerFactorOfTheDivisorSettlesTheSmallTerms() {
        // i * 4 + j3 with 0 <= j3 < 4, divided by 16 (an axis split by 4, read through floordiv by a block of 16)
        Var j3 = Var.of("j3");
        Analyzer a = new Analyzer().bind(x, Range.of(0, 100)).bind(j3, Range.of(0, 4));
        assertEquals("floordiv(x, 4)", a.simplify(x.mul(4).add(j3).floordiv(16)).toString());
        assertEquals("truncdiv(x, 4)", a.simplify(x.mul(4).add(j3).truncdiv(16)).toString());
        assertEquals("j3 + floormod(x, 4) * 4", a.simplify(x.mul(4).add(j3).floormod(16)).toString());
        assertEquals("floordiv(x, 4) + 1", a.simplify(x.mul(4).add(j3).add(16).floordiv(16)).toString());
        // j (< 8) is not below the factor 4: no rewrite
        assertEquals("floordiv(j + x * 4, 16)", new Analyzer().bind(x, Range.of(0, 100)).bind(j, Range.of(0, 8))
                .simplify(x.mul(4).add(j).floordiv(16)).toString());
        // exhaustively equal to the definition
        for (long xv = 0; xv < 100; xv++) {
            for (long jv = 0; jv < 4; jv++) {
                long v = xv * 4 + jv;
                assertEquals(Math.floorDiv(v, 16), Math.floorDiv(xv, 4));
                assertEquals(Math.floorMod(v, 16), Math.floorMod(xv, 4) * 4 + jv);
            }
        }
    }

    @Test
    void unknownRemaindersStayButShrink() {
        assertEquals("i + floordiv(x, 8)", s(i.mul(8).add(x).floordiv(8)));
        assertEquals("floormod(x, 8)", s(i.mul(8).add(x).floormod(8)));
        assertEquals("floordiv(x, 8) + 2", s(x.add(16).floordiv(8)));
        assertEquals("floormod(x + 3, 8)", s(x.add(19).floormod(8)));
        // a common factor of dividend and divisor cancels
        assertEquals("floordiv(x, 2)", s(x.mul(4).floordiv(8)));
        assertEquals("floormod(x, 2) * 4", s(x.mul(4).floormod(8)));
        // 6x + 3 = 6*x + 3 with 0 <= 3 < 6, and 6 divides 12
        assertEquals("floordiv(x, 2)", s(x.mul(6).add(3).floordiv(12)));
        assertEquals("floordiv(x, 4)", s(x.mul(6).add(3).floordiv(24)));
    }

    @Test
    void trivialDivisors() {
        assertEquals("x", s(x.floordiv(1)));
        assertEquals("0", s(x.floormod(1)));
        assertEquals("x", s(x.truncdiv(1)));
        assertEquals("0", s(x.truncmod(1)));
        assertEquals("x", s(x.mul(8).floordiv(8)));
        assertEquals("x", s(x.mul(8).truncdiv(8)));
        assertEquals("0", s(x.mul(8).floormod(8)));
        assertEquals("0", s(x.mul(8).truncmod(8)));
        assertEquals("x * 2 - 1", s(x.mul(8).sub(4).truncdiv(4)));
    }

    @Test
    void quotientOfSmallDividendIsZero() {
        assertEquals("0", s(i.floordiv(16)));
        assertEquals("i", s(i.floormod(16)));
        assertEquals("0", s(i.floordiv(n.max(16))));
        assertEquals("i", s(i.truncmod(n.max(17))));
        assertEquals("floordiv(i, n)", s(i.floordiv(n)));
    }

    @Test
    void nestedDivisions() {
        assertEquals("floordiv(x, 32)", s(x.floordiv(4).floordiv(8)));
        assertEquals("truncdiv(x, 32)", s(x.truncdiv(4).truncdiv(8)));
        assertEquals("floormod(x, 4)", s(x.floormod(16).floormod(4)));
        assertEquals("truncmod(x, 4)", s(x.truncmod(16).truncmod(4)));
        assertEquals("floormod(floormod(x, 6), 4)", s(x.floormod(6).floormod(4)));
        assertEquals("floormod(x, 4)", s(x.floormod(4).floormod(16)));
    }

    @Test
    void truncationNeedsNonNegativeOperands() {
        // x may be negative: truncdiv(x*8 + 7, 8) is not x there
        assertEquals("truncdiv(x * 8 + 7, 8)", s(x.mul(8).add(7).truncdiv(8)));
        assertEquals("x", s(x.mul(8).add(7).floordiv(8)));
        assertEquals("7", s(x.mul(8).add(7).floormod(8)));
        assertEquals("truncmod(x * 8 + 7, 8)", s(x.mul(8).add(7).truncmod(8)));
        assertEquals("i + truncdiv(j, 3)", s(i.mul(3).add(j).truncdiv(3)));
    }

    @Test
    void divisionByZeroIsLeftAlone() {
        assertEquals("floordiv(x, 0)", s(x.floordiv(0)));
        assertEquals("floormod(7, 0)", s(IntImm.of(7).floormod(0)));
        assertEquals("truncdiv(i * 8, 0)", s(i.mul(8).truncdiv(0)));
    }

    @Test
    void negativeConstantDivisorsFold() {
        assertEquals("-3", s(IntImm.of(7).floordiv(-3)));
        assertEquals("-2", s(IntImm.of(7).floormod(-3)));
        assertEquals("-2", s(IntImm.of(7).truncdiv(-3)));
        assertEquals("1", s(IntImm.of(7).truncmod(-3)));
        assertEquals("-3", s(IntImm.of(-7).floordiv(3)));
        assertEquals("2", s(IntImm.of(-7).floormod(3)));
        assertEquals("-2", s(IntImm.of(-7).truncdiv(3)));
        assertEquals("-1", s(IntImm.of(-7).truncmod(3)));
    }

    @Test
    void narrowTypesOnlyWhenNothingWraps() {
        Var b = Var.of("b", DType.INT8);
        Var c = Var.of("c", DType.INT8);
        Analyzer small = new Analyzer().bind(b, Bound.of(0, 10)).bind(c, Bound.of(0, 7));
        IntImm eight = new IntImm(8, DType.INT8);
        assertEquals("b", small.simplify(b.mul(eight).add(c).floordiv(eight)).toString());
        Analyzer wide = new Analyzer().bind(b, Bound.of(0, 100)).bind(c, Bound.of(0, 7));
        // b*8 wraps in int8: the split is not valid
        assertEquals("floordiv(b * 8i8 + c, 8i8)", wide.simplify(b.mul(eight).add(c).floordiv(eight)).toString());
    }

    @Test
    void splitKeepsTheUnwrappedConstant() {
        // regression: the remainder's constant 250 was wrapped to -6 as a uint8, settling floordiv(s - 2, 252) to -1
        DType t = DType.UINT8;
        Var y = Var.of("y", t);
        Analyzer a = new Analyzer().bind(y, Bound.of(0, 15));
        Expr s = new dev.lathe.ir.Select(y.lt(new IntImm(3, t)), new IntImm(254, t), new IntImm(250, t));
        Expr e = s.sub(new IntImm(2, t)).floordiv(new IntImm(252, t));
        assertEquals(e, a.simplify(e));
        assertEquals(Bound.of(0, 1), a.bound(e));
    }

    @Test
    void rangesMapApi() {
        Map<Var, Range> ranges = new LinkedHashMap<>();
        ranges.put(i, Range.of(0, 4));
        ranges.put(j, Range.of(0, 32));
        assertEquals("i * 4 + floordiv(j, 8)", Simplifier.simplify(i.mul(32).add(j).floordiv(8), ranges).toString());
        assertEquals("floormod(j, 8)", Simplifier.simplify(i.mul(32).add(j).floormod(8), ranges).toString());
    }
}
