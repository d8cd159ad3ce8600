package dev.lathe.autoschedule;

import dev.lathe.ir.IterKind;
import dev.lathe.measure.Target;
import dev.lathe.schedule.ComputeLocation;
import dev.lathe.schedule.Extents;
import dev.lathe.schedule.Iter;
import dev.lathe.schedule.IterAnnotation;
import dev.lathe.schedule.Stage;
import dev.lathe.schedule.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The static mode on sparse stages: the accumulator inside the sparse loop is a register tile
 * (static, unrolled, vectorized, within the register budget), shaped by the block: the block's
 * rows as the vector when they are the output's innermost axis, unrolled rows otherwise.
 */
class SparseStaticTest {
    private static final Target TARGET = Target.host();

    @ParameterizedTest
    @ValueSource(strings = {"bsr-mm", "dense-bsrT", "bsr-4x4", "csr-mm", "conv-nhwc", "conv-nchw"})
    void theStaticProgramComputesWhatTheReferenceComputes(String kind) {
        Dags.Case c = SparseSketchTest.sparseCase(kind, new Random(5));
        State s = StaticMode.schedule(c.dag(), TARGET);
        assertTrue(s.steps().size() > 1, kind + ": the static mode fell back to the initial state");
        assertNull(Dags.check(c, s), () -> kind + " mismatch in\n" + s);
    }

    @Test
    void aSparseConvolutionAccumulatesPixelsTimesTheBlocksChannelsInRegisters() {
        Dags.Case c = SparseSketchTest.sparseCase("conv-nhwc", new Random(5));
        State s = StaticMode.schedule(c.dag(), TARGET);
        Stage local = s.stage(s.stageIndex("conv.local"));
        List<Iter> inside = registerTile(local);
        Iter vector = inside.getLast();
        assertEquals(IterAnnotation.VECTORIZE, vector.annotation(), s.toString());
        assertEquals(16, Extents.constant(local, vector.id()), "the block's 16 output channels are the vector: " + s);
        assertTrue(vectors(local, inside) > 1, "several pixels per block: " + s);
        // the padded input and the column offsets are computed once per element, not at every multiply-add
        for (String gathered : List.of("conv_flat", "conv_offset")) {
            assertInstanceOf(ComputeLocation.Root.class, s.stage(s.stageIndex(gathered)).location(), s.toString());
        }
        Stage out = s.stage(s.stageIndex("conv"));
        Iter copy = out.leafIters().getLast();
        assertEquals(IterAnnotation.VECTORIZE, copy.annotation(), s.toString());
        assertEquals(16, Extents.constant(out, copy.id()), "the copy out runs along the channels: " + s);
    }

    @Test
    void aBsrProductUnrollsTheBlocksRowsAroundOneVectorOfColumns() {
        Dags.Case c = SparseSketchTest.sparseCase("bsr-mm", new Random(5));
        State s = StaticMode.schedule(c.dag(), TARGET);
        Stage local = s.stage(s.stageIndex("C.local"));
        List<Iter> inside = registerTile(local);
        assertEquals(IterAnnotation.VECTORIZE, inside.getLast().annotation(), s.toString());
        assertTrue(inside.stream().anyMatch(it -> it.annotation() == IterAnnotation.UNROLL
                && Extents.constant(local, it.id()) == 16), "the block's 16 rows are unrolled: " + s);
    }

    /** The space loops inside the sparse loop, after checking they are static, unrolled and within the register budget. */
    private static List<Iter> registerTile(Stage st) {
        List<Iter> leaves = st.leafIters();
        int b = 0;
        while (b < leaves.size() && !(leaves.get(b).kind() == IterKind.REDUCE && Extents.constant(st, leaves.get(b).id()) < 0)) {
            b++;
        }
        assertTrue(b < leaves.size(), "a sparse loop: " + st);
        List<Iter> inside = leaves.subList(b + 1, leaves.size()).stream().filter(it -> it.kind() == IterKind.SPACE).toList();
        for (Iter it : inside.subList(0, inside.size() - 1)) {
            long ext = Extents.constant(st, it.id());
            assertTrue(ext == 1 || it.annotation() == IterAnnotation.UNROLL, it + " is unrolled in " + st);
        }
        assertTrue(vectors(st, inside) <= StaticTileSizes.MAX_TILE_VECTORS, "the tile fits in registers: " + st);
        return inside;
    }

    private static long vectors(Stage st, List<Iter> inside) {
        long elems = 1;
        for (Iter it : inside) {
            elems *= Extents.constant(st, it.id());
        }
        return elems / Math.max(1, TARGET.lanesF32());
    }
}
