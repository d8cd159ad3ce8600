package dev.lathe.schedule;

import dev.lathe.te.ComputeDag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class StepJsonTest {

    /** One step of every kind, with values that differ from field to field so that a swapped field shows. */
    private static List<Step> everyKind() {
        return List.of(
                new Step.Split(2, 0, List.of(32L, 4L)),
                new Step.SplitParts(2, 1, 3),
                new Step.Fuse(2, List.of(3, 4)),
                new Step.Reorder(2, List.of(5, 3, 4)),
                new Step.Annotate(2, 5, IterAnnotation.VECTORIZE),
                new Step.Annotate(2, 6, IterAnnotation.PARALLEL),
                new Step.Annotate(2, 7, IterAnnotation.UNROLL),
                new Step.Annotate(2, 8, IterAnnotation.NONE),
                new Step.ComputeAt(1, 2, 6),
                new Step.ComputeInline(1),
                new Step.ComputeRoot(1),
                new Step.Pragma(2, "auto_unroll_max_step", 64),
                new Step.Pragma(2, "unroll_explicit", 1),
                new Step.StorageAlign(1, 0, 16, 3),
                new Step.CacheRead(0, "shared", List.of(2, 3)),
                new Step.CacheWrite(2, "local"),
                new Step.Rfactor(2, 2, 1));
    }

    @Test
    void everyKindRoundTrips() {
        List<Step> steps = everyKind();
        assertEquals(13, steps.stream().map(StepJson::kind).distinct().count(), "all kinds covered");
        String json = StepJson.write(steps);
        assertEquals(steps, StepJson.read(json));
        for (Step s : steps) {
            assertEquals(s, StepJson.readStep(StepJson.toJson(s)));
        }
    }

    @Test
    void theFormatIsCompactAndTagged() {
        assertEquals("[{\"t\":\"split\",\"stage\":2,\"iter\":0,\"factors\":[32,4]},"
                        + "{\"t\":\"annotate\",\"stage\":2,\"iter\":5,\"ann\":\"vectorize\"},"
                        + "{\"t\":\"compute_at\",\"stage\":1,\"target\":2,\"target_iter\":6},"
                        + "{\"t\":\"cache_read\",\"stage\":0,\"scope\":\"shared\",\"readers\":[2,3]}]",
                StepJson.write(List.of(new Step.Split(2, 0, List.of(32L, 4L)),
                        new Step.Annotate(2, 5, IterAnnotation.VECTORIZE), new Step.ComputeAt(1, 2, 6),
                        new Step.CacheRead(0, "shared", List.of(2, 3)))));
    }

    @Test
    void replayOntoAnEqualDagBuiltAnewGivesTheSameLoopNest() {
        State s = State.initial(Workloads.paddedConv("A", "W"))
                .split("conv", "y", 4)
                .split("conv", "x", 8)
                .reorder("conv", "y.0", "x.0", "y.1", "ry", "rx", "x.1")
                .fuse("conv", "y.0", "x.0")
                .parallel("conv", "y.0@x.0")
                .vectorize("conv", "x.1")
                .unroll("conv", "rx")
                .pragma("conv", "auto_unroll_max_step", 16)
                .computeAt("pad", "conv", "y.1");
        String json = StepJson.write(s);
        ComputeDag other = Workloads.paddedConv("image", "kernel");
        State replayed = StepJson.replay(other, json);
        assertEquals(s.steps(), replayed.steps());
        assertEquals(s.toString(), replayed.toString());
        assertEquals(LoopNestPrinter.print(s, true), LoopNestPrinter.print(replayed, true));
        // the bare array form replays too, without the workload check
        assertEquals(s.toString(), StepJson.replay(other, StepJson.write(s.steps())).toString());
    }

    @Test
    void replayOntoAnotherWorkloadIsRefused() {
        State s = State.initial(Workloads.matmul(64, "A", "B")).split("C", "i", 8);
        ComputeDag smaller = Workloads.matmul(32, "A", "B");
        ScheduleException e = assertThrows(ScheduleException.class, () -> StepJson.replay(smaller, StepJson.write(s)));
        assertEquals("steps were recorded for workload " + s.original().workloadKey() + ", this DAG is "
                + smaller.workloadKey(), e.getMessage());
    }

    static Stream<Arguments> malformed() {
        String split = "\"t\":\"split\",\"stage\":2,\"iter\":0";
        return Stream.of(
                Arguments.of("not json", "not valid JSON"),
                Arguments.of("", "got nothing"),
                Arguments.of("null", "got null"),
                Arguments.of("42", "must be a JSON array"),
                Arguments.of("[] []", "not valid JSON"),
                Arguments.of("[1]", "step 0 must be a JSON object, got 1"),
                Arguments.of("[{\"stage\":0}]", "step 0 has no kind"),
                Arguments.of("[{\"t\":7,\"stage\":0}]", "field 't' must be a string"),
                Arguments.of("[{\"t\":\"explode\",\"stage\":0}]", "step 0: unknown step kind \"explode\""),
                Arguments.of("[{" + split + "}]", "step 0 (\"split\"): missing field 'factors'"),
                Arguments.of("[{" + split + ",\"factors\":4}]", "field 'factors' must be an array of integers, got 4"),
                Arguments.of("[{" + split + ",\"factors\":[4,\"x\"]}]", "field 'factors' must be an array of 64-bit integers"),
                Arguments.of("[{" + split + ",\"factors\":[4],\"extra\":1}]", "unknown field \"extra\""),
                Arguments.of("[{\"t\":\"compute_root\",\"stage\":\"0\"}]", "field 'stage' must be a 32-bit integer, got \"0\""),
                Arguments.of("[{\"t\":\"compute_root\",\"stage\":1.5}]", "field 'stage' must be a 32-bit integer, got 1.5"),
                Arguments.of("[{\"t\":\"compute_root\",\"stage\":true}]", "field 'stage' must be a 32-bit integer"),
                Arguments.of("[{\"t\":\"compute_root\",\"stage\":null}]", "field 'stage' must be a 32-bit integer, got null"),
                Arguments.of("[{\"t\":\"compute_root\",\"stage\":-1}]", "field 'stage' must be a non-negative index, got -1"),
                Arguments.of("[{\"t\":\"compute_root\",\"stage\":9999999999}]", "field 'stage' must be a 32-bit integer"),
                Arguments.of("[{\"t\":\"fuse\",\"stage\":0,\"iters\":[0,-2]}]", "field 'iters' must be an array of non-negative indices"),
                Arguments.of("[{\"t\":\"compute_root\",\"t\":\"compute_inline\",\"stage\":0}]", "Duplicate field 't'"),
                Arguments.of("[{\"t\":\"cache_read\",\"stage\":0,\"scope\":\"x; system(\\\"rm\\\")\",\"readers\":[1]}]",
                        "field 'scope' must be one of [global, local, shared], got \"x; system(\\\"rm\\\")\""),
                Arguments.of("[{\"t\":\"cache_write\",\"stage\":0,\"scope\":\"local\\n#include <evil>\"}]",
                        "field 'scope' must be one of [global, local, shared], got \"local\\n#include <evil>\""),
                Arguments.of("[{\"t\":\"cache_write\",\"stage\":0,\"scope\":[\"local\"]}]", "field 'scope' must be one of"),
                Arguments.of("[{\"t\":\"pragma\",\"stage\":0,\"key\":\"omp parallel for; evil\",\"value\":1}]",
                        "field 'key' must be one of [auto_unroll_max_step, unroll_explicit]"),
                Arguments.of("[{\"t\":\"annotate\",\"stage\":0,\"iter\":0,\"ann\":\"VECTORIZE\"}]",
                        "field 'ann' must be one of [none, parallel, vectorize, unroll]"),
                Arguments.of("[{\"t\":\"split\",\"stage\":0,\"iter\":0,\"factors\":[1]}, {\"t\":\"rfactor\"}]",
                        "step 1 (\"rfactor\"): missing field 'stage'"),
                Arguments.of("{\"steps\":[],\"extra\":1}", "unknown field \"extra\" in recorded steps"),
                Arguments.of("{\"workload\":\"k\"}", "recorded steps have no 'steps' field"),
                Arguments.of("{\"workload\":\"k\",\"steps\":{}}", "steps must be a JSON array"),
                Arguments.of("[".repeat(5000) + "]".repeat(5000), "not valid JSON"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedStepsAreRejectedWithTheProblemNamed(String json, String expected) {
        StepFormatException e = assertThrows(StepFormatException.class, () -> StepJson.read(json));
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' should contain '"
                + expected + "'");
    }

    @Test
    void replayChecksTheWorkloadField() {
        ComputeDag dag = Workloads.matmul();
        assertThrows(StepFormatException.class, () -> StepJson.replay(dag, "{\"steps\":[]}"), "no workload");
        StepFormatException e = assertThrows(StepFormatException.class,
                () -> StepJson.replay(dag, "{\"workload\":\"a'); drop\",\"steps\":[]}"));
        assertTrue(e.getMessage().contains("'workload' must be a workload key string"), e.getMessage());
    }

    @Test
    void writingRefusesWhatReadingWouldRefuse() {
        StepFormatException e = assertThrows(StepFormatException.class,
                () -> StepJson.write(List.of(new Step.CacheWrite(0, "x; system(\"rm\")"))));
        assertTrue(e.getMessage().contains("scope \"x; system(\\\"rm\\\")\" is not one of [global, local, shared]"),
                e.getMessage());
        assertThrows(StepFormatException.class, () -> StepJson.write(List.of(new Step.Pragma(0, "evil", 1))));
    }

    static Stream<Arguments> misfits() {
        // matmul: stage 0 = A, 1 = B, 2 = C with iterators i=0, j=1, k=2
        return Stream.of(
                Arguments.of("{\"t\":\"split\",\"stage\":99,\"iter\":0,\"factors\":[4]}", "no stage 99"),
                Arguments.of("{\"t\":\"split\",\"stage\":2,\"iter\":42,\"factors\":[4]}", "no iterator with id 42"),
                Arguments.of("{\"t\":\"split\",\"stage\":2,\"iter\":0,\"factors\":[-4]}", "factor -4 is not positive"),
                Arguments.of("{\"t\":\"split\",\"stage\":2,\"iter\":0,\"factors\":[]}", "at least one factor"),
                Arguments.of("{\"t\":\"split_parts\",\"stage\":2,\"iter\":0,\"parts\":0}", "must be positive"),
                Arguments.of("{\"t\":\"split\",\"stage\":0,\"iter\":0,\"factors\":[4]}", "A is a placeholder"),
                Arguments.of("{\"t\":\"fuse\",\"stage\":2,\"iters\":[0,99]}", "no iterator with id 99"),
                Arguments.of("{\"t\":\"fuse\",\"stage\":2,\"iters\":[99,0]}", "no iterator with id 99"),
                // regression: the not-adjacent message used to look up iterator 9 and throw IndexOutOfBounds
                Arguments.of("{\"t\":\"fuse\",\"stage\":2,\"iters\":[1,0,9]}", "no iterator with id 9"),
                // regression: the product overflowed to a zero extent and printing divided by it
                Arguments.of("{\"t\":\"split\",\"stage\":2,\"iter\":0,\"factors\":[1099511627776,1099511627776]}",
                        "exceeds 2^62"),
                Arguments.of("{\"t\":\"reorder\",\"stage\":2,\"order\":[0,1,99]}", "exactly once"),
                Arguments.of("{\"t\":\"annotate\",\"stage\":2,\"iter\":7,\"ann\":\"unroll\"}", "no iterator with id 7"),
                Arguments.of("{\"t\":\"compute_at\",\"stage\":0,\"target\":99,\"target_iter\":0}", "placeholder"),
                Arguments.of("{\"t\":\"compute_inline\",\"stage\":5}", "no stage 5"),
                Arguments.of("{\"t\":\"compute_root\",\"stage\":3}", "no stage 3"),
                Arguments.of("{\"t\":\"storage_align\",\"stage\":2,\"axis\":5,\"factor\":16,\"offset\":0}", "axis 5"),
                Arguments.of("{\"t\":\"pragma\",\"stage\":9,\"key\":\"unroll_explicit\",\"value\":1}", "no stage 9"));
    }

    @ParameterizedTest
    @MethodSource("misfits")
    void stepsThatDoNotFitTheDagFailAsScheduleErrors(String step, String expected) {
        ScheduleException e = assertThrows(ScheduleException.class,
                () -> StepJson.replay(Workloads.matmul(), "[" + step + "]"));
        assertTrue(e.getMessage().startsWith("step 0 ("), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' should contain '"
                + expected + "'");
    }

    @Test
    void computeAtATargetOutOfRangeIsAScheduleError() {
        ComputeDag dag = Workloads.paddedConv("A", "W");
        int pad = State.initial(dag).stageIndex("pad");
        for (String step : List.of(
                "{\"t\":\"compute_at\",\"stage\":" + pad + ",\"target\":99,\"target_iter\":0}",
                "{\"t\":\"compute_at\",\"stage\":" + pad + ",\"target\":3,\"target_iter\":99}")) {
            ScheduleException e = assertThrows(ScheduleException.class, () -> StepJson.replay(dag, "[" + step + "]"));
            assertTrue(e.getMessage().contains("99"), e.getMessage());
        }
    }

    /**
     * Random steps with small random numbers, as a corrupt or hostile records file might hold:
     * replay either succeeds or fails with a ScheduleException, never with an index or arithmetic error.
     * (cache_read, cache_write and rfactor are left out until they are implemented.)
     */
    @Test
    void randomStepsFailOnlyAsScheduleErrors() {
        long seed = new Random().nextLong();
        Random rnd = new Random(seed);
        List<ComputeDag> dags = List.of(Workloads.matmul(), Workloads.paddedConv("A", "W"),
                Workloads.elementwiseChain(), Workloads.prodOfTwo(), Workloads.matmulWithLocal());
        for (int trial = 0; trial < 500; trial++) {
            ComputeDag dag = dags.get(rnd.nextInt(dags.size()));
            List<Step> steps = new ArrayList<>();
            for (int n = rnd.nextInt(8) + 1; n > 0; n--) {
                steps.add(randomStep(rnd));
            }
            String json = StepJson.write(steps);
            try {
                State s = StepJson.replay(dag, json);
                LoopNestPrinter.print(s, true);
            } catch (ScheduleException expected) {
                // fine: the steps did not fit
            } catch (RuntimeException e) {
                fail("seed " + seed + ", trial " + trial + ": replaying " + json + " onto\n" + dag
                        + "\nthrew " + e, e);
            }
        }
    }

    private static Step randomStep(Random rnd) {
        int stage = rnd.nextInt(6);
        int iter = rnd.nextInt(10);
        return switch (rnd.nextInt(10)) {
            case 0 -> new Step.Split(stage, iter, randomLongs(rnd, rnd.nextInt(4)));
            case 1 -> new Step.SplitParts(stage, iter, rnd.nextInt(6) - 1);
            case 2 -> new Step.Fuse(stage, randomInts(rnd, rnd.nextInt(4)));
            case 3 -> new Step.Reorder(stage, randomInts(rnd, rnd.nextInt(6)));
            case 4 -> new Step.Annotate(stage, iter, IterAnnotation.values()[rnd.nextInt(4)]);
            case 5 -> new Step.ComputeAt(stage, rnd.nextInt(6), iter);
            case 6 -> new Step.ComputeInline(stage);
            case 7 -> new Step.ComputeRoot(stage);
            case 8 -> new Step.Pragma(stage, rnd.nextBoolean() ? "auto_unroll_max_step" : "unroll_explicit",
                    rnd.nextInt(70) - 2);
            default -> new Step.StorageAlign(stage, rnd.nextInt(3), rnd.nextInt(20) - 1, rnd.nextInt(20) - 1);
        };
    }

    private static List<Long> randomLongs(Random rnd, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(rnd.nextInt(20) == 0 ? 1L << (30 + rnd.nextInt(33)) : (long) rnd.nextInt(40) - 2);
        }
        return out;
    }

    private static List<Integer> randomInts(Random rnd, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(rnd.nextInt(10));
        }
        return out;
    }
}
