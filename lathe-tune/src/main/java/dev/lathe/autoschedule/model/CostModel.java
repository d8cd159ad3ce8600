package dev.lathe.autoschedule.model;

import java.util.List;

/**
 * A cost model of candidate programs. A candidate is given as its feature matrix: one row per
 * buffer store, the same number of columns in every row (a candidate may have no rows).
 *
 * <p>Training on the records of earlier runs is {@link #update} before tuning starts.
 */
public interface CostModel {

    /**
     * Adds measured candidates to the training set and retrains.
     *
     * @param features    one matrix per candidate
     * @param throughputs one per candidate: flop/s or {@code 1/seconds}, higher is faster;
     *                    {@code 0} for a candidate that failed to build or run. NaN, infinite and
     *                    negative values are treated as failures.
     */
    void update(List<float[][]> features, double[] throughputs);

    /**
     * Scores candidates: higher means predicted faster. Scores are comparable within one call
     * and across calls on the same model state; they are not throughputs.
     */
    double[] predict(List<float[][]> features);

    /** The number of candidates (failed ones included) the model has been given so far. */
    int trainedOn();
}
