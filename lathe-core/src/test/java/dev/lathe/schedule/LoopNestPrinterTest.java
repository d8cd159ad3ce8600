package dev.lathe.schedule;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoopNestPrinterTest {

    private static State tiledMatmul() {
        return State.initial(Workloads.matmul())
                .split("C", "i", 8, 4)
                .split("C", "j", 8, 4)
                .split("C", "k", 4)
                .reorder("C", "i.0", "j.0", "i.1", "j.1", "k.0", "i.2", "k.1", "j.2")
                .fuse("C", "i.0", "j.0")
                .parallel("C", "i.0@j.0")
                .unroll("C", "i.2")
                .vectorize("C", "j.2");
    }

    @Test
    void defaultMatmulIsOneLevel() {
        State s = State.initial(Workloads.matmul());
        assertEquals("""
                i, j, k =>
                    @C = i, j // k""", LoopNestPrinter.print(s));
        assertEquals("""
                i(64), j(64), k(64) =>
                    @C = i, j // k""", LoopNestPrinter.print(s, true));
    }

    @Test
    void tiledMatmulShowsFusedAnnotatedLoopsAndTheSplitsOfEachAxis() {
        State s = tiledMatmul();
        assertEquals("""
                {i.0, j.0}:parallel, i.1, j.1, k.0, i.2:unroll, k.1, j.2:vectorize =>
                    @C = {i.0, i.1, i.2}/i, {j.0, j.1, j.2}/j // {k.0, k.1}/k""", LoopNestPrinter.print(s));
        assertEquals("""
                {i.0, j.0}(4):parallel, i.1(8), j.1(8), k.0(16), i.2(4):unroll, k.1(4), j.2(4):vectorize =>
                    @C = {i.0, i.1, i.2}/i, {j.0, j.1, j.2}/j // {k.0, k.1}/k""", LoopNestPrinter.print(s, true));
    }

    @Test
    void pragmasAndStorageAlignFollowTheStatement() {
        State s = State.initial(Workloads.matmul())
                .pragma("C", "auto_unroll_max_step", 16)
                .pragma("C", "unroll_explicit", 1)
                .storageAlign("C", 0, 16, 1);
        assertEquals("""
                i, j, k =>
                    @C = i, j // k [auto_unroll_max_step=16, unroll_explicit, storage_align(0, 16, 1)]""", s.toString());
    }

    @Test
    void stageComputedAtALoopIsNestedBeforeTheConsumersInnerLoops() {
        // The DESIGN.md example, with C.local declared by hand rather than made by cache_write.
        State s = State.initial(Workloads.matmulWithLocal())
                .split("C", "i", 8, 4)
                .split("C", "j", 8, 4)
                .reorder("C", "i.0", "j.0", "i.1", "j.1", "i.2", "j.2")
                .fuse("C", "i.0", "j.0")
                .parallel("C", "i.0@j.0")
                .vectorize("C", "j.2")
                .split("C.local", "i", 4)
                .split("C.local", "j", 4)
                .split("C.local", "k", 4)
                .reorder("C.local", "i.0", "j.0", "k.0", "i.1", "k.1", "j.1")
                .unroll("C.local", "i.1")
                .vectorize("C.local", "j.1")
                .computeAt("C.local", "C", "j.1");
        assertEquals("""
                {i.0, j.0}:parallel, i.1, j.1 =>
                    i.0, j.0, k.0, i.1:unroll, k.1, j.1:vectorize =>
                        @C.local = {i.0, i.1}/i, {j.0, j.1}/j // {k.0, k.1}/k
                    i.2, j.2:vectorize =>
                        @C = {i.0, i.1, i.2}/i, {j.0, j.1, j.2}/j""", s.toString());
        assertEquals("""
                {i.0, j.0}(4):parallel, i.1(8), j.1(8) =>
                    i.0(?), j.0(?), k.0(?), i.1(?):unroll, k.1(?), j.1(?):vectorize =>
                        @C.local = {i.0, i.1}/i, {j.0, j.1}/j // {k.0, k.1}/k
                    i.2(4), j.2(4):vectorize =>
                        @C = {i.0, i.1, i.2}/i, {j.0, j.1, j.2}/j""", LoopNestPrinter.print(s, true));
    }

    @Test
    void paddingStageComputedAtAnOuterLoopOfTheConvolution() {
        State s = State.initial(Workloads.paddedConv("A", "W"))
                .split("conv", "y", 4)
                .computeAt("pad", "conv", "y.0");
        assertEquals("""
                y.0 =>
                    py, px =>
                        @pad = py, px
                    y.1, x, ry, rx =>
                        @conv = {y.0, y.1}/y, x // ry, rx""", s.toString());
        assertEquals("""
                y.0(4) =>
                    py(?), px(?) =>
                        @pad = py, px
                    y.1(4), x(16), ry(3), rx(3) =>
                        @conv = {y.0, y.1}/y, x // ry, rx""", LoopNestPrinter.print(s, true));
    }

    @Test
    void stageAttachedAtTheInnermostLoopPrintsBeforeTheStatement() {
        State s = State.initial(Workloads.paddedConv("A", "W")).computeAt("pad", "conv", "rx");
        assertEquals("""
                y, x, ry, rx =>
                    py, px =>
                        @pad = py, px
                    @conv = y, x // ry, rx""", s.toString());
    }

    @Test
    void attachmentFollowsTheInnermostPartWhenItsLoopIsSplitAfterwards() {
        State s = State.initial(Workloads.paddedConv("A", "W"))
                .split("conv", "y", 4)
                .computeAt("pad", "conv", "y.0")
                .split("conv", "y.0", 2);
        assertEquals("""
                y.0.0, y.0.1 =>
                    py, px =>
                        @pad = py, px
                    y.1, x, ry, rx =>
                        @conv = {y.0.0, y.0.1, y.1}/y, x // ry, rx""", s.toString());
    }

    @Test
    void inlinedStageIsOneLineAtTheTop() {
        State s = State.initial(Workloads.elementwiseChain()).computeInline("B");
        assertEquals("""
                @B inlined
                i, j =>
                    @C = i, j""", s.toString());
    }

    @Test
    void fusedParallelLoopAndSplitsOfAFusedLoop() {
        State fused = State.initial(Workloads.elementwiseChain()).fuse("C", "i", "j").parallel("C", "i@j");
        assertEquals("""
                i, j =>
                    @B = i, j
                {i, j}:parallel =>
                    @C = i, j""", fused.toString());
        State split = State.initial(Workloads.elementwiseChain())
                .fuse("C", "i", "j")
                .split("C", "i@j", 8)
                .parallel("C", "i@j.0")
                .vectorize("C", "i@j.1");
        assertEquals("""
                i(8), j(8) =>
                    @B = i, j
                {i, j}.0(8):parallel, {i, j}.1(8):vectorize =>
                    @C = i, j""", LoopNestPrinter.print(split, true));
    }

    @Test
    void twoElementProductReductionToAScalar() {
        State s = State.initial(Workloads.prodOfTwo());
        assertEquals("""
                k(2) =>
                    @P = () // k""", LoopNestPrinter.print(s, true));
        State split = s.split("P", "k", 1).unroll("P", "k.1");
        assertEquals("""
                k.0, k.1:unroll =>
                    @P = () // {k.0, k.1}/k""", split.toString());
    }

    @Test
    void toStringIsTheNotation() {
        State s = tiledMatmul();
        assertEquals(LoopNestPrinter.print(s), s.toString());
    }
}
