package dev.lathe.arith;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.FloatImm;
import dev.lathe.ir.Select;
import dev.lathe.ir.Var;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Float expressions keep their IEEE semantics: only identities exact for NaN, infinities and -0.0 apply. */
class FloatSafetyTest {
    private final Var a = Var.of("a", DType.FLOAT32);
    private final Var b = Var.of("b", DType.FLOAT32);
    private final Var d = Var.of("d", DType.FLOAT64);
    private final Var p = Var.of("p", DType.BOOL);

    private static FloatImm f(double v) {
        return new FloatImm(v, DType.FLOAT32);
    }

    @Test
    void unsafeIdentitiesAreNotApplied() {
        for (Expr e : List.of(
                a.add(f(0)),          // -0.0 + 0.0 is +0.0
                a.sub(a),             // NaN - NaN, inf - inf
                a.mul(f(0)),          // NaN * 0, inf * 0, -1 * 0
                a.div(a),             // 0/0
                a.add(b).sub(b),      // rounding
                a.add(f(1)).add(f(2)),// reassociation rounds differently
                a.mul(f(2)).mul(f(0.5)),
                a.min(a.add(f(1))),   // NaN, inf
                a.lt(a.add(f(1))),    // NaN, large a
                a.eq(a),              // NaN
                a.lt(b).not(),        // NaN: !(a < b) is not a >= b
                a.add(b).sub(a.add(b)),
                d.mul(new FloatImm(3, DType.FLOAT64)).div(new FloatImm(3, DType.FLOAT64)))) {
            assertSame(e, Simplifier.simplify(e), e::toString);
        }
    }

    @Test
    void exactIdentitiesAreApplied() {
        assertEquals(a, Simplifier.simplify(a.mul(f(1))));
        assertEquals(a, Simplifier.simplify(f(1).mul(a)));
        assertEquals(a, Simplifier.simplify(a.div(f(1))));
        assertEquals(a, Simplifier.simplify(a.sub(f(0))));
        assertEquals(a, Simplifier.simplify(a.add(f(-0.0))));
        assertEquals(a, Simplifier.simplify(a.neg().neg()));
        assertEquals(a, Simplifier.simplify(a.min(a)));
        assertEquals(a, Simplifier.simplify(new Select(p, a, a)));
        assertEquals("a != b", Simplifier.simplify(a.eq(b).not()).toString());
        assertEquals("a + 3.0f", Simplifier.simplify(a.add(f(1).add(f(2)))).toString());
    }

    @Test
    void float16IsLeftAlone() {
        Var h = Var.of("h", DType.FLOAT16);
        Expr e = h.add(new FloatImm(1, DType.FLOAT16)).add(new FloatImm(2, DType.FLOAT16));
        assertSame(e, Simplifier.simplify(e));
    }
}
