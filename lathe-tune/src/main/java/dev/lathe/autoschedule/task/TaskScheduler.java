package dev.lathe.autoschedule.task;

import dev.lathe.autoschedule.task.TaskSchedulerOptions.Strategy;
import dev.lathe.autoschedule.task.TaskSchedulerResult.Choice;
import dev.lathe.autoschedule.task.TaskSchedulerResult.RoundLog;
import dev.lathe.autoschedule.task.TaskSchedulerResult.StopReason;
import dev.lathe.autoschedule.task.TaskSchedulerResult.TaskOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Shares one trial budget among many tasks, as Ansor's task scheduler does. Every task first
 * gets one warm-up round; then each round of {@code trialsPerRound} trials goes to one task:
 *
 * <ol>
 *   <li>a live task with no valid result yet (latency +∞), the one with the fewest trials —
 *       until it has a valid result or reaches {@code failureLimit} trials;</li>
 *   <li>otherwise, with probability ε, a random live task;</li>
 *   <li>otherwise, for {@link Strategy#GRADIENT}, the live task with the most negative
 *       gradient of the objective f = Σ wᵢ·Lᵢ over one more round,
 *       <pre>
 *   gᵢ = wᵢ · (α·backwardᵢ + (1 − α)·forwardᵢ)
 *   backwardᵢ = (Lᵢ(nᵢ) − Lᵢ(nᵢ − W)) / W                  (0 while nᵢ ≤ W)
 *   forwardᵢ  = min(Lᵢ − Lᵢ/nᵢ,  β·flopsᵢ / max_{j ∈ group(i)} (flopsⱼ/Lⱼ)) − Lᵢ
 *       </pre>
 *       where Lᵢ(n) is task i's best latency after its n-th round, nᵢ its rounds so far and W
 *       the backward window; the second term of the minimum is used only when task i has a
 *       FLOP count and a group with another task (it says: a similar task reached this
 *       throughput, so this one can reach β times its latency). When all gradients are equal a
 *       random live task is taken. For {@link Strategy#ROUND_ROBIN}, the next live task in turn.</li>
 * </ol>
 *
 * A task stops receiving budget when its tuner measures fewer trials than asked (its space is
 * used up), when its best latency has not improved in {@code earlyStopping} of its trials, or
 * when it has no valid result after {@code failureLimit} trials. The run ends when the budget is
 * spent (exactly {@code totalTrials}, the last round shortened) or no task is live.
 */
public final class TaskScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(TaskScheduler.class);

    private final List<TaskTuner> tuners;
    private final TaskSchedulerOptions options;

    public TaskScheduler(List<? extends TaskTuner> tuners, TaskSchedulerOptions options) {
        if (tuners.isEmpty()) {
            throw new IllegalArgumentException("no tasks to schedule");
        }
        Set<String> names = new HashSet<>();
        for (TaskTuner t : tuners) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("two tasks are named " + t.name());
            }
            if (!(t.weight() > 0) || Double.isInfinite(t.weight())) {
                throw new IllegalArgumentException("task " + t.name() + ": weight must be > 0 and finite, got "
                        + t.weight());
            }
            if (!(t.flops() >= 0) || Double.isInfinite(t.flops())) {
                throw new IllegalArgumentException("task " + t.name() + ": flops must be >= 0 and finite (0: unknown), got "
                        + t.flops());
            }
        }
        this.tuners = List.copyOf(tuners);
        this.options = options;
    }

    /** The state of one task during a run. */
    private static final class State {
        final TaskTuner tuner;
        final List<Double> history = new ArrayList<>();
        final List<Integer> trialsHistory = new ArrayList<>();
        int trials;
        int sinceImprovement;
        double best = Double.POSITIVE_INFINITY;
        StopReason stopped;

        State(TaskTuner tuner) {
            this.tuner = tuner;
        }

        boolean live() {
            return stopped == null;
        }
    }

    /** Tunes the tasks until the budget is spent or no task is live. */
    public TaskSchedulerResult run() {
        List<State> states = tuners.stream().map(State::new).toList();
        List<RoundLog> log = new ArrayList<>();
        Random random = new Random(options.seed());
        int used = 0;
        int rrNext = 0;
        for (int i = 0; i < states.size() && used < options.totalTrials(); i++) {
            used += round(states, i, Choice.WARMUP, used, log);
        }
        while (used < options.totalTrials()) {
            List<Integer> live = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                if (states.get(i).live()) {
                    live.add(i);
                }
            }
            if (live.isEmpty()) {
                break;
            }
            int pick = -1;
            Choice choice = null;
            for (int i : live) {
                if (states.get(i).best == Double.POSITIVE_INFINITY
                        && (pick < 0 || states.get(i).trials < states.get(pick).trials)) {
                    pick = i;
                    choice = Choice.NO_VALID_RESULT_YET;
                }
            }
            if (pick < 0 && options.strategy() == Strategy.ROUND_ROBIN) {
                for (int k = 0; k < states.size(); k++) {
                    int i = (rrNext + k) % states.size();
                    if (states.get(i).live()) {
                        pick = i;
                        break;
                    }
                }
                rrNext = pick + 1;
                choice = Choice.ROUND_ROBIN;
            } else if (pick < 0 && options.epsGreedy() > 0 && random.nextDouble() < options.epsGreedy()) {
                pick = live.get(random.nextInt(live.size()));
                choice = Choice.EPSILON;
            } else if (pick < 0) {
                double[] g = gradients(states);
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (int i : live) {
                    if (g[i] < min) {
                        min = g[i];
                        pick = i;
                    }
                    max = Math.max(max, g[i]);
                }
                choice = Choice.GRADIENT;
                if (min == max) {
                    pick = live.get(random.nextInt(live.size()));
                    choice = Choice.TIE;
                }
            }
            used += round(states, pick, choice, used, log);
        }
        for (State s : states) {
            if (s.stopped == null) {
                s.stopped = StopReason.BUDGET;
            }
        }
        List<TaskOutcome> outcomes = states.stream().map(s -> new TaskOutcome(s.tuner.name(), s.tuner.weight(),
                s.trials, s.best, s.history, s.trialsHistory, s.stopped)).toList();
        double total = weightedLatency(states);
        TaskSchedulerResult result = new TaskSchedulerResult(outcomes, total, used, log);
        LOG.info(String.format(Locale.ROOT, "task scheduler: %d trials in %d rounds over %d tasks, Σ w·latency %s",
                used, log.size(), states.size(), ms(total)));
        for (TaskOutcome o : outcomes) {
            LOG.info(String.format(Locale.ROOT, "  %s (w=%s): %d trials, best %s, %s", o.name(), num(o.weight()),
                    o.trials(), ms(o.bestLatency()), o.stopReason()));
        }
        return result;
    }

    /** Runs one round of task {@code i}; returns the trials it used. */
    private int round(List<State> states, int i, Choice choice, int used, List<RoundLog> log) {
        State s = states.get(i);
        int ask = Math.min(options.trialsPerRound(), options.totalTrials() - used);
        TaskTuner.Round r = s.tuner.tuneRound(ask);
        if (r.trialsUsed() > ask) {
            throw new IllegalStateException("task " + s.tuner.name() + " measured " + r.trialsUsed()
                    + " trials, but only " + ask + " were given");
        }
        s.trials += r.trialsUsed();
        if (r.bestLatency() < s.best) {
            s.best = r.bestLatency();
            s.sinceImprovement = 0;
        } else {
            s.sinceImprovement += r.trialsUsed();
        }
        s.history.add(s.best);
        s.trialsHistory.add(s.trials);
        if (r.trialsUsed() < ask) {
            s.stopped = StopReason.EXHAUSTED;
        } else if (s.best == Double.POSITIVE_INFINITY && s.trials >= options.failureLimit()) {
            s.stopped = StopReason.NO_VALID_RESULT;
        } else if (s.best < Double.POSITIVE_INFINITY && options.earlyStopping() > 0
                && s.sinceImprovement >= options.earlyStopping()) {
            s.stopped = StopReason.EARLY_STOPPED;
        }
        int total = used + r.trialsUsed();
        double weighted = weightedLatency(states);
        log.add(new RoundLog(log.size(), i, s.tuner.name(), choice, r.trialsUsed(), s.best, weighted, total));
        if (LOG.isInfoEnabled()) {
            LOG.info(String.format(Locale.ROOT, "round %d (%s): %s (w=%s) +%d -> %d trials, best %s%s; "
                            + "Σ w·latency %s, %d/%d trials", log.size() - 1, choice.name().toLowerCase(Locale.ROOT),
                    s.tuner.name(), num(s.tuner.weight()), r.trialsUsed(), s.trials, ms(s.best),
                    s.stopped == null ? "" : ", stopped: " + s.stopped.name().toLowerCase(Locale.ROOT), ms(weighted),
                    total, options.totalTrials()));
        }
        return r.trialsUsed();
    }

    /** The gradient of every task (0 for tasks without rounds or a valid result); see the class comment. */
    private double[] gradients(List<State> states) {
        double[] g = new double[states.size()];
        int w = options.backwardWindow();
        for (int i = 0; i < states.size(); i++) {
            State s = states.get(i);
            int n = s.history.size();
            if (n == 0 || s.best == Double.POSITIVE_INFINITY) {
                continue;
            }
            double backward = 0;
            if (n - 1 - w >= 0) {
                double now = s.history.get(n - 1);
                double before = s.history.get(n - 1 - w);
                if (before < Double.POSITIVE_INFINITY) {
                    backward = (now - before) / w;
                }
            }
            double next = s.best - s.best / n;
            double bestRate = groupBestFlopRate(states, i);
            if (bestRate > 0) {
                next = Math.min(next, options.beta() * s.tuner.flops() / bestRate);
            }
            double forward = next - s.best;
            g[i] = s.tuner.weight() * (options.alpha() * backward + (1 - options.alpha()) * forward);
        }
        return g;
    }

    /**
     * The best FLOP/s among the valid tasks of task i's group (i included), or 0 when task i has
     * no FLOP count, no group, or no other task in its group.
     */
    private static double groupBestFlopRate(List<State> states, int i) {
        TaskTuner t = states.get(i).tuner;
        if (t.flops() <= 0 || t.group().isEmpty()) {
            return 0;
        }
        int members = 0;
        double best = 0;
        for (State s : states) {
            if (s.tuner.group().equals(t.group())) {
                members++;
                if (s.tuner.flops() > 0 && s.best < Double.POSITIVE_INFINITY) {
                    best = Math.max(best, s.tuner.flops() / s.best);
                }
            }
        }
        return members > 1 ? best : 0;
    }

    private static double weightedLatency(List<State> states) {
        double sum = 0;
        for (State s : states) {
            sum += s.tuner.weight() * s.best;
        }
        return sum;
    }

    private static String ms(double seconds) {
        return seconds == Double.POSITIVE_INFINITY ? "none"
                : String.format(Locale.ROOT, "%.4f ms", seconds * 1e3);
    }

    private static String num(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }
}
