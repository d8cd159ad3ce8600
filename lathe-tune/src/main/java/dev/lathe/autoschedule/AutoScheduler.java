package dev.lathe.autoschedule;

import dev.lathe.autoschedule.model.XgbCostModel;
import dev.lathe.autoschedule.task.TaskScheduler;
import dev.lathe.autoschedule.task.TaskSchedulerOptions;
import dev.lathe.build.Build;
import dev.lathe.measure.LocalMeasurer;
import dev.lathe.measure.Measurer;
import dev.lathe.measure.RunOptions;
import dev.lathe.measure.SearchTask;
import dev.lathe.measure.Target;
import dev.lathe.records.ApplyHistoryBest;
import dev.lathe.records.TuningCurve;
import dev.lathe.records.TuningProgress;
import dev.lathe.runtime.Module;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The auto-scheduler's entry points: the static mode (a schedule from the sketch rules and
 * machine-aware heuristics, no measurement), and tuning (the evolutionary search guided by the
 * cost model, measuring in the worker process, recording every trial) of one task or of several
 * sharing one budget.
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

    /** Compiles each DAG with its best schedule in {@code records}, or with the static mode when there is none. */
    public static ApplyHistoryBest applyHistoryBest(Path records, Target target) {
        return ApplyHistoryBest.load(records, target).withFallback(dag -> schedule(dag, target));
    }

    /** A task to tune, how often it appears (its weight in the shared budget) and its flops (0 if unknown). */
    public record Job(String name, SearchTask task, double weight, double flops) {
    }

    /** The best program found for a task: its schedule, compiled, its measured seconds, and the trials it took. */
    public record Tuned(String name, State best, Module module, double bestSeconds, int trials) {
    }

    /**
     * Tunes one task until {@code records} holds {@code trials} trials of it (a run on an existing
     * file continues it) and compiles the best program.
     */
    public static Tuned tune(SearchTask task, double flops, int trials, Path records) {
        return tune(List.of(new Job("task", task, 1, flops)), trials, records).getFirst();
    }

    /**
     * Tunes one task in one search up to each of {@code checkpoints} (ascending totals of trials in
     * {@code records}, counting those of an earlier run), handing the best program so far, compiled,
     * to {@code atCheckpoint} at each: unlike separate calls of {@link #tune(SearchTask, double, int, Path)},
     * the evolution keeps its population of measured programs from one checkpoint to the next.
     */
    public static void tune(SearchTask task, double flops, List<Integer> checkpoints, Path records,
                            java.util.function.Consumer<Tuned> atCheckpoint) {
        for (int i = 0; i < checkpoints.size(); i++) {
            if (checkpoints.get(i) < 0 || i > 0 && checkpoints.get(i) < checkpoints.get(i - 1)) {
                throw new IllegalArgumentException("checkpoints must be ascending trial counts >= 0, got " + checkpoints);
            }
        }
        RunOptions run = RunOptions.defaults().withTiming(1, 3, 20).withTimeoutSeconds(10);
        try (LocalMeasurer measurer = LocalMeasurer.create(run)) {
            run(List.of(new Job("task", task, 1, flops)), checkpoints, records, measurer, 16, atCheckpoint);
        }
    }

    /** {@link #tune(SearchTask, double, int, Path)} with a given measurer. */
    public static Tuned tune(SearchTask task, double flops, int trials, Path records, Measurer measurer) {
        return tune(List.of(new Job("task", task, 1, flops)), trials, records, measurer, 16).getFirst();
    }

    /**
     * Tunes several tasks sharing {@code trials} measured trials (the task scheduler gives each round
     * to the task where it is expected to lower the weighted total latency most), recording every
     * trial in {@code records}, and compiles each task's best program (the static mode's when none
     * of its trials succeeded).
     */
    public static List<Tuned> tune(List<Job> jobs, int trials, Path records) {
        RunOptions run = RunOptions.defaults().withTiming(1, 3, 20).withTimeoutSeconds(10);
        try (LocalMeasurer measurer = LocalMeasurer.create(run)) {
            return tune(jobs, trials, records, measurer, 16);
        }
    }

    /** {@link #tune(List, int, Path)} with a given measurer and round size. */
    public static List<Tuned> tune(List<Job> jobs, int trials, Path records, Measurer measurer, int perRound) {
        List<Tuned> out = new ArrayList<>();
        run(jobs, List.of(trials), records, measurer, perRound, out::add);
        return out;
    }

    /**
     * Tunes the jobs up to each checkpoint in turn (one task: its own search; several: the task
     * scheduler shares each increment) and hands every job's best program to {@code sink} after each.
     */
    private static void run(List<Job> jobs, List<Integer> checkpoints, Path records, Measurer measurer, int perRound,
                            java.util.function.Consumer<Tuned> sink) {
        int trials = checkpoints.getLast();
        try {
            if (records.toAbsolutePath().getParent() != null) {
                Files.createDirectories(records.toAbsolutePath().getParent());
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot create the directory of " + records + ": " + e.getMessage(), e);
        }
        List<AutoTuner> tuners = new ArrayList<>();
        List<XgbCostModel> models = new ArrayList<>();
        try {
            List<SearchTaskTuner> taskTuners = new ArrayList<>();
            int resumed = 0;
            for (int i = 0; i < jobs.size(); i++) {
                Job j = jobs.get(i);
                XgbCostModel model = new XgbCostModel(i);
                models.add(model);
                AutoTuner.Options o = AutoTuner.Options.defaults().withSeed(i).withFlops(j.flops()).withRecords(records)
                        .withProgress(jobs.size() == 1 ? TuningProgress.Mode.auto() : TuningProgress.Mode.QUIET, trials);
                AutoTuner t = new AutoTuner(j.task(), measurer, model, o);
                tuners.add(t);
                resumed += t.resume();
                // The static mode's program is measured first: tuning never ends below it.
                t.addStaticCandidate(schedule(j.task().dag(), j.task().target()));
                taskTuners.add(new SearchTaskTuner(j.name(), t, j.weight(), j.flops(), ""));
            }
            int done = resumed;
            for (int checkpoint : checkpoints) {
                int budget = Math.max(0, checkpoint - done);
                if (budget > 0) {
                    if (jobs.size() == 1) {
                        tuners.getFirst().tune(budget, perRound);
                    } else {
                        new TaskScheduler(taskTuners, TaskSchedulerOptions.defaults(budget).withTrialsPerRound(perRound)).run();
                    }
                }
                done = tuners.stream().mapToInt(t -> t.trials() + t.resumed()).sum();
                for (int i = 0; i < jobs.size(); i++) {
                    Job j = jobs.get(i);
                    AutoTuner t = tuners.get(i);
                    State best = t.bestState().orElseGet(() -> schedule(j.task().dag(), j.task().target()));
                    Module m = Build.build(best, "tuned");
                    m.setThreads(j.task().threads());
                    sink.accept(new Tuned(j.name(), best, m, t.bestSeconds(), t.trials() + t.resumed()));
                }
            }
            if (Files.exists(records)) {
                TuningCurve.write(records);
            }
        } finally {
            tuners.forEach(AutoTuner::close);
            models.forEach(XgbCostModel::close);
        }
    }
}
