package dev.lathe.arith;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Var;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class LinearFormTest {
    private final Var i = Var.of("i");
    private final Var j = Var.of("j");
    private final Var n = Var.of("n");

    private static String s(Expr e) {
        return Simplifier.simplify(e).toString();
    }

    @Test
    void likeTermsCancel() {
        assertEquals("0", s(i.mul(4).add(j).sub(j.add(i.mul(4)))));
        assertEquals("0", s(i.sub(i)));
        assertEquals("0", s(i.mul(0)));
        assertEquals(IntImm.of(0), Simplifier.simplify(i.mul(3).add(j).sub(i.mul(2)).sub(j).sub(i)));
    }

    @Test
    void constantsAndCoefficientsCollect() {
        assertEquals("i * 10 + 3", s(i.mul(8).add(3).add(i.mul(2))));
        assertEquals("i", s(i.add(5).sub(5)));
        assertEquals("i * 4 + 4", s(i.add(1).mul(4)));
        assertEquals("i + j - 2", s(j.sub(1).add(i).sub(1)));
        assertEquals("i * 2 + j * 3", s(j.add(i).mul(3).sub(i)));
    }

    @Test
    void canonicalOrderIsByCreation() {
        assertEquals("i + j + n", s(n.add(j).add(i)));
        assertEquals(Simplifier.simplify(i.add(j).add(n)), Simplifier.simplify(n.add(i.add(j))));
    }

    @Test
    void negativeTermsAreSubtracted() {
        assertEquals("j - i", s(i.neg().add(j)));
        assertEquals("5 - i", s(IntImm.of(5).sub(i)));
        assertEquals("-i", s(IntImm.of(0).sub(i)));
        assertEquals("i * -3", s(i.mul(-3)));
        assertEquals("i * -3 - 2", s(i.mul(-3).sub(2)));
        assertEquals("i", s(i.neg().neg()));
    }

    @Test
    void productsOfTermsAreTermsInOrder() {
        assertEquals("0", s(i.mul(j).sub(j.mul(i))));
        assertEquals("i * j * 2", s(i.mul(j).add(j.mul(i))));
    }

    @Test
    void canonicalFormIsAFixedPoint() {
        Expr e = Simplifier.simplify(i.mul(8).add(j).sub(n.mul(3)).add(7));
        assertEquals("i * 8 + j - n * 3 + 7", e.toString());
        assertSame(e, Simplifier.simplify(e));
    }

    @Test
    void narrowTypesWrapLikeTheType() {
        Var b = Var.of("b", DType.INT8);
        // 128*b + 128*b = 256*b, which is 0 modulo 2^8
        assertEquals("0i8", s(b.mul(new IntImm(64, DType.INT8)).mul(new IntImm(2, DType.INT8))
                .add(b.mul(new IntImm(-128, DType.INT8)))));
        assertEquals("b", s(b.add(new IntImm(100, DType.INT8)).add(new IntImm(-100, DType.INT8))));
        assertEquals(DType.INT8, Simplifier.simplify(b.add(1).sub(1)).dtype());
    }
}
