package dev.lathe.template;

import java.util.List;
import java.util.Optional;

/** Every trial of a tuning run, in measurement order, and the best. */
public record TuneResult(ConfigSpace space, List<Trial> trials) {
    public TuneResult {
        trials = List.copyOf(trials);
    }

    public Optional<Trial> best() {
        return Trial.pickBest(trials);
    }

    /** The best config, parsed back into the space. */
    public Optional<Config> bestConfig() {
        return best().map(t -> space.parse(t.config()));
    }

    /** The best mean cost after each trial (+∞ until one succeeds): the tuning curve. */
    public double[] curve() {
        double[] out = new double[trials.size()];
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < out.length; i++) {
            best = Math.min(best, trials.get(i).result().meanCost());
            out[i] = best;
        }
        return out;
    }
}
