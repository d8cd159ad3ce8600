package dev.lathe.autoschedule;

import dev.lathe.autoschedule.task.TaskTuner;
import dev.lathe.measure.SearchTask;

import java.util.Optional;

/** An {@link AutoTuner} as a {@link TaskTuner}, so that a {@link dev.lathe.autoschedule.task.TaskScheduler} can share trials among tasks. */
public final class SearchTaskTuner implements TaskTuner {
    private final String name;
    private final AutoTuner tuner;
    private final double weight;
    private final double flops;
    private final String group;

    /**
     * @param weight how often the workload appears in the network (> 0)
     * @param flops  FLOPs of one run; 0 when unknown
     * @param group  tasks of one non-empty group are similar; "" for none
     */
    public SearchTaskTuner(String name, AutoTuner tuner, double weight, double flops, String group) {
        if (!(weight > 0)) {
            throw new IllegalArgumentException("weight must be > 0, got " + weight);
        }
        this.name = name;
        this.tuner = tuner;
        this.weight = weight;
        this.flops = flops;
        this.group = group == null ? "" : group;
    }

    public SearchTaskTuner(String name, AutoTuner tuner) {
        this(name, tuner, 1, 0, "");
    }

    public AutoTuner tuner() {
        return tuner;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<SearchTask> task() {
        return Optional.of(tuner.task());
    }

    @Override
    public double weight() {
        return weight;
    }

    @Override
    public double flops() {
        return flops;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public Round tuneRound(int trials) {
        int used = tuner.tuneRound(trials);
        return new Round(used, tuner.bestSeconds());
    }

    @Override
    public double bestLatency() {
        return tuner.bestSeconds();
    }
}
