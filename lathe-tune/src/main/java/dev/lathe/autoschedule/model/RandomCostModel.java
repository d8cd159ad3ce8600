package dev.lathe.autoschedule.model;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A baseline that ignores features: every prediction is uniform in {@code [0, 1)}. Seeded, so the
 * same sequence of calls gives the same scores.
 */
public final class RandomCostModel implements CostModel {
    private final SplittableRandom rng;
    private int trainedOn;

    public RandomCostModel(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public void update(List<float[][]> features, double[] throughputs) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(throughputs, "throughputs");
        if (features.size() != throughputs.length) {
            throw new IllegalArgumentException("update: " + features.size() + " candidates but "
                    + throughputs.length + " throughputs");
        }
        trainedOn += features.size();
    }

    @Override
    public double[] predict(List<float[][]> features) {
        double[] out = new double[features.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rng.nextDouble();
        }
        return out;
    }

    @Override
    public int trainedOn() {
        return trainedOn;
    }
}
