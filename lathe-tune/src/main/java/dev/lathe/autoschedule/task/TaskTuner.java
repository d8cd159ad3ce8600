package dev.lathe.autoschedule.task;

import dev.lathe.measure.SearchTask;

import java.util.Optional;

/**
 * One tunable task as the {@link TaskScheduler} sees it: a name, a weight, optionally a FLOP
 * count and a group of similar tasks, and a way to spend a round of trials on it. The search
 * (sketches, evolution, cost model) implements this; tests use synthetic tuners.
 *
 * <p>A tuner keeps its own state between rounds (its measured candidates, its cost model) and
 * is called from one thread.
 */
public interface TaskTuner {

    /** What one round did: the trials actually measured and the best latency after the round. */
    record Round(int trialsUsed, double bestLatency) {
        public Round {
            if (trialsUsed < 0) {
                throw new IllegalArgumentException("trialsUsed must be >= 0, got " + trialsUsed);
            }
            if (Double.isNaN(bestLatency) || bestLatency <= 0) {
                throw new IllegalArgumentException("bestLatency must be > 0 (+∞ when no trial succeeded), got "
                        + bestLatency);
            }
        }
    }

    /** A unique name, for logs and results (e.g. the workload key or a layer name). */
    String name();

    /** The search task tuned, when there is one. */
    default Optional<SearchTask> task() {
        return Optional.empty();
    }

    /** How many times the task's workload appears in the network; > 0. */
    default double weight() {
        return 1;
    }

    /** Floating-point operations of one run of the workload; 0 when unknown. */
    default double flops() {
        return 0;
    }

    /**
     * Tasks with the same non-empty group are "similar" (e.g. the same operator kind): the
     * scheduler's forward estimate assumes a task can reach β times the latency implied by the
     * best throughput (FLOP/s) of its group. Empty: no group.
     */
    default String group() {
        return "";
    }

    /**
     * Measures up to {@code trials} new candidates and returns how many it measured and the best
     * latency (seconds) so far, +∞ when none succeeded yet. Fewer than {@code trials} means the
     * tuner has run out of candidates; the scheduler then gives it no more budget.
     */
    Round tuneRound(int trials);

    /** The best latency so far in seconds; +∞ before any successful trial. */
    double bestLatency();
}
