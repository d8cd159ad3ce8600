package dev.lathe.autoschedule;

import dev.lathe.measure.Target;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;

/**
 * The auto-scheduler's entry points. For now only the static mode: a schedule from the sketch rules and
 * machine-aware heuristics, with no measurement. The tuning entry points (search with measurements) come
 * with the evolutionary search.
 */
public final class AutoScheduler {
    private AutoScheduler() {
    }

    /**
     * A good schedule of {@code dag} for {@code target} without measuring anything (see {@link StaticMode});
     * never throws for a valid DAG: at worst it is the initial state.
     */
    public static State schedule(ComputeDag dag, Target target) {
        return StaticMode.schedule(dag, target);
    }
}
