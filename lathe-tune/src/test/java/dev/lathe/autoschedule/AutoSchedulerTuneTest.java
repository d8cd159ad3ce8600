package dev.lathe.autoschedule;

import dev.lathe.measure.SearchTask;
import dev.lathe.records.RecordReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoSchedulerTuneTest {
    @Test
    void severalTasksShareOneBudgetAndEachGetsACorrectCompiledBest(@TempDir Path dir) {
        Path records = dir.resolve("two.jsonl");
        SearchTask mm = SearchTask.of(Dags.matmul(32, 32, 16));
        SearchTask chain = SearchTask.of(Dags.elementwiseChain(64));
        FakeMeasurer measurer = FakeMeasurer.rewardingInnerTile(8);
        List<AutoScheduler.Tuned> tuned = AutoScheduler.tune(List.of(
                new AutoScheduler.Job("mm", mm, 2, 2.0 * 32 * 32 * 16),
                new AutoScheduler.Job("chain", chain, 1, 64)), 48, records, measurer, 8);
        assertEquals(2, tuned.size());
        assertEquals(48, RecordReader.read(records).records().size(), "the budget is spent exactly and recorded");
        assertEquals(48, new HashSet<>(measurer.keys).size(), "nothing measured twice");
        for (AutoScheduler.Tuned t : tuned) {
            SearchTask task = t.name().equals("mm") ? mm : chain;
            assertTrue(t.trials() > 0, t.name());
            String kind = t.name().equals("mm") ? "matmul" : "elementwise";
            assertNull(Dags.check(Dags.inputs(kind, task.dag(), new Random(3)), t.best()), t.name());
        }

        // Continuing the same records to a larger budget measures only the difference.
        FakeMeasurer more = FakeMeasurer.rewardingInnerTile(8);
        AutoScheduler.tune(mm, 0, 40, records, more);
        assertTrue(more.keys.stream().noneMatch(measurer.keys::contains), "recorded candidates are not measured again");
    }

    @Test
    void theStaticModesProgramIsMeasuredFirstSoTuningNeverEndsBelowIt(@TempDir Path dir) {
        SearchTask mm = SearchTask.of(Dags.matmul(32, 32, 16));
        // A cost that prefers the static program over everything else.
        String staticSteps = AutoScheduler.schedule(mm.dag(), mm.target()).steps().toString();
        FakeMeasurer m = new FakeMeasurer(in -> in.state().steps().toString().equals(staticSteps) ? 1e-6 : 1e-3);
        AutoScheduler.Tuned t = AutoScheduler.tune(mm, 0, 8, dir.resolve("mm.jsonl"), m);
        assertEquals(staticSteps, m.states.getFirst().steps().toString());
        assertEquals(staticSteps, t.best().steps().toString());
        assertEquals(1e-6, t.bestSeconds());
    }
}
