package dev.lathe.autoschedule.task;

/**
 * Options of the {@link TaskScheduler}.
 *
 * @param totalTrials     the trial budget shared by all tasks
 * @param trialsPerRound  trials given to the chosen task per round (Ansor: 64)
 * @param strategy        how rounds after the warm-up are allocated
 * @param alpha           weight of the backward gradient against the forward estimate (Ansor: 0.2)
 * @param beta            a task is assumed able to reach β × the latency implied by its group's best
 *                        FLOP/s (Ansor: 2)
 * @param backwardWindow  rounds over which the backward gradient is taken (Ansor: 3)
 * @param epsGreedy       chance of choosing a random live task instead of the best (Ansor: 0.05)
 * @param earlyStopping   a task whose best latency did not improve in this many of its trials gets
 *                        no more budget; 0 disables
 * @param failureLimit    a task with no valid result after this many of its trials gets no more budget
 * @param seed            seed of the ε-greedy and tie-breaking choices
 */
public record TaskSchedulerOptions(int totalTrials, int trialsPerRound, Strategy strategy, double alpha, double beta,
                                   int backwardWindow, double epsGreedy, int earlyStopping, int failureLimit,
                                   long seed) {

    /** How rounds after the warm-up are allocated. */
    public enum Strategy {
        /** To the task with the largest expected decrease of Σ wᵢ·latencyᵢ. */
        GRADIENT,
        /** To the live tasks in turn. */
        ROUND_ROBIN
    }

    public TaskSchedulerOptions {
        if (totalTrials < 0) {
            throw new IllegalArgumentException("totalTrials must be >= 0, got " + totalTrials);
        }
        if (trialsPerRound < 1) {
            throw new IllegalArgumentException("trialsPerRound must be >= 1, got " + trialsPerRound);
        }
        if (strategy == null) {
            throw new IllegalArgumentException("strategy must not be null");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be > 0 and finite, got " + beta);
        }
        if (backwardWindow < 1) {
            throw new IllegalArgumentException("backwardWindow must be >= 1, got " + backwardWindow);
        }
        if (!(epsGreedy >= 0 && epsGreedy <= 1)) {
            throw new IllegalArgumentException("epsGreedy must be in [0, 1], got " + epsGreedy);
        }
        if (earlyStopping < 0) {
            throw new IllegalArgumentException("earlyStopping must be >= 0 (0: off), got " + earlyStopping);
        }
        if (failureLimit < 1) {
            throw new IllegalArgumentException("failureLimit must be >= 1, got " + failureLimit);
        }
    }

    /**
     * Ansor's defaults: 64 trials per round, gradient strategy, α = 0.2, β = 2, window 3, ε = 0.05,
     * no early stopping, a task given up after 3 rounds (192 trials) without a valid result, seed 0.
     */
    public static TaskSchedulerOptions defaults(int totalTrials) {
        return new TaskSchedulerOptions(totalTrials, 64, Strategy.GRADIENT, 0.2, 2, 3, 0.05, 0, 192, 0);
    }

    public TaskSchedulerOptions withTrialsPerRound(int n) {
        return new TaskSchedulerOptions(totalTrials, n, strategy, alpha, beta, backwardWindow, epsGreedy,
                earlyStopping, failureLimit, seed);
    }

    public TaskSchedulerOptions withStrategy(Strategy s) {
        return new TaskSchedulerOptions(totalTrials, trialsPerRound, s, alpha, beta, backwardWindow, epsGreedy,
                earlyStopping, failureLimit, seed);
    }

    public TaskSchedulerOptions withGradient(double alpha, double beta, int backwardWindow) {
        return new TaskSchedulerOptions(totalTrials, trialsPerRound, strategy, alpha, beta, backwardWindow, epsGreedy,
                earlyStopping, failureLimit, seed);
    }

    public TaskSchedulerOptions withEpsGreedy(double eps) {
        return new TaskSchedulerOptions(totalTrials, trialsPerRound, strategy, alpha, beta, backwardWindow, eps,
                earlyStopping, failureLimit, seed);
    }

    public TaskSchedulerOptions withEarlyStopping(int trials) {
        return new TaskSchedulerOptions(totalTrials, trialsPerRound, strategy, alpha, beta, backwardWindow, epsGreedy,
                trials, failureLimit, seed);
    }

    public TaskSchedulerOptions withFailureLimit(int trials) {
        return new TaskSchedulerOptions(totalTrials, trialsPerRound, strategy, alpha, beta, backwardWindow, epsGreedy,
                earlyStopping, trials, seed);
    }

    public TaskSchedulerOptions withSeed(long s) {
        return new TaskSchedulerOptions(totalTrials, trialsPerRound, strategy, alpha, beta, backwardWindow, epsGreedy,
                earlyStopping, failureLimit, s);
    }
}
