package dev.lathe.records;

import dev.lathe.codegen.CodegenC;
import dev.lathe.build.Build;
import dev.lathe.measure.ErrorKind;
import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.SearchTask;
import dev.lathe.measure.Target;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BestRecordsTest {
    private static MeasureResult cost(double seconds) {
        return new MeasureResult(List.of(seconds), ErrorKind.NONE, "", 0.1, 0.1, 1);
    }

    @Test
    void theBestRecordIsPerWorkloadAndTarget(@TempDir Path dir) {
        ComputeDag dag = Fixtures.matmul();
        SearchTask task = Fixtures.task(dag);
        Target other = new Target("other", Set.of("avx2"), 2, 32, 1, 1, 1);
        SearchTask otherTask = new SearchTask(dag, other, 1, java.util.Map.of());
        List<MeasureInput> c = Fixtures.candidates(task, 4);
        Path file = dir.resolve("r.jsonl");
        try (RecordWriter w = RecordWriter.open(file)) {
            w.write(c.get(0), cost(3e-3));
            w.write(c.get(1), cost(1e-3));
            w.write(c.get(2), MeasureResult.failed(ErrorKind.RUNTIME_ERROR, "crash", 0.1, 0));
            w.write(c.get(3), cost(2e-3));
            w.write(new MeasureInput(otherTask, c.get(2).state()), cost(1e-4));
        }
        BestRecords best = BestRecords.load(file);
        MeasureRecord b = best.best(dag.workloadKey(), Fixtures.TARGET).orElseThrow();
        assertEquals(1e-3, b.meanCost());
        assertEquals(c.get(1).state().steps(), b.steps());
        assertEquals(List.of(1e-3, 2e-3, 3e-3), best.ranked(dag.workloadKey(), Fixtures.TARGET).stream()
                .map(MeasureRecord::meanCost).toList());
        assertEquals(c.get(2).state().steps(), best.best(dag.workloadKey(), other).orElseThrow().steps());
        assertEquals(1e-4, best.bestOnAnyTarget(dag.workloadKey()).orElseThrow().meanCost());
        assertTrue(best.best("nope", Fixtures.TARGET).isEmpty());

        // Apply history best compiles the best schedule.
        ApplyHistoryBest apply = new ApplyHistoryBest(best, Fixtures.TARGET);
        State s = apply.schedule(Fixtures.matmul());
        assertEquals(CodegenC.generate(Build.lower(c.get(1).state(), "k")).text(),
                CodegenC.generate(Build.lower(s, "k")).text());

        // Resuming: what is recorded counts as measured, failed candidates included.
        MeasuredCandidates m = MeasuredCandidates.load(file);
        assertEquals(5, m.size());
        assertTrue(m.contains(c.get(2)));
        List<MeasureInput> more = Fixtures.candidates(task, 6);
        assertEquals(List.of(more.get(4), more.get(5)), m.unmeasured(more));
    }

    @Test
    void withoutARecordApplyHistoryBestWarnsAndFallsBack(@TempDir Path dir) throws Exception {
        ComputeDag dag = Fixtures.matmul();
        AtomicInteger fallbacks = new AtomicInteger();
        ApplyHistoryBest apply = ApplyHistoryBest.load(dir.resolve("empty.jsonl"), Fixtures.TARGET)
                .withFallback(d -> {
                    fallbacks.incrementAndGet();
                    return State.initial(d);
                });
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Module mod;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            mod = apply.build(dag, "fallback_mm");
        } finally {
            System.setErr(err);
        }
        assertEquals(1, fallbacks.get());
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN") && log.contains("no recorded schedule for workload " + dag.workloadKey()),
                log);
        float[] ones = new float[64 * 64];
        float[] twos = new float[64 * 64];
        java.util.Arrays.fill(ones, 1f);
        java.util.Arrays.fill(twos, 2f);
        NDArray c = NDArray.zeros(dev.lathe.ir.DType.FLOAT32, 64, 64);
        mod.call(NDArray.of(ones, 64, 64), NDArray.of(twos, 64, 64), c);
        assertEquals(128.0, c.getDouble(c.flatIndex(3, 5)));

        // The default fallback is the root schedule.
        State root = new ApplyHistoryBest(new BestRecords(), Fixtures.TARGET).schedule(dag);
        assertTrue(root.steps().isEmpty());
        assertFalse(apply.record(dag).isPresent());
    }
}
