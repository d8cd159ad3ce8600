package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Var;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.lathe.ops.TestData.assertRejected;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.sizeVar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DimsTest {
    @Test
    void foldsLiteralsAndKeepsSymbolsReadable() {
        Var n = sizeVar("n");
        assertEquals(IntImm.of(7), Dims.plus(IntImm.of(4), 3));
        assertEquals("n - 2", Dims.plus(n, -2).toString());
        assertEquals("n", Dims.plus(n, 0).toString());
        assertEquals(IntImm.of(12), Dims.times(IntImm.of(4), 3));
        assertEquals("n * 3", Dims.times(IntImm.of(3), n).toString());
        assertEquals(IntImm.of(-2), Dims.floordiv(IntImm.of(-3), 2));
        assertEquals("floordiv(n, 2)", Dims.floordiv(n, 2).toString());
        assertTrue(Dims.same(n, n));
        assertFalse(Dims.same(n, sizeVar("n")));
        assertTrue(Dims.is(IntImm.of(1), 1));
        assertTrue(Dims.constant(n).isEmpty());
    }

    @Test
    void windowOutputFollowsTheConvolutionFormula() {
        // (224 + 6 - 1*(7-1) - 1) / 2 + 1 = 112
        assertEquals(IntImm.of(112), Dims.windowOutput(IntImm.of(224), 6, IntImm.of(7), 1, 2, "w"));
        // (9 + 0 - 2*(3-1) - 1) / 1 + 1 = 5
        assertEquals(IntImm.of(5), Dims.windowOutput(IntImm.of(9), 0, IntImm.of(3), 2, 1, "w"));
        assertEquals("n - 2", Dims.windowOutput(sizeVar("n"), 0, IntImm.of(3), 1, 1, "w").toString());
        assertEquals("n - k + 1", Dims.windowOutput(sizeVar("n"), 0, sizeVar("k"), 1, 1, "w").toString());
        assertRejected(() -> Dims.windowOutput(IntImm.of(2), 0, IntImm.of(3), 1, 1, "the width"), "the width", "output size");
    }

    @Test
    void checksNameTheProblem() {
        assertEquals(2, Dims.axis(-1, 3, "op"));
        assertRejected(() -> Dims.axis(-4, 3, "op"), "op: axis -4", "rank 3");
        assertRejected(() -> Dims.requireSame(IntImm.of(2), IntImm.of(3), "the widths"), "the widths must be equal", "2 and 3");
        assertRejected(() -> Dims.requireDivisible(IntImm.of(10), 4, "the rows"), "the rows must be a multiple of 4");
        Dims.requireDivisible(sizeVar("n"), 4, "symbolic dims are accepted");
        assertRejected(() -> Dims.requireRank(placeholder(List.of(2), DType.FLOAT32, "v"), 2, "op: x"), "rank 2", "v", "[2]");
        assertRejected(() -> Dims.requireFloat(placeholder(List.of(2), DType.INT8, "v"), "op"), "float", "int8");
        assertEquals(List.of(1, 3), Dims.without(List.of(1, 2, 3), 1));
    }

    @Test
    void parameterRecords() {
        assertEquals(new Padding2d(1, 2, 1, 2), Padding2d.of(1, 2));
        assertEquals(6, Padding2d.of(1, 2, 3, 4).totalW());
        assertEquals(4, Padding2d.of(1, 2, 3, 4).totalH());
        assertTrue(Padding2d.NONE.isNone());
        Conv2dParams p = Conv2dParams.DEFAULT.withStride(2, 1).withPadding(1, 2, 3, 4).withDilation(3).withGroups(2);
        assertEquals(Size2d.of(2, 1), p.stride());
        assertEquals(Padding2d.of(1, 2, 3, 4), p.padding());
        assertEquals(Size2d.of(3), p.dilation());
        assertEquals(2, p.groups());
        assertEquals(new Pool2dParams(Size2d.of(3), Size2d.of(2), Padding2d.of(1)), Pool2dParams.of(3, 2, 1));
        assertEquals(1, Layout.NCHW.channelAxis());
        assertEquals(3, Layout.NHWC.channelAxis());
        assertEquals(1, Layout.NHWC.heightAxis());
        assertEquals(3, Layout.NCHW.widthAxis());
    }
}
