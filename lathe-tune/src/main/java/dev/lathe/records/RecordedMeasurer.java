package dev.lathe.records;

import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.Measurer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Measures candidates through a {@link Measurer} and records every result as it comes back,
 * skipping candidates already measured: the resumable way to measure. Resuming a killed run is
 * {@code RecordedMeasurer.resume(measurer, records, progress)}: candidates recorded in the file
 * are never measured again; those being measured when the run died (not yet recorded) are.
 * Closing it closes the writer and the progress, not the measurer.
 */
public final class RecordedMeasurer implements AutoCloseable {
    private final Measurer measurer;
    private final RecordWriter writer;
    private final MeasuredCandidates measured;
    private final TuningProgress progress;

    /** @param progress updated per result; may be null */
    public RecordedMeasurer(Measurer measurer, RecordWriter writer, MeasuredCandidates measured,
                            TuningProgress progress) {
        this.measurer = Objects.requireNonNull(measurer);
        this.writer = Objects.requireNonNull(writer);
        this.measured = Objects.requireNonNull(measured);
        this.progress = progress;
    }

    /** Continues the records file {@code records}: what it holds counts as measured. */
    public static RecordedMeasurer resume(Measurer measurer, Path records, TuningProgress progress) {
        MeasuredCandidates m = MeasuredCandidates.load(records);
        return new RecordedMeasurer(measurer, RecordWriter.open(records), m, progress);
    }

    /**
     * Measures the inputs not measured yet (in order, each once) and appends their records.
     * Returns the new records, in input order.
     */
    public List<MeasureRecord> measureNew(List<MeasureInput> inputs) {
        List<MeasureInput> todo = measured.unmeasured(inputs);
        if (todo.isEmpty()) {
            return List.of();
        }
        List<MeasureResult> results = measurer.measure(todo);
        if (results.size() != todo.size()) {
            throw new IllegalStateException("the measurer returned " + results.size() + " results for "
                    + todo.size() + " inputs");
        }
        List<MeasureRecord> out = new ArrayList<>();
        for (int i = 0; i < todo.size(); i++) {
            MeasureRecord r = writer.write(todo.get(i), results.get(i));
            measured.add(r);
            if (progress != null) {
                progress.update(r);
            }
            out.add(r);
        }
        return out;
    }

    public MeasuredCandidates measured() {
        return measured;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
    }
}
