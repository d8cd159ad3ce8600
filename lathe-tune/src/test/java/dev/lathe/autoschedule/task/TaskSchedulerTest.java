package dev.lathe.autoschedule.task;

import dev.lathe.autoschedule.task.TaskSchedulerOptions.Strategy;
import dev.lathe.autoschedule.task.TaskSchedulerResult.Choice;
import dev.lathe.autoschedule.task.TaskSchedulerResult.RoundLog;
import dev.lathe.autoschedule.task.TaskSchedulerResult.StopReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskSchedulerTest {
    private static final double MS = 1e-3;

    private static TaskSchedulerResult run(List<SyntheticTuner> tuners, TaskSchedulerOptions o) {
        return new TaskScheduler(tuners, o).run();
    }

    private static TaskSchedulerOptions noEps(int total) {
        return TaskSchedulerOptions.defaults(total).withEpsGreedy(0);
    }

    @Test
    void theBudgetIsSpentExactlyWithAShortLastRound() {
        List<SyntheticTuner> ts = List.of(new SyntheticTuner("a", 1, 5 * MS, 1 * MS, 300),
                new SyntheticTuner("b", 2, 3 * MS, 1 * MS, 200), new SyntheticTuner("c", 1, 1 * MS, 0.5 * MS, 100));
        TaskSchedulerResult r = run(ts, TaskSchedulerOptions.defaults(1000));
        assertEquals(1000, r.trialsUsed());
        assertEquals(1000, ts.stream().mapToInt(SyntheticTuner::trials).sum());
        assertEquals(1000, r.tasks().stream().mapToInt(TaskSchedulerResult.TaskOutcome::trials).sum());
        assertEquals(1000 % 64, r.rounds().getLast().trials());
        assertEquals(1000, r.rounds().getLast().totalTrials());
        for (int i = 0; i < 3; i++) {
            assertEquals(Choice.WARMUP, r.rounds().get(i).choice());
            assertEquals(i, r.rounds().get(i).task());
        }
        double expected = 0;
        for (SyntheticTuner t : ts) {
            expected += t.weight() * t.bestLatency();
            assertEquals(t.bestLatency(), r.task(t.name()).bestLatency());
            assertEquals(StopReason.BUDGET, r.task(t.name()).stopReason());
        }
        assertEquals(expected, r.weightedLatency(), 1e-15);
    }

    @Test
    void aBudgetSmallerThanTheWarmUpIsStillExact() {
        List<SyntheticTuner> ts = List.of(new SyntheticTuner("a", 1, 5 * MS, 1 * MS, 300),
                new SyntheticTuner("b", 1, 5 * MS, 1 * MS, 300), new SyntheticTuner("c", 1, 5 * MS, 1 * MS, 300));
        TaskSchedulerResult r = run(ts, TaskSchedulerOptions.defaults(100));
        assertEquals(100, r.trialsUsed());
        assertEquals(List.of(64, 36, 0), ts.stream().map(SyntheticTuner::trials).toList());
    }

    @Test
    void aHeavierTaskGetsMoreTrials() {
        List<SyntheticTuner> ts = List.of(new SyntheticTuner("w10", 10, 5 * MS, 1 * MS, 500),
                new SyntheticTuner("w1", 1, 5 * MS, 1 * MS, 500));
        TaskSchedulerResult r = run(ts, noEps(2048));
        int heavy = r.task("w10").trials();
        int light = r.task("w1").trials();
        assertEquals(2048, heavy + light);
        assertTrue(heavy >= 3 * light, "w10: " + heavy + " trials, w1: " + light);
    }

    @Test
    void aConvergedTaskStopsGettingBudget() {
        SyntheticTuner flat = new SyntheticTuner("flat", 10, 5 * MS, 1 * MS, 50).plateauAt(128);
        SyntheticTuner slow = new SyntheticTuner("slow", 1, 5 * MS, 1 * MS, 2000);
        TaskSchedulerResult r = run(List.of(flat, slow), noEps(3000).withEarlyStopping(192));
        TaskSchedulerResult.TaskOutcome f = r.task("flat");
        assertEquals(StopReason.EARLY_STOPPED, f.stopReason());
        assertEquals(128 + 192, f.trials(), "stops after 192 trials without improvement");
        assertEquals(3000, r.trialsUsed());

        SyntheticTuner flat2 = new SyntheticTuner("flat", 10, 5 * MS, 1 * MS, 50).plateauAt(128);
        SyntheticTuner slow2 = new SyntheticTuner("slow", 1, 5 * MS, 1 * MS, 2000);
        TaskSchedulerResult without = run(List.of(flat2, slow2), noEps(3000));
        assertTrue(without.task("flat").trials() > 2 * f.trials(),
                "without early stopping the converged heavy task keeps eating budget: "
                        + without.task("flat").trials());
        assertTrue(r.task("slow").bestLatency() < without.task("slow").bestLatency());
    }

    @Test
    void aFailingTaskIsFirstInLineButGivenUpAfterTheFailureLimit() {
        SyntheticTuner fails = new SyntheticTuner("fails", 1, 5 * MS, 1 * MS, 300).failUntil(Integer.MAX_VALUE);
        SyntheticTuner a = new SyntheticTuner("a", 5, 5 * MS, 1 * MS, 300);
        SyntheticTuner b = new SyntheticTuner("b", 5, 5 * MS, 1 * MS, 300);
        TaskSchedulerResult r = run(List.of(a, fails, b), noEps(2000).withFailureLimit(192));
        assertEquals(192, r.task("fails").trials());
        assertEquals(StopReason.NO_VALID_RESULT, r.task("fails").stopReason());
        assertEquals(Double.POSITIVE_INFINITY, r.weightedLatency());
        // warm-up, then the failing task twice more before anyone else
        List<String> order = r.rounds().stream().map(RoundLog::taskName).toList();
        assertEquals(List.of("a", "fails", "b", "fails", "fails"), order.subList(0, 5));
        assertEquals(Choice.NO_VALID_RESULT_YET, r.rounds().get(3).choice());
        assertEquals(2000, r.trialsUsed());
        assertEquals(2000 - 192, a.trials() + b.trials());
    }

    @Test
    void aTaskThatFailsAtFirstGetsRoundsUntilItIsValid() {
        SyntheticTuner late = new SyntheticTuner("late", 1, 5 * MS, 1 * MS, 300).failUntil(150);
        SyntheticTuner a = new SyntheticTuner("a", 100, 5 * MS, 1 * MS, 300);
        TaskSchedulerResult r = run(List.of(a, late), noEps(1000));
        List<String> order = r.rounds().stream().map(RoundLog::taskName).toList();
        assertEquals(List.of("a", "late", "late", "late"), order.subList(0, 4));
        assertTrue(r.task("late").bestLatency() < Double.POSITIVE_INFINITY);
        assertEquals(StopReason.BUDGET, r.task("late").stopReason());
        assertTrue(r.weightedLatency() < Double.POSITIVE_INFINITY);
        assertTrue(a.trials() > 600, "the heavy task gets the rest: " + a.trials());
    }

    @Test
    void anExhaustedTaskPassesItsBudgetOn() {
        SyntheticTuner tiny = new SyntheticTuner("tiny", 100, 5 * MS, 1 * MS, 20).space(100);
        SyntheticTuner a = new SyntheticTuner("a", 1, 5 * MS, 1 * MS, 300);
        TaskSchedulerResult r = run(List.of(tiny, a), noEps(1000));
        assertEquals(100, r.task("tiny").trials());
        assertEquals(StopReason.EXHAUSTED, r.task("tiny").stopReason());
        assertEquals(900, r.task("a").trials());
        assertEquals(1000, r.trialsUsed());

        SyntheticTuner t1 = new SyntheticTuner("t1", 1, 5 * MS, 1 * MS, 20).space(70);
        SyntheticTuner t2 = new SyntheticTuner("t2", 1, 5 * MS, 1 * MS, 20).space(30);
        TaskSchedulerResult all = run(List.of(t1, t2), noEps(1000));
        assertEquals(100, all.trialsUsed(), "the run ends when no task is live");
    }

    /** A heavy task that keeps improving slowly and light tasks that converge quickly. */
    static List<SyntheticTuner> network() {
        List<SyntheticTuner> ts = new ArrayList<>();
        ts.add(new SyntheticTuner("conv-heavy", 8, 10 * MS, 1 * MS, 600));
        for (int i = 0; i < 3; i++) {
            ts.add(new SyntheticTuner("light" + i, 1, 1 * MS, 0.5 * MS, 30));
        }
        return ts;
    }

    @Test
    void theGradientStrategyBeatsRoundRobinOnWeightedLatency() {
        TaskSchedulerResult grad = run(network(), noEps(1280));
        TaskSchedulerResult rr = run(network(), noEps(1280).withStrategy(Strategy.ROUND_ROBIN));
        assertEquals(1280, grad.trialsUsed());
        assertEquals(1280, rr.trialsUsed());
        assertEquals(List.of(320, 320, 320, 320), rr.tasks().stream().map(t -> t.trials()).toList());
        assertTrue(grad.task("conv-heavy").trials() > 320);
        assertTrue(grad.weightedLatency() < 0.9 * rr.weightedLatency(),
                "gradient " + grad.weightedLatency() + " vs round-robin " + rr.weightedLatency());
        System.out.printf("gradient: %.4f ms (heavy %d trials), round-robin: %.4f ms%n",
                grad.weightedLatency() * 1e3, grad.task("conv-heavy").trials(), rr.weightedLatency() * 1e3);
    }

    @Test
    void similarTasksFlopsRaiseALaggingTasksPriority() {
        // both tasks do 1 GFLOP; "fast" already reached 1 TFLOP/s, "lagging" is 10x slower
        TaskSchedulerResult grouped = run(List.of(
                new SyntheticTuner("fast", 20, 1 * MS, 0.5 * MS, 5000).flops(1e9, "conv"),
                new SyntheticTuner("lagging", 1, 10 * MS, 0.5 * MS, 5000).flops(1e9, "conv")), noEps(1280));
        TaskSchedulerResult ungrouped = run(List.of(
                new SyntheticTuner("fast", 20, 1 * MS, 0.5 * MS, 5000).flops(1e9, ""),
                new SyntheticTuner("lagging", 1, 10 * MS, 0.5 * MS, 5000).flops(1e9, "")), noEps(1280));
        assertTrue(grouped.task("lagging").trials() > ungrouped.task("lagging").trials(),
                grouped.task("lagging").trials() + " vs " + ungrouped.task("lagging").trials());
    }

    @Test
    void theSameSeedGivesTheSameRounds() {
        TaskSchedulerOptions o = TaskSchedulerOptions.defaults(3000).withEpsGreedy(0.5).withSeed(42);
        TaskSchedulerResult r1 = run(network(), o);
        TaskSchedulerResult r2 = run(network(), o);
        assertEquals(r1.rounds(), r2.rounds());
        assertEquals(r1.tasks(), r2.tasks());
        assertTrue(r1.rounds().stream().anyMatch(x -> x.choice() == Choice.EPSILON));
        TaskSchedulerResult r3 = run(network(), o.withSeed(7));
        assertNotEquals(r1.rounds(), r3.rounds());
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        SyntheticTuner a = new SyntheticTuner("a", 1, 5 * MS, 1 * MS, 300);
        SyntheticTuner a2 = new SyntheticTuner("a", 1, 5 * MS, 1 * MS, 300);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new TaskScheduler(List.of(a, a2), TaskSchedulerOptions.defaults(10))).getMessage()
                .contains("two tasks are named a"));
        assertThrows(IllegalArgumentException.class, () -> new TaskScheduler(List.of(), TaskSchedulerOptions.defaults(10)));
        SyntheticTuner zero = new SyntheticTuner("z", 0, 5 * MS, 1 * MS, 300);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new TaskScheduler(List.of(zero), TaskSchedulerOptions.defaults(10))).getMessage().contains("weight"));
        assertThrows(IllegalArgumentException.class, () -> TaskSchedulerOptions.defaults(10).withTrialsPerRound(0));
        assertThrows(IllegalArgumentException.class, () -> TaskSchedulerOptions.defaults(10).withGradient(1.5, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> TaskSchedulerOptions.defaults(-1));
        assertThrows(IllegalArgumentException.class, () -> new TaskTuner.Round(-1, 1));
        TaskTuner greedy = new TaskTuner() {
            @Override
            public String name() {
                return "greedy";
            }

            @Override
            public Round tuneRound(int trials) {
                return new Round(trials + 1, 1e-3);
            }

            @Override
            public double bestLatency() {
                return 1e-3;
            }
        };
        assertTrue(assertThrows(IllegalStateException.class,
                () -> new TaskScheduler(List.of(greedy), TaskSchedulerOptions.defaults(100)).run()).getMessage()
                .contains("greedy measured 65 trials"));
    }
}
