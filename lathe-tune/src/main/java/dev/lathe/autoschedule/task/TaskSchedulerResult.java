package dev.lathe.autoschedule.task;

import java.util.List;

/**
 * What a {@link TaskScheduler} run did: per task its trials, best latency and history, the
 * weighted total latency Σ wᵢ·latencyᵢ (+∞ while some task has no valid result), the trials
 * spent in all, and the log of rounds.
 */
public record TaskSchedulerResult(List<TaskOutcome> tasks, double weightedLatency, int trialsUsed,
                                  List<RoundLog> rounds) {

    public TaskSchedulerResult {
        tasks = List.copyOf(tasks);
        rounds = List.copyOf(rounds);
    }

    /** Why a task stopped receiving budget. */
    public enum StopReason {
        /** It was still live when the total budget ran out. */
        BUDGET,
        /** Its best latency did not improve within the early-stopping window. */
        EARLY_STOPPED,
        /** It had no valid result within the failure limit. */
        NO_VALID_RESULT,
        /** Its tuner measured fewer trials than asked: its space is used up. */
        EXHAUSTED
    }

    /** Why a round went to its task. */
    public enum Choice {
        /** The first round of every task. */
        WARMUP,
        /** The task had no valid result yet. */
        NO_VALID_RESULT_YET,
        /** The task had the most negative gradient. */
        GRADIENT,
        /** All gradients were equal; a random live task. */
        TIE,
        /** The ε-greedy random pick. */
        EPSILON,
        /** The round-robin turn. */
        ROUND_ROBIN
    }

    /**
     * One task's outcome.
     *
     * @param history the task's best latency after each of its rounds
     * @param trialsHistory the task's cumulative trials after each of its rounds
     */
    public record TaskOutcome(String name, double weight, int trials, double bestLatency, List<Double> history,
                              List<Integer> trialsHistory, StopReason stopReason) {
        public TaskOutcome {
            history = List.copyOf(history);
            trialsHistory = List.copyOf(trialsHistory);
        }

        public int rounds() {
            return history.size();
        }
    }

    /**
     * One round.
     *
     * @param weightedLatency Σ wᵢ·latencyᵢ after the round
     * @param totalTrials trials spent by all tasks after the round
     */
    public record RoundLog(int round, int task, String taskName, Choice choice, int trials, double bestLatency,
                           double weightedLatency, int totalTrials) {
    }

    /** The outcome of the task with this name. */
    public TaskOutcome task(String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no task named " + name));
    }
}
