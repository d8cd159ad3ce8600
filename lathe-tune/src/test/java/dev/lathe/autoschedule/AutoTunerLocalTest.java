package dev.lathe.autoschedule;

import dev.lathe.autoschedule.model.XgbCostModel;
import dev.lathe.measure.LocalBuilder;
import dev.lathe.measure.LocalMeasurer;
import dev.lathe.measure.ProcessRunner;
import dev.lathe.measure.RunOptions;
import dev.lathe.measure.SearchTask;
import dev.lathe.records.RecordReader;
import dev.lathe.runtime.CCompiler;
import dev.lathe.schedule.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: the tuning loop with real compilation and timing on a 64×64×64 matmul. */
class AutoTunerLocalTest {

    @Test
    void tunesASmallMatmulAndItsBestProgramComputesTheReference(@TempDir Path dir) {
        Dags.Case c = Dags.inputs("matmul", Dags.matmul(64, 64, 64), new Random(1));
        SearchTask task = SearchTask.of(c.dag());
        RunOptions run = new RunOptions(1, 2, 1, false, 20, true, RunOptions.Reference.EVALUATOR);
        LocalBuilder builder = new LocalBuilder(CCompiler.system(), 2, 60);
        Path records = dir.resolve("mm.jsonl");
        AutoTuner.Options o = AutoTuner.Options.defaults()
                .withEvolution(EvolutionarySearch.Options.defaults().withPopulation(32).withGenerations(2))
                .withSeed(4).withFlops(2.0 * 64 * 64 * 64).withRecords(records);
        State best;
        try (LocalMeasurer m = new LocalMeasurer(builder, new ProcessRunner(run, builder));
             XgbCostModel model = new XgbCostModel(4);
             AutoTuner t = new AutoTuner(task, m, model, o)) {
            assertEquals(16, t.tune(16, 8));
            assertTrue(Double.isFinite(t.bestSeconds()), "no trial succeeded");
            assertEquals(16, model.trainedOn());
            best = t.bestState().orElseThrow();
        }
        assertEquals(16, RecordReader.read(records).records().size());
        assertNull(Dags.check(c, best));
    }
}
