package dev.lathe.measure;

import dev.lathe.ir.DType;
import dev.lathe.runtime.CCompiler;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import dev.lathe.ops.sparse.Csr;
import dev.lathe.ops.sparse.CsrTensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.placeholder;
import static org.junit.jupiter.api.Assertions.*;

class LocalMeasurerTest {
    private static final RunOptions QUICK = new RunOptions(1, 3, 1, false, 10, true, RunOptions.Reference.EVALUATOR);
    private static LocalBuilder builder;

    @BeforeAll
    static void builder() {
        builder = new LocalBuilder(CCompiler.system(), 2, 60);
    }

    @AfterAll
    static void close() {
        builder.close();
    }

    /** A measurer with its own builder (closing a measurer closes its builder). */
    private static LocalMeasurer measurer(RunOptions opts) {
        LocalBuilder b = new LocalBuilder(CCompiler.system(), 2, 60);
        return new LocalMeasurer(b, new ProcessRunner(opts, b));
    }

    private static void assertMeasured(MeasureResult r, int repeats) {
        assertEquals(ErrorKind.NONE, r.error(), r.message());
        assertEquals(repeats, r.costs().size());
        r.costs().forEach(c -> assertTrue(c > 0, "cost " + c));
        assertTrue(r.ok());
        assertTrue(r.runSeconds() > 0 && r.buildSeconds() >= 0);
    }

    @Test
    void aScheduledMatmulMeasuresAndMatchesBothReferences() {
        ComputeDag dag = Kernels.matmul(32);
        SearchTask task = SearchTask.of(dag);
        List<MeasureInput> in = List.of(new MeasureInput(task, Kernels.splitVectorize(dag)),
                new MeasureInput(task, State.initial(dag)));
        for (RunOptions.Reference ref : RunOptions.Reference.values()) {
            RunOptions opts = QUICK.withCorrectness(ref).withFlushCache(true);
            try (LocalMeasurer m = measurer(opts)) {
                List<MeasureResult> rs = m.measure(in);
                assertEquals(2, rs.size());
                rs.forEach(r -> assertMeasured(r, 3));
                assertEquals(1, m.runner().workersStarted());
            }
        }
    }

    @Test
    void aCandidateSlowerThanTheBoundIsReportedByItsCheckedFirstRunAlone() {
        ComputeDag dag = Kernels.matmul(32);
        SearchTask task = SearchTask.of(dag);
        List<MeasureInput> in = List.of(new MeasureInput(task, Kernels.splitVectorize(dag)));
        try (LocalMeasurer m = measurer(QUICK)) {
            MeasureResult slow = m.measure(in, 1e-12).getFirst();
            assertMeasured(slow, 1);
            assertMeasured(m.measure(in, 60).getFirst(), 3);
            assertMeasured(m.measure(in, 0).getFirst(), 3);
        }
    }

    @Test
    void aSlowBoundShortensTheDeadlineOfAHangingCandidate() {
        assertEquals(10, ProcessRunner.deadlineSeconds(QUICK, 0));
        assertEquals(2 + 2 * 0.1 + 3 * (0.1 + 0.05), ProcessRunner.deadlineSeconds(QUICK, 0.1), 1e-9);
        assertEquals(10, ProcessRunner.deadlineSeconds(QUICK, 5), "never beyond the timeout");

        ComputeDag dag = Kernels.matmul(16);
        SearchTask task = SearchTask.of(dag);
        State s = Kernels.splitVectorize(dag);
        MeasureInput in = new MeasureInput(task, s);
        BuildResult hang = builder.buildSource(in, mutate(s, "  for (;;) { __asm__ volatile(\"\"); }", ""));
        BuildResult good = builder.build(in);
        try (ProcessRunner runner = new ProcessRunner(QUICK.withTimeoutSeconds(120), builder)) {
            List<MeasureResult> rs = runner.run(List.of(in, in), List.of(hang, good), 0.01);
            assertEquals(ErrorKind.RUN_TIMEOUT, rs.getFirst().error(), rs.getFirst().message());
            assertTrue(rs.getFirst().message().contains("shorter than the 120.0 s timeout"), rs.getFirst().message());
            assertMeasured(rs.get(1), 3);
        }
    }

    /** The generated C of a candidate with {@code code} inserted at the start or the end of its entry function. */
    private static String mutate(State s, String atStart, String atEnd) {
        String src = LocalBuilder.source(s);
        String start = "  lathe_fault_code = 0;\n";
        String end = "  return lathe_fault_code;\n}";
        assertTrue(src.contains(start) && src.contains(end), src);
        return src.replace(start, start + atStart + "\n").replace(end, atEnd + "\n" + end);
    }

    @Test
    void misbehavingCandidatesAreFailuresOfTheirKindAndTheNextCandidateStillMeasures() {
        ComputeDag dag = Kernels.matmul(16);
        SearchTask task = SearchTask.of(dag);
        State s = Kernels.splitVectorize(dag);
        MeasureInput in = new MeasureInput(task, s);
        BuildResult good = builder.build(in);
        List<BuildResult> builds = new ArrayList<>();
        List<ErrorKind> want = new ArrayList<>();
        List<String> say = new ArrayList<>();
        builds.add(good);
        want.add(ErrorKind.NONE);
        say.add("");
        Object[][] bad = {
                {mutate(s, "", "  C[16 * 16] = 42.0f;"), ErrorKind.MEMORY_CORRUPTION, "past the end of C"},
                {mutate(s, "", "  B[-3] = 42.0f;"), ErrorKind.MEMORY_CORRUPTION, "up to 12 bytes before the start of B"},
                {mutate(s, "", "  A[5] = 42.0f;"), ErrorKind.MEMORY_CORRUPTION, "into its input A"},
                {mutate(s, "", "  C[37] += 1.0f;"), ErrorKind.WRONG_ANSWER, "flat index 37"},
                {mutate(s, "  for (;;) { __asm__ volatile(\"\"); }", ""), ErrorKind.RUN_TIMEOUT, "did not finish"},
                {mutate(s, "  *(volatile int*)(uintptr_t)8 = 1;", ""), ErrorKind.RUNTIME_ERROR, "SIGSEGV"},
                {mutate(s, "  this is not C;", ""), ErrorKind.COMPILE_ERROR, "error"},
        };
        for (Object[] b : bad) {
            builds.add(builder.buildSource(in, (String) b[0]));
            want.add((ErrorKind) b[1]);
            say.add((String) b[2]);
            builds.add(good);
            want.add(ErrorKind.NONE);
            say.add("");
        }
        List<MeasureInput> inputs = builds.stream().map(b -> in).toList();
        try (ProcessRunner runner = new ProcessRunner(QUICK.withTimeoutSeconds(3), builder)) {
            List<MeasureResult> rs = runner.run(inputs, builds);
            for (int i = 0; i < rs.size(); i++) {
                MeasureResult r = rs.get(i);
                assertEquals(want.get(i), r.error(), "candidate " + i + ": " + r.message());
                assertTrue(r.message().contains(say.get(i)), "candidate " + i + ": " + r.message());
                if (want.get(i) == ErrorKind.NONE) {
                    assertMeasured(r, 3);
                } else {
                    assertFalse(r.ok());
                    assertEquals(Double.POSITIVE_INFINITY, r.meanCost());
                }
            }
            assertEquals(3, runner.workersStarted(), "one worker, restarted after the hang and after the crash");
        }
    }

    @Test
    void buildFailuresBecomeResults(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("hanging-cc");
        Files.writeString(script, """
                #!/bin/sh
                if [ "$1" = "--version" ]; then echo "hanging-cc 1.0"; exit 0; fi
                tail -f /dev/null &
                wait
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ComputeDag dag = Kernels.matmul(8);
        SearchTask task = SearchTask.of(dag);
        try (LocalBuilder hanging = new LocalBuilder(new CCompiler(script.toString(), List.of(), dir), 2, 0.5)) {
            List<BuildResult> rs = hanging.build(List.of(new MeasureInput(task, State.initial(dag)),
                    new MeasureInput(task, State.initial(Kernels.matmul(4)))));
            assertEquals(ErrorKind.COMPILE_TIMEOUT, rs.get(0).error(), rs.get(0).message());
            assertEquals(ErrorKind.INVALID_SCHEDULE, rs.get(1).error(), rs.get(1).message());
            assertTrue(rs.get(1).message().contains("another DAG"), rs.get(1).message());
        }
    }

    @Test
    void manyCandidatesBuildInParallelAndHitTheCacheTheSecondTime(@TempDir Path dir) {
        ComputeDag dag = Kernels.matmul(16);
        SearchTask task = SearchTask.of(dag);
        List<MeasureInput> in = new ArrayList<>();
        for (int f : new int[]{1, 2, 4, 8, 16}) {
            in.add(new MeasureInput(task, State.initial(dag).split("C", "j", f)));
        }
        CCompiler cc = new CCompiler(CCompiler.system().command(), CCompiler.DEFAULT_FLAGS, dir);
        try (LocalBuilder b = new LocalBuilder(cc, 2, 60)) {
            List<BuildResult> first = b.build(in);
            first.forEach(r -> assertTrue(r.ok(), r.message()));
            in.forEach(i -> assertTrue(cc.isCached(LocalBuilder.source(i.state()))));
            List<BuildResult> again = b.build(in);
            for (int i = 0; i < in.size(); i++) {
                assertEquals(first.get(i).kernel().library(), again.get(i).kernel().library());
            }
        }
    }

    /** {@code out[i] = table[idx[i]]}: idx is a task input. */
    private static ComputeDag gather(Tensor[] idxOut) {
        Tensor table = placeholder(List.of(16), DType.FLOAT32, "table");
        Tensor idx = placeholder(List.of(64), DType.INT32, "idx");
        Tensor out = compute(List.of(64), i -> table.get(idx.get(i).cast(DType.INT64)), "out");
        idxOut[0] = idx;
        return ComputeDag.of(out);
    }

    @Test
    void aGatherIsMeasuredWithItsRealIndicesAndRefusedWithoutThem() {
        Tensor[] idx = new Tensor[1];
        ComputeDag dag = gather(idx);
        var e = assertThrows(IllegalArgumentException.class, () -> SearchTask.of(dag));
        assertTrue(e.getMessage().contains("no task input for idx"), e.getMessage());

        // Indices valid only for a 16-element table: random ones (in [-100, 100)) would fault.
        int[] real = new int[64];
        Random rng = new Random(3);
        for (int i = 0; i < real.length; i++) {
            real[i] = rng.nextInt(16);
        }
        int[] offByOne = real.clone();
        offByOne[40] = 16;
        SearchTask task = new SearchTask(dag, Target.host(), 1, Map.of(idx[0], NDArray.of(real, 64)));
        SearchTask badTask = new SearchTask(dag, Target.host(), 1, Map.of(idx[0], NDArray.of(offByOne, 64)));
        State s = State.initial(dag).split("out", "i", 8).vectorize("out", "i.1");
        try (LocalMeasurer m = measurer(QUICK)) {
            assertMeasured(m.measure(List.of(new MeasureInput(task, s))).getFirst(), 3); // checked against the evaluator
        }
        // The worker runs on the given array: one index off the table is reported by the kernel's index check.
        try (LocalMeasurer m = measurer(new RunOptions(1, 3, 1, false, 10, false))) {
            List<MeasureResult> rs = m.measure(List.of(new MeasureInput(task, s), new MeasureInput(badTask, s),
                    new MeasureInput(task, State.initial(dag))));
            assertMeasured(rs.get(0), 3);
            assertEquals(ErrorKind.RUNTIME_ERROR, rs.get(1).error(), rs.get(1).message());
            assertTrue(rs.get(1).message().contains("index out of bounds"), rs.get(1).message());
            assertMeasured(rs.get(2), 3);
        }
    }

    @Test
    void aCsrProductIsMeasuredWithItsRealStructureAgainstTheDefaultSchedule() {
        int rows = 32;
        int cols = 24;
        Random rng = new Random(5);
        List<Integer> indices = new ArrayList<>();
        int[] indptr = new int[rows + 1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (rng.nextInt(4) == 0) {
                    indices.add(c);
                }
            }
            indptr[r + 1] = indices.size();
        }
        int nnz = indices.size();
        CsrTensors a = CsrTensors.placeholders(rows, cols, nnz, "a");
        Tensor x = placeholder(List.of(cols), DType.FLOAT32, "x");
        ComputeDag dag = ComputeDag.of(Csr.csrMv(a, x));
        SearchTask task = new SearchTask(dag, Target.host(), 1, Map.of(
                a.indices(), NDArray.of(indices.stream().mapToInt(Integer::intValue).toArray(), nnz),
                a.indptr(), NDArray.of(indptr, rows + 1)));
        RunOptions opts = QUICK.withCorrectness(RunOptions.Reference.DEFAULT_SCHEDULE);
        try (LocalMeasurer m = measurer(opts)) {
            State s = State.initial(dag).split("csr_mv", "i", 4);
            assertMeasured(m.measure(List.of(new MeasureInput(task, s))).getFirst(), 3);
        }
    }
}
