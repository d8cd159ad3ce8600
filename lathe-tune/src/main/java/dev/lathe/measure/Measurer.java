package dev.lathe.measure;

import java.util.List;

/** Builds and times candidates; implementations must turn every failure into a failed result. */
public interface Measurer extends AutoCloseable {
    List<MeasureResult> measure(List<MeasureInput> inputs);

    /**
     * {@link #measure(List)}, but a candidate whose first run takes longer than {@code slowSeconds}
     * (when > 0) may be reported with that one run as its only cost instead of being timed in full:
     * a search needs to know that such a program is slow, not how slow to the percent. An
     * implementation that cannot stop early times every candidate in full.
     */
    default List<MeasureResult> measure(List<MeasureInput> inputs, double slowSeconds) {
        return measure(inputs);
    }

    @Override
    void close();
}
