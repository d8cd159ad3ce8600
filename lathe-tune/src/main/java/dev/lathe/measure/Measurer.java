package dev.lathe.measure;

import java.util.List;

/** Builds and times candidates; implementations must turn every failure into a failed result. */
public interface Measurer extends AutoCloseable {
    List<MeasureResult> measure(List<MeasureInput> inputs);

    @Override
    void close();
}
