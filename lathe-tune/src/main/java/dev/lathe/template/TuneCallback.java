package dev.lathe.template;

import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;

import java.util.List;

/** Called after each measured batch (records writers, progress bars, logging). */
@FunctionalInterface
public interface TuneCallback {
    void onResults(List<MeasureInput> inputs, List<MeasureResult> results);
}
