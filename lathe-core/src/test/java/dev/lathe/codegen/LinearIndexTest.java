package dev.lathe.codegen;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Var;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinearIndexTest {
    private final Var v = Var.of("v");
    private final Var o = Var.of("o");
    private final Var n = Var.of("n");
    private final Var t = Var.of("t");

    private OptionalLong c(Expr e) {
        return LinearIndex.coefficient(e, v, x -> x.equals(t));
    }

    @Test
    void sumsAndConstantMultiplesAreLinear() {
        assertEquals(OptionalLong.of(1), c(o.mul(16).add(v)));
        assertEquals(OptionalLong.of(-3), c(n.sub(v.mul(3))));
        assertEquals(OptionalLong.of(6), c(v.add(1).mul(2).add(v.mul(4))));
        assertEquals(OptionalLong.of(0), c(o.mul(n)));
        assertEquals(OptionalLong.of(0), c(v.sub(v)));
    }

    @Test
    void anythingElseHasNoCoefficient() {
        assertEquals(OptionalLong.empty(), c(v.mul(n)));
        assertEquals(OptionalLong.empty(), c(v.floordiv(2)));
        assertEquals(OptionalLong.empty(), c(v.add(t)));
        assertEquals(OptionalLong.empty(), c(v.cast(DType.INT32).add(1)));
        assertEquals(OptionalLong.empty(), c(v.mul(Long.MAX_VALUE).mul(4)));
    }

    @Test
    void flatIndexNeedsConstantStridesOnlyWhereTheIndexMoves() {
        List<Expr> shape = List.of(n, IntImm.of(5), IntImm.of(7));
        assertEquals(OptionalLong.of(35), LinearIndex.flatCoefficient(List.of(v, o, IntImm.of(0)), shape, v, x -> false));
        assertEquals(OptionalLong.of(1), LinearIndex.flatCoefficient(List.of(o, IntImm.of(2), v), shape, v, x -> false));
        List<Expr> symbolic = List.of(IntImm.of(4), n);
        assertEquals(OptionalLong.empty(), LinearIndex.flatCoefficient(List.of(v, o), symbolic, v, x -> false));
        assertEquals(OptionalLong.of(1), LinearIndex.flatCoefficient(List.of(o, v), symbolic, v, x -> false));
    }
}
