package dev.lathe.template;

import java.util.ArrayList;
import java.util.List;

/** Configs in index order (the first knob varies fastest). */
public final class GridTuner extends Tuner {
    private long next;

    @Override
    protected void reset() {
        next = 0;
    }

    @Override
    protected List<Config> nextBatch(int n) {
        List<Config> out = new ArrayList<>();
        while (out.size() < n && next < space.size()) {
            Config c = space.get(next++);
            if (!isVisited(c)) {
                out.add(c);
            }
        }
        return out;
    }
}
