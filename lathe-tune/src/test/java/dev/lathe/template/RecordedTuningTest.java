package dev.lathe.template;

import dev.lathe.measure.SearchTask;
import dev.lathe.records.RecordReader;
import dev.lathe.records.TuningCurve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordedTuningTest {
    private static final SearchTask TASK = TinyTemplates.matmulTask(256, 256, 64);

    @Test
    void aSecondRunOnTheSameRecordsContinuesWithoutMeasuringAnythingTwice(@TempDir Path dir) throws Exception {
        Path records = dir.resolve("mm.jsonl");
        for (Tuner tuner : List.of(new GaTuner(), new ModelTuner())) {
            Files.deleteIfExists(records);
            ConfigSpace space = TinyTemplates.LARGE.space(TASK.dag());
            TinyTemplates.FakeMeasurer first = new TinyTemplates.FakeMeasurer(space, TinyTemplates::largeCost);
            RecordedTuning.run("mm", TASK, TinyTemplates.LARGE, tuner, first, new TuneOptions(40, 8, 0, 1), records, 0,
                    List.of());
            assertEquals(40, first.seen.size());
            assertEquals(40, RecordReader.read(records).records().size());

            TinyTemplates.FakeMeasurer second = new TinyTemplates.FakeMeasurer(space, TinyTemplates::largeCost);
            TuneResult r = RecordedTuning.run("mm", TASK, TinyTemplates.LARGE, tuner, second,
                    new TuneOptions(100, 8, 0, 2), records, 0, List.of());
            assertEquals(60, second.seen.size(), "only the missing trials are measured");
            for (String c : second.seen) {
                assertTrue(!first.distinct.contains(c), "measured again after resuming: " + c);
            }
            assertEquals(100, r.trials().size(), "the result covers the recorded and the new trials");
            Set<String> configs = new HashSet<>();
            RecordReader.read(records).records().forEach(rec -> configs.add(rec.config()));
            assertEquals(100, configs.size(), "every config recorded once");
            assertTrue(r.best().orElseThrow().result().meanCost()
                    <= RecordedTuning.history(TASK, records).stream().mapToDouble(t -> t.result().meanCost()).min().orElseThrow());
            assertTrue(Files.size(TuningCurve.pngFor(records)) > 0, "tuning curve drawn next to the records");
            assertEquals(space.parse(r.best().orElseThrow().config()).index(),
                    space.parse(RecordedTuning.pickBest(TASK, records).orElseThrow().config()).index(),
                    "pick-best of the records file is the run's best");
        }
    }
}
