package dev.lathe.template;

import java.util.List;
import java.util.Set;

/** Uniformly random configs, never one twice. */
public final class RandomTuner extends Tuner {
    @Override
    protected void reset() {
    }

    @Override
    protected List<Config> nextBatch(int n) {
        return randomBatch(n, Set.of());
    }
}
