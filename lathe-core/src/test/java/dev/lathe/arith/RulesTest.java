package dev.lathe.arith;

import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Range;
import dev.lathe.ir.Select;
import dev.lathe.ir.Var;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Min/max, comparisons, logic, select and cast rules, and the Analyzer's proofs. */
class RulesTest {
    private final Var i = Var.of("i");
    private final Var j = Var.of("j");
    private final Var x = Var.of("x");
    private final Var y = Var.of("y");
    private final Var n = Var.of("n");
    private final Var p = Var.of("p", DType.BOOL);
    private final Var q = Var.of("q", DType.BOOL);
    private final Analyzer an = new Analyzer().bind(i, Range.of(0, 16)).bind(j, Range.of(0, 8));

    private String s(Expr e) {
        Expr out = an.simplify(e);
        assertEquals(e.dtype(), out.dtype());
        return out.toString();
    }

    @Test
    void minMaxWithProvableOrder() {
        assertEquals("i", s(i.min(16)));
        assertEquals("16", s(i.max(16)));
        assertEquals("x", s(x.min(x.add(1))));
        assertEquals("x + 1", s(x.max(x.add(1))));
        assertEquals("i", s(i.min(i.add(j))));
        assertEquals("x", s(x.min(x)));
        assertEquals("min(x, y)", s(x.min(y)));
        assertEquals("min(x, 3)", s(IntImm.of(3).min(x)));
        assertEquals("min(x, 3)", s(x.min(5).min(3)));
        assertEquals("max(x, 5)", s(x.max(5).max(3)));
        assertEquals("min(i, 10)", s(i.min(10)));
        assertEquals("j - 5", s(j.add(8).floormod(8).max(j.sub(8)).sub(5)));
    }

    @Test
    void comparisonsDecidedByBounds() {
        assertEquals("true", s(i.lt(16)));
        assertEquals("false", s(i.ge(16)));
        assertEquals("true", s(i.mul(8).add(j).lt(128)));
        assertEquals("false", s(i.mul(8).add(j).lt(0)));
        assertEquals("i * 8 + j < 100", s(i.mul(8).add(j).lt(100)));
        assertEquals("true", s(x.lt(x.add(1))));
        assertEquals("true", s(x.eq(x)));
        assertEquals("false", s(x.ne(x)));
        assertEquals("true", s(x.add(y).eq(y.add(x))));
        assertEquals("false", s(x.mul(2).eq(x.mul(2).add(1))));
    }

    @Test
    void comparisonsRearranged() {
        assertEquals("x < 5", s(x.add(3).lt(8)));
        assertEquals("x < y - 2", s(x.add(3).lt(y.add(1))));
        assertEquals("x > 5", s(IntImm.of(5).lt(x)));
        assertEquals("y > x", s(y.gt(x)));
        assertEquals("x < n", s(x.add(i).lt(n.add(i))));
    }

    @Test
    void logic() {
        assertEquals("p", s(p.and(IntImm.TRUE)));
        assertEquals("false", s(p.and(IntImm.FALSE)));
        assertEquals("p", s(p.or(IntImm.FALSE)));
        assertEquals("true", s(IntImm.TRUE.or(p)));
        assertEquals("p", s(p.and(p)));
        assertEquals("false", s(p.and(p.not())));
        assertEquals("true", s(p.not().or(p)));
        assertEquals("p", s(p.not().not()));
        assertEquals("x >= y", s(x.lt(y).not()));
        assertEquals("p && q", s(p.and(q)));
        assertEquals("p", s(p.eq(IntImm.TRUE)));
        assertEquals("!p", s(p.eq(IntImm.FALSE)));
        assertEquals("x < 8", s(i.ge(0).and(x.lt(8))));
    }

    @Test
    void select() {
        assertEquals("x", s(new Select(i.lt(16), x, y)));
        assertEquals("y", s(new Select(i.ge(16), x, y)));
        assertEquals("x", s(new Select(p, x, x)));
        assertEquals("select(p, y, x)", s(new Select(p.not(), x, y)));
        assertEquals("p", s(new Select(p, IntImm.TRUE, IntImm.FALSE)));
        assertEquals("!p", s(new Select(p, IntImm.FALSE, IntImm.TRUE)));
    }

    @Test
    void casts() {
        Var b = Var.of("b", DType.INT8);
        Var w = Var.of("w", DType.INT32);
        assertEquals("x", s(new Cast(DType.INT64, x)));
        assertEquals("int64(b)", s(b.cast(DType.INT32).cast(DType.INT64)));
        assertEquals("b", s(b.cast(DType.INT32).cast(DType.INT8)));
        // int32 -> int8 -> int64 may lose bits: kept
        assertEquals("int64(int8(w))", s(w.cast(DType.INT8).cast(DType.INT64)));
        // i is in [0, 16), which int8 holds
        assertEquals("i", s(i.cast(DType.INT8).cast(DType.INT64)));
    }

    @Test
    void tensorReadsAreOpaqueTermsWithTheirTypesRange() {
        var idx = dev.lathe.te.Te.placeholder(java.util.List.of(16), DType.INT32, "idx");
        Expr r = idx.get(i.mul(8).add(j).floordiv(8));
        assertEquals("idx[i]", s(r));
        assertEquals(Bound.of(Integer.MIN_VALUE, Integer.MAX_VALUE), an.bound(r));
        assertEquals("0i32", s(r.add(r).sub(r.mul(new IntImm(2, DType.INT32)))));
        assertEquals("idx[i] * 2i32", s(r.add(r)));
    }

    @Test
    void loopOfExtentOneIsItsStart() {
        Var k = Var.of("k");
        Analyzer a = new Analyzer().bind(k, Range.of(3, 1));
        assertEquals("x + 3", a.simplify(x.add(k)).toString());
    }

    @Test
    void proofs() {
        assertTrue(an.canProve(i.lt(16)));
        assertTrue(an.canProve(i.mul(8).add(j).lt(128)));
        assertFalse(an.canProve(i.mul(8).add(j).lt(127)));
        assertFalse(an.canProve(x.lt(n)));
        assertTrue(an.canProveEqual(i.mul(8).add(j).floordiv(8), i));
        assertTrue(an.canProveEqual(x.add(y).mul(2), y.mul(2).add(x.mul(2))));
        assertFalse(an.canProveEqual(x, y));
        assertFalse(an.canProveEqual(x, x.cast(DType.INT32)));
        assertThrows(IllegalArgumentException.class, () -> an.canProve(x));
    }

    @Test
    void bindingsCanBeReplacedAndRemoved() {
        Analyzer a = new Analyzer().bind(x, Range.of(0, 4));
        assertTrue(a.canProve(x.lt(4)));
        a.bind(x, Range.of(0, 8));
        assertFalse(a.canProve(x.lt(4)));
        assertTrue(a.canProve(x.lt(8)));
        a.unbind(x);
        assertFalse(a.canProve(x.ge(0)));
    }

    @Test
    void unboundedAnalyzerKnowsNothingAboutVariables() {
        Analyzer none = new Analyzer();
        assertEquals("floordiv(i, 16)", none.simplify(i.floordiv(16)).toString());
        assertEquals("i < 16", none.simplify(i.lt(16)).toString());
    }
}
