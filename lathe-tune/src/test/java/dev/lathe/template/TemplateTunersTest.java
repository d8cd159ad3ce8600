package dev.lathe.template;

import dev.lathe.measure.ErrorKind;
import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.SearchTask;
import dev.lathe.schedule.State;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateTunersTest {
    private static final SearchTask SMALL_TASK = TinyTemplates.matmulTask(64, 64, 16);
    private static final SearchTask LARGE_TASK = TinyTemplates.matmulTask(256, 256, 64);

    private record Run(TuneResult result, TinyTemplates.FakeMeasurer measurer, List<MeasureInput> seen) {
        double best() {
            return result.best().orElseThrow().result().meanCost();
        }
    }

    private static Run run(Tuner tuner, SearchTask task, Template t, ToDoubleFunction<Config> cost, TuneOptions o) {
        TinyTemplates.FakeMeasurer m = new TinyTemplates.FakeMeasurer(t.space(task.dag()), cost);
        List<MeasureInput> seen = new ArrayList<>();
        TuneResult r = tuner.tune(task, t, m, o, List.of((in, res) -> seen.addAll(in)));
        assertEquals(r.trials().size(), seen.size(), "callbacks see every trial");
        assertEquals(r.trials().size(), new HashSet<>(r.trials().stream().map(Trial::config).toList()).size(),
                "no config measured twice");
        return new Run(r, m, seen);
    }

    @Test
    void gridFindsTheOptimumWhenItCoversTheSpace() {
        long size = TinyTemplates.SMALL.space(SMALL_TASK.dag()).size();
        Run r = run(new GridTuner(), SMALL_TASK, TinyTemplates.SMALL, TinyTemplates::smallCost,
                new TuneOptions((int) size + 50, 32, 0, 0));
        assertEquals(size, r.result().trials().size(), "stops when the space is exhausted");
        assertEquals(1.0, r.best(), 1e-12);
    }

    @Test
    void randomExhaustsASmallSpaceWithoutRepeats() {
        long size = TinyTemplates.SMALL.space(SMALL_TASK.dag()).size();
        Run r = run(new RandomTuner(), SMALL_TASK, TinyTemplates.SMALL, TinyTemplates::smallCost,
                new TuneOptions((int) size, 64, 0, 3));
        assertEquals(size, r.result().trials().size());
        assertEquals(1.0, r.best(), 1e-12);
    }

    @Test
    void randomGetsNearTheOptimum() {
        Run r = run(new RandomTuner(), SMALL_TASK, TinyTemplates.SMALL, TinyTemplates::smallCost,
                new TuneOptions(200, 16, 0, 1));
        assertTrue(r.best() <= 2.0, "best " + r.best());
    }

    @Test
    void geneticFindsTheOptimum() {
        Run r = run(new GaTuner(32, 3, 0.1), SMALL_TASK, TinyTemplates.SMALL, TinyTemplates::smallCost,
                new TuneOptions(300, 16, 0, 7));
        assertEquals(1.0, r.best(), 1e-12, r.result().best().orElseThrow().config());
    }

    @Test
    void modelFindsTheOptimum() {
        Run r = run(new ModelTuner(), SMALL_TASK, TinyTemplates.SMALL, TinyTemplates::smallCost,
                new TuneOptions(160, 16, 0, 5));
        assertEquals(1.0, r.best(), 1e-12, r.result().best().orElseThrow().config());
    }

    @Test
    void modelAndGeneticBeatRandomOnALargeSpace() {
        long size = TinyTemplates.LARGE.space(LARGE_TASK.dag()).size();
        assertTrue(size > 50_000, "size " + size);
        double random = 0;
        double model = 0;
        double genetic = 0;
        for (long seed = 0; seed < 3; seed++) {
            TuneOptions o = new TuneOptions(160, 16, 0, seed);
            random += run(new RandomTuner(), LARGE_TASK, TinyTemplates.LARGE, TinyTemplates::largeCost, o).best();
            model += run(new ModelTuner(), LARGE_TASK, TinyTemplates.LARGE, TinyTemplates::largeCost, o).best();
            genetic += run(new GaTuner(32, 3, 0.1), LARGE_TASK, TinyTemplates.LARGE, TinyTemplates::largeCost, o).best();
        }
        System.out.printf("mean best of 160 trials: random %.3f, genetic %.3f, model %.3f (optimum 1.0)%n",
                random / 3, genetic / 3, model / 3);
        assertTrue(model < random, "model " + model / 3 + " vs random " + random / 3);
        assertTrue(genetic < random, "genetic " + genetic / 3 + " vs random " + random / 3);
    }

    @Test
    void earlyStoppingStopsAfterNoImprovement() {
        Run r = run(new GridTuner(), SMALL_TASK, TinyTemplates.SMALL, c -> 1.0, new TuneOptions(500, 8, 20, 0));
        assertEquals(24, r.result().trials().size(), "first trial best, then 20 more (rounded up to a batch)");
    }

    @Test
    void invalidConfigsAreResultsNotCrashes() {
        Template t = (cfg, dag) -> {
            SplitValue ti = cfg.defineSplit("tile_i", 64, 2);
            boolean bad = cfg.defineKnob("bad", List.of(false, true));
            State s = ti.apply(State.initial(dag), "C", "i");
            return bad ? s.vectorize("C", "no_such_loop") : s;
        };
        TinyTemplates.FakeMeasurer m = new TinyTemplates.FakeMeasurer(t.space(SMALL_TASK.dag()), c -> 1.0);
        TuneResult r = new GridTuner().tune(SMALL_TASK, t, m, new TuneOptions(100, 4, 0, 0));
        assertEquals(14, r.trials().size());
        long invalid = r.trials().stream().filter(x -> x.result().error() == ErrorKind.INVALID_SCHEDULE).count();
        assertEquals(7, invalid);
        assertEquals(7, m.seen.size(), "invalid configs are never handed to the measurer");
        assertTrue(r.trials().stream().filter(x -> !x.result().ok()).allMatch(x -> x.result().message().contains("no_such_loop")));
        assertTrue(r.bestConfig().orElseThrow().value("bad").asText().equals("false"));
    }

    @Test
    void pickBestSkipsFailures() {
        MeasureResult fast = new MeasureResult(List.of(1.0, 2.0), ErrorKind.NONE, "", 0, 0, 0);
        MeasureResult slow = new MeasureResult(List.of(3.0), ErrorKind.NONE, "", 0, 0, 0);
        MeasureResult failed = MeasureResult.failed(ErrorKind.COMPILE_ERROR, "x", 0, 0);
        List<Trial> trials = List.of(new Trial("a", slow), new Trial("b", failed), new Trial("c", fast));
        assertEquals("c", Trial.pickBest(trials).orElseThrow().config());
        assertTrue(Trial.pickBest(List.of(new Trial("b", failed))).isEmpty());
        List<MeasureInput> inputs = List.of(new MeasureInput(SMALL_TASK, State.initial(SMALL_TASK.dag()), "x"),
                new MeasureInput(SMALL_TASK, State.initial(SMALL_TASK.dag()), "y"));
        assertEquals("y", Trial.pickBest(inputs, List.of(slow, fast)).orElseThrow().config());
        List<MeasureInput> mixed = List.of(new MeasureInput(SMALL_TASK, State.initial(SMALL_TASK.dag()), "x"),
                new MeasureInput(LARGE_TASK, State.initial(LARGE_TASK.dag()), "y"),
                new MeasureInput(SMALL_TASK, State.initial(SMALL_TASK.dag())));
        assertEquals("x", Trial.pickBest(mixed, List.of(slow, fast, fast), SMALL_TASK.workloadKey()).orElseThrow().config());
    }

    @Test
    void sameSeedSameProposals() {
        Supplier<List<String>> go = () -> run(new GaTuner(16, 2, 0.2), SMALL_TASK, TinyTemplates.SMALL,
                TinyTemplates::smallCost, new TuneOptions(64, 8, 0, 11)).result().trials().stream().map(Trial::config).toList();
        assertEquals(go.get(), go.get());
    }
}
