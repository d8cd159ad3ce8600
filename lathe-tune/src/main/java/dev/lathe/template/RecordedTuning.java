package dev.lathe.template;

import dev.lathe.measure.Measurer;
import dev.lathe.measure.SearchTask;
import dev.lathe.records.MeasureRecord;
import dev.lathe.records.RecordReader;
import dev.lathe.records.RecordWriter;
import dev.lathe.records.TuningCurve;
import dev.lathe.records.TuningProgress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A template tuning run backed by a records file, the way long runs should be made: every result
 * is appended (and flushed) as it arrives, progress is shown, the tuning curve is drawn next to
 * the file at the end, and a run started again on the same file (after a crash, a kill, or to
 * extend the budget) continues where it stopped: recorded configs count towards the budget and
 * are never measured again.
 */
public final class RecordedTuning {
    private RecordedTuning() {
    }

    /**
     * Tunes {@code template} for {@code task} until the records file holds {@code options.nTrials()}
     * trials of this task (on this target).
     *
     * @param name  what the progress line calls the task
     * @param flops floating-point operations of one run of the workload, for the progress line; 0 if unknown
     */
    public static TuneResult run(String name, SearchTask task, Template template, Tuner tuner, Measurer measurer,
                                 TuneOptions options, Path records, double flops, List<TuneCallback> callbacks) {
        List<Trial> history = history(task, records);
        try (RecordWriter writer = RecordWriter.open(records);
             TuningProgress progress = TuningProgress.start(name,
                     Math.max(0, options.nTrials() - history.size()), flops)) {
            List<TuneCallback> all = new ArrayList<>();
            all.add((inputs, results) -> {
                for (int i = 0; i < inputs.size(); i++) {
                    writer.write(inputs.get(i), results.get(i));
                    progress.update(results.get(i));
                }
            });
            all.addAll(callbacks);
            TuneResult result = tuner.tune(task, template, measurer, options, all, history);
            TuningCurve.write(records);
            return result;
        }
    }

    /** The best successful config recorded for {@code task} (same workload key and target) in {@code records}. */
    public static java.util.Optional<Trial> pickBest(SearchTask task, Path records) {
        return Trial.pickBest(history(task, records));
    }

    /** The trials of {@code task} (same workload key and target) that {@code records} holds; none if it does not exist. */
    public static List<Trial> history(SearchTask task, Path records) {
        if (!Files.exists(records)) {
            return List.of();
        }
        String key = task.dag().workloadKey();
        List<Trial> out = new ArrayList<>();
        for (MeasureRecord r : RecordReader.read(records).records()) {
            if (r.workloadKey().equals(key) && r.target().equals(task.target()) && !r.config().isEmpty()) {
                out.add(new Trial(r.config(), r.result()));
            }
        }
        return out;
    }

}
