package dev.lathe.autoschedule;

import dev.lathe.autoschedule.EvolutionarySearchTest.SumModel;
import dev.lathe.autoschedule.feature.FeatureExtractor;
import dev.lathe.autoschedule.model.RandomCostModel;
import dev.lathe.autoschedule.model.XgbCostModel;
import dev.lathe.autoschedule.task.TaskScheduler;
import dev.lathe.autoschedule.task.TaskSchedulerOptions;
import dev.lathe.autoschedule.task.TaskSchedulerResult;
import dev.lathe.measure.SearchTask;
import dev.lathe.records.RecordReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoTunerTest {
    static final EvolutionarySearch.Options SMALL = EvolutionarySearch.Options.defaults().withPopulation(24).withGenerations(2);

    static AutoTuner.Options options(long seed) {
        return AutoTuner.Options.defaults().withEvolution(SMALL).withSeed(seed);
    }

    @Test
    void noCandidateIsMeasuredTwiceAcrossRoundsAndAfterResume(@TempDir Path dir) {
        Path records = dir.resolve("t.jsonl");
        SearchTask task = SearchTask.of(Dags.matmul(16, 16, 16));
        FakeMeasurer m = FakeMeasurer.rewardingInnerTile(4);
        try (AutoTuner t = new AutoTuner(task, m, new XgbCostModel(1), options(1).withRecords(records))) {
            assertEquals(24, t.tune(24, 8));
            assertTrue(Double.isFinite(t.bestSeconds()));
            assertTrue(t.bestState().isPresent());
        }
        assertEquals(24, new HashSet<>(m.keys).size());
        assertEquals(24, RecordReader.read(records).records().size());
        double best = m.costs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();

        FakeMeasurer m2 = FakeMeasurer.rewardingInnerTile(4);
        XgbCostModel model = new XgbCostModel(2);
        try (AutoTuner t = new AutoTuner(task, m2, model, options(1).withRecords(records))) {
            assertEquals(24, t.resume());
            assertEquals(24, model.trainedOn());
            assertEquals(best, t.bestSeconds());
            assertEquals(16, t.tune(16, 8));
            assertTrue(t.bestSeconds() <= best);
        }
        Set<String> all = new HashSet<>(m.keys);
        for (String k : m2.keys) {
            assertTrue(all.add(k), "measured again after resume: " + k);
        }
        assertEquals(40, RecordReader.read(records).records().size());
    }

    @Test
    void programsFarSlowerThanTheBestAreNotTimedInFull() {
        FakeMeasurer m = new FakeMeasurer(in -> 0.05);
        try (AutoTuner t = new AutoTuner(SearchTask.of(Dags.matmul(8, 8, 8)), m, new RandomCostModel(1), options(1))) {
            t.tune(8, 4);
        }
        // No bound before anything is measured; then ten times the best (0.5 s), not under the 0.1 s floor.
        assertEquals(List.of(0.0, 0.5), m.slowBounds);
        FakeMeasurer fast = new FakeMeasurer(in -> 1e-5);
        try (AutoTuner t = new AutoTuner(SearchTask.of(Dags.matmul(8, 8, 8)), fast, new RandomCostModel(1), options(1))) {
            t.tune(8, 4);
        }
        assertEquals(List.of(0.0, AutoTuner.SLOW_FLOOR_SECONDS), fast.slowBounds);
    }

    @Test
    void threeThinRoundsInARowEndTheTuningAndAFullOneResetsTheCount() {
        java.util.Iterator<Integer> found = List.of(16, 3, 2, 16, 1, 1, 1, 16, 16).iterator();
        List<Integer> asked = new ArrayList<>();
        int measured = AutoTuner.rounds(1000, 16, want -> {
            asked.add(want);
            return found.next();
        });
        assertEquals(16 + 3 + 2 + 16 + 1 + 1 + 1, measured);
        assertEquals(7, asked.size(), "stopped after the third thin round in a row, not after the first two");
        assertEquals(40, AutoTuner.rounds(40, 16, want -> want), "a full space runs to the total");
        java.util.Iterator<Integer> dry = List.of(16, 0, 16).iterator();
        assertEquals(16, AutoTuner.rounds(40, 16, want -> dry.next()), "a round with nothing new ends it");
    }

    @Test
    void aNearlyExhaustedSpaceEndsTheTuning() {
        FakeMeasurer m = new FakeMeasurer(in -> 1e-3);
        int measured;
        try (AutoTuner t = new AutoTuner(SearchTask.of(Dags.scalarCopy()), m, new RandomCostModel(1), options(1))) {
            measured = t.tune(5000, 16);
        }
        assertTrue(measured < 5000, "a scalar copy has few programs: " + measured);
        assertEquals(measured, m.keys.size());
        assertEquals(measured, new java.util.HashSet<>(m.keys).size(), "no program measured twice");
        int trailingThin = 0;
        for (int i = m.batchSizes.size() - 1; i >= 0 && 4 * m.batchSizes.get(i) < 16; i--) {
            trailingThin++;
        }
        assertTrue(trailingThin <= AutoTuner.THIN_ROUNDS, "batches " + m.batchSizes);
        for (int i = 0; i + AutoTuner.THIN_ROUNDS < m.batchSizes.size(); i++) {
            int j = i;
            assertFalse(java.util.stream.IntStream.range(i, i + AutoTuner.THIN_ROUNDS).allMatch(k -> 4 * m.batchSizes.get(k) < 16),
                    "tuning went on after " + AutoTuner.THIN_ROUNDS + " thin rounds at batch " + j + ": " + m.batchSizes);
        }
    }

    @Test
    void resumeIgnoresRecordsOfOtherTasks(@TempDir Path dir) {
        Path records = dir.resolve("t.jsonl");
        try (AutoTuner t = new AutoTuner(SearchTask.of(Dags.matmul(8, 8, 8)), FakeMeasurer.rewardingInnerTile(2),
                new RandomCostModel(1), options(1).withRecords(records))) {
            t.tune(4, 4);
        }
        try (AutoTuner t = new AutoTuner(SearchTask.of(Dags.matmul(16, 8, 8)), FakeMeasurer.rewardingInnerTile(2),
                new RandomCostModel(1), options(1))) {
            assertEquals(0, t.resume(records));
            assertFalse(t.bestState().isPresent());
        }
    }

    @Test
    void theCostModelRanksCandidatesBeforeAnyIsMeasured() {
        SearchTask task = SearchTask.of(Dags.matmul(32, 32, 32));
        SumModel model = new SumModel();
        FakeMeasurer m = FakeMeasurer.rewardingInnerTile(4);
        m.beforeMeasure = () -> assertTrue(model.predictions > 0, "measured before any prediction");
        AutoTuner.Options o = options(5).withEpsGreedy(0);
        try (AutoTuner t = new AutoTuner(task, m, model, o)) {
            assertEquals(8, t.tuneRound(8));
            assertEquals(0, t.lastRandomCount());
        }
        // the batch is in predicted order, and every program in it scores above the median random program
        double[] measured = model.predict(m.states.stream().map(st -> FeatureExtractor.extract(st).rows()).toList());
        for (int i = 1; i < measured.length; i++) {
            assertTrue(measured[i - 1] >= measured[i], "batch not in predicted order");
        }
        EvolutionarySearch es = new EvolutionarySearch(task, new SketchPolicy(task), SMALL);
        List<EvolutionarySearch.Candidate> random = es.randomCandidates(64, k -> false, new Random(99));
        double[] rs = model.predict(random.stream().map(EvolutionarySearch.Candidate::features).toList());
        java.util.Arrays.sort(rs);
        double median = rs[rs.length / 2];
        for (double s : measured) {
            assertTrue(s > median, "measured score " + s + " <= random median " + median);
        }
    }

    @Test
    void searchFindsARewardedTileSizeFasterThanRandomSampling() {
        SearchTask task = SearchTask.of(Dags.matmul(64, 64, 64));
        int budget = 96;
        FakeMeasurer guided = FakeMeasurer.rewardingInnerTile(16);
        FakeMeasurer random = FakeMeasurer.rewardingInnerTile(16);
        try (AutoTuner t = new AutoTuner(task, guided, new XgbCostModel(3), options(3))) {
            t.tune(budget, 16);
        }
        try (AutoTuner t = new AutoTuner(task, random, new RandomCostModel(3), options(3).withEpsGreedy(1))) {
            t.tune(budget, 16);
        }
        // "found": within 4x of the optimum (every split's innermost factor 16 gives 1e-4 s)
        long goodGuided = guided.costs.stream().filter(c -> c <= 4e-4).count();
        long goodRandom = random.costs.stream().filter(c -> c <= 4e-4).count();
        double lateGuided = guided.costs.subList(budget - 32, budget).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double lateRandom = random.costs.subList(budget - 32, budget).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(goodGuided >= 3 * Math.max(1, goodRandom), "good candidates: guided " + goodGuided + ", random " + goodRandom);
        assertTrue(lateGuided * 3 < lateRandom, "mean of the last 32 trials: guided " + lateGuided + ", random " + lateRandom);
        assertTrue(firstBelow(guided.costs, 4e-4) < budget);
    }

    private static int firstBelow(List<Double> costs, double v) {
        for (int i = 0; i < costs.size(); i++) {
            if (costs.get(i) <= v) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void taskSchedulerDrivesTwoSearchTasks() {
        SearchTask a = SearchTask.of(Dags.matmul(16, 16, 8));
        SearchTask b = SearchTask.of(Dags.elementwiseChain(16));
        FakeMeasurer ma = FakeMeasurer.rewardingInnerTile(4);
        FakeMeasurer mb = FakeMeasurer.rewardingInnerTile(8);
        try (AutoTuner ta = new AutoTuner(a, ma, new XgbCostModel(1), options(1));
             AutoTuner tb = new AutoTuner(b, mb, new XgbCostModel(2), options(2))) {
            List<SearchTaskTuner> tuners = List.of(new SearchTaskTuner("mm", ta, 2, 2 * 16 * 16 * 8, "mm"),
                    new SearchTaskTuner("chain", tb));
            TaskSchedulerResult r = new TaskScheduler(tuners,
                    TaskSchedulerOptions.defaults(32).withTrialsPerRound(8).withEpsGreedy(0)).run();
            assertEquals(32, r.trialsUsed());
            assertEquals(32, ma.keys.size() + mb.keys.size());
            assertTrue(ma.keys.size() >= 8 && mb.keys.size() >= 8);
            assertTrue(Double.isFinite(r.task("mm").bestLatency()));
            assertTrue(Double.isFinite(r.task("chain").bestLatency()));
            assertEquals(ta.bestSeconds(), r.task("mm").bestLatency());
        }
    }
}
