package dev.lathe.autoschedule.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostModelTest {
    private static final int COLUMNS = 150;

    @Test
    void xgbRanksFreshCandidatesOfASyntheticTask() {
        SyntheticTask task = new SyntheticTask(1, COLUMNS, 0.05);
        List<float[][]> train = task.candidates(200);
        double[] measured = task.measure(train);
        List<float[][]> test = task.candidates(200);
        double[] truth = SyntheticTask.truths(test);
        try (XgbCostModel model = new XgbCostModel(7)) {
            model.update(train, measured);
            assertEquals(200, model.trainedOn());
            double[] predicted = model.predict(test);
            double rho = SyntheticTask.spearman(predicted, truth);
            double recall = SyntheticTask.topKRecall(predicted, truth, 10);
            System.out.printf("xgb synthetic: spearman %.3f, top-10 recall %.2f%n", rho, recall);
            assertTrue(rho > 0.8, "spearman " + rho);
            assertTrue(recall >= 0.3, "top-10 recall " + recall + " (random: 0.05)");
        }
        double[] random = new RandomCostModel(7).predict(test);
        double rhoRandom = SyntheticTask.spearman(random, truth);
        System.out.printf("random synthetic: spearman %.3f, top-10 recall %.2f%n", rhoRandom,
                SyntheticTask.topKRecall(random, truth, 10));
        assertTrue(Math.abs(rhoRandom) < 0.3, "random spearman " + rhoRandom);
    }

    @Test
    void trainingInBatchesMatchesTheOnlineSetting() {
        SyntheticTask task = new SyntheticTask(2, COLUMNS, 0.05);
        List<float[][]> test = task.candidates(200);
        double[] truth = SyntheticTask.truths(test);
        try (XgbCostModel model = new XgbCostModel(3)) {
            double first = 0;
            for (int batch = 0; batch < 4; batch++) {
                List<float[][]> b = task.candidates(50);
                model.update(b, task.measure(b));
                if (batch == 0) {
                    first = SyntheticTask.spearman(model.predict(test), truth);
                }
            }
            assertEquals(200, model.trainedOn());
            double rho = SyntheticTask.spearman(model.predict(test), truth);
            System.out.printf("xgb online 4x50: spearman after 50 %.3f, after 200 %.3f%n", first, rho);
            assertTrue(rho > 0.8, "spearman " + rho);
        }
    }

    @Test
    void aCandidatePredictsTheSumOfItsStores() {
        SyntheticTask task = new SyntheticTask(4, 10, 0.0);
        List<float[][]> train = task.candidates(300);
        try (XgbCostModel model = new XgbCostModel(5)) {
            model.update(train, task.measure(train));
            double best = Arrays.stream(task.measure(train)).max().orElseThrow();
            double err = 0;
            int n = 0;
            for (int i = 0; i < 50; i++) {
                float[] a = task.row();
                float[] b = task.row();
                double[] p = model.predict(List.of(new float[][] {a}, new float[][] {b}, new float[][] {a, b}));
                assertEquals(p[0] + p[1], p[2], 1e-5 * (1 + Math.abs(p[2])), "pack-sum is exact");
                // and the learned per-store scale matches the truth: the pair is about the sum
                double want = (SyntheticTask.store(a) + SyntheticTask.store(b)) / best;
                err += Math.abs(p[2] - want) / want;
                n++;
            }
            System.out.printf("pack-sum: mean relative error of two-store candidates %.3f%n", err / n);
            assertTrue(err / n < 0.2, "mean relative error " + err / n);
        }
    }

    @Test
    void predictsZerosBeforeTraining() {
        SyntheticTask task = new SyntheticTask(5, 8, 0);
        try (XgbCostModel model = new XgbCostModel(1)) {
            assertEquals(0, model.trainedOn());
            assertFalse(model.trained());
            assertArrayEquals(new double[3], model.predict(task.candidates(3)));
            assertArrayEquals(new double[0], model.predict(List.of()));
        }
    }

    @Test
    void allFailedBatchesDoNotTrainAndDoNotDiscardAModel() {
        SyntheticTask task = new SyntheticTask(6, 8, 0);
        try (XgbCostModel model = new XgbCostModel(1)) {
            List<float[][]> failed = task.candidates(20);
            model.update(failed, new double[20]);
            assertEquals(20, model.trainedOn());
            assertFalse(model.trained());
            assertArrayEquals(new double[20], model.predict(failed));

            List<float[][]> ok = task.candidates(40);
            model.update(ok, task.measure(ok));
            assertTrue(model.trained());
            double[] before = model.predict(ok);

            List<float[][]> failedAgain = task.candidates(10);
            double[] bad = new double[10];
            Arrays.fill(bad, Double.NaN);
            bad[0] = -1;
            bad[1] = Double.POSITIVE_INFINITY;
            model.update(failedAgain, bad);
            assertEquals(70, model.trainedOn());
            assertTrue(model.trained());
            double[] after = model.predict(ok);
            assertTrue(Arrays.stream(after).allMatch(Double::isFinite));
            // failures (label 0) are learned: the failed candidates score below the successful mean
            double failedMean = Arrays.stream(model.predict(failedAgain)).average().orElseThrow();
            double okMean = Arrays.stream(after).average().orElseThrow();
            assertTrue(failedMean < okMean, failedMean + " vs " + okMean);
            assertEquals(before.length, after.length);
        }
    }

    @Test
    void candidatesWithoutStoresScoreZero() {
        SyntheticTask task = new SyntheticTask(7, 8, 0);
        try (XgbCostModel model = new XgbCostModel(1)) {
            List<float[][]> train = new ArrayList<>(task.candidates(30));
            train.add(new float[0][]);
            train.add(null);
            double[] t = task.measure(train.subList(0, 30));
            double[] all = Arrays.copyOf(t, 32);
            all[30] = 5;
            all[31] = 5;
            model.update(train, all);
            assertEquals(32, model.trainedOn());
            assertTrue(model.trained());
            double[] p = model.predict(Arrays.asList(new float[0][], null, task.candidate(1)));
            assertEquals(0.0, p[0]);
            assertEquals(0.0, p[1]);
            assertNotEquals(0.0, p[2]);
        }
        try (XgbCostModel model = new XgbCostModel(1)) {
            model.update(List.of(new float[0][], new float[0][]), new double[] {1, 2});
            assertFalse(model.trained(), "no rows: nothing to train on");
        }
    }

    @Test
    void nanAndInfiniteFeaturesAreSanitized() {
        SyntheticTask task = new SyntheticTask(8, 8, 0);
        List<float[][]> train = task.candidates(40);
        train.get(0)[0][3] = Float.NaN;
        train.get(1)[0][4] = Float.POSITIVE_INFINITY;
        train.get(2)[0][5] = Float.NEGATIVE_INFINITY;
        float keep = train.get(0)[0][3];
        try (XgbCostModel model = new XgbCostModel(1)) {
            model.update(train, task.measure(train));
            assertTrue(Float.isNaN(keep), "the caller's arrays are not modified");
            float[][] weird = task.candidate(2);
            weird[0][0] = Float.NaN;
            weird[0][1] = Float.POSITIVE_INFINITY;
            weird[1][2] = Float.NEGATIVE_INFINITY;
            double[] p = model.predict(List.of(weird, task.candidate(1)));
            assertTrue(Arrays.stream(p).allMatch(Double::isFinite), Arrays.toString(p));
            float[][] zeroed = {weird[0].clone(), weird[1].clone()};
            zeroed[0][0] = 0;
            zeroed[0][1] = Float.MAX_VALUE;
            zeroed[1][2] = -Float.MAX_VALUE;
            assertEquals(p[0], model.predict(List.<float[][]>of(zeroed))[0], 0.0);
        }
    }

    @Test
    void rowsOfOtherWidthsArePaddedOrCut() {
        SyntheticTask task = new SyntheticTask(9, 8, 0);
        try (XgbCostModel model = new XgbCostModel(1)) {
            List<float[][]> train = task.candidates(30);
            model.update(train, task.measure(train));
            float[] row = task.row();
            float[] longer = Arrays.copyOf(row, 12);
            longer[10] = 42;
            float[] shorter = Arrays.copyOf(row, 3);
            float[] padded = Arrays.copyOf(shorter, 8);
            double[] p = model.predict(List.of(new float[][] {row}, new float[][] {longer},
                    new float[][] {shorter}, new float[][] {padded}));
            assertEquals(p[0], p[1], 0.0);
            assertEquals(p[2], p[3], 0.0);
        }
    }

    @Test
    void aFixedSeedIsDeterministic() {
        SyntheticTask a = new SyntheticTask(10, 20, 0.1);
        SyntheticTask b = new SyntheticTask(10, 20, 0.1);
        List<float[][]> trainA = a.candidates(80);
        double[] measuredA = a.measure(trainA);
        List<float[][]> trainB = b.candidates(80);
        double[] measuredB = b.measure(trainB);
        List<float[][]> test = a.candidates(30);
        try (XgbCostModel ma = new XgbCostModel(11); XgbCostModel mb = new XgbCostModel(11)) {
            ma.update(trainA, measuredA);
            mb.update(trainB, measuredB);
            assertArrayEquals(ma.predict(test), mb.predict(test), 0.0);
        }
        assertArrayEquals(new RandomCostModel(3).predict(test), new RandomCostModel(3).predict(test), 0.0);
        assertFalse(Arrays.equals(new RandomCostModel(3).predict(test), new RandomCostModel(4).predict(test)));
    }

    @Test
    void multiTaskLabelsAreNormalizedPerTask() {
        SyntheticTask task = new SyntheticTask(12, 8, 0);
        List<float[][]> cs = task.candidates(60);
        double[] t = task.measure(cs);
        double[] scaled = t.clone();
        int[] ids = new int[60];
        for (int i = 30; i < 60; i++) {
            scaled[i] *= 1e6; // the second task's throughputs are on another scale
            ids[i] = 1;
        }
        try (XgbCostModel one = new XgbCostModel(1); XgbCostModel two = new XgbCostModel(1)) {
            one.update(cs, scaled, ids);
            two.update(cs, t, ids);
            assertArrayEquals(two.predict(cs), one.predict(cs), 1e-6, "scale of a task does not matter");
        }
    }

    @Test
    void mismatchedArgumentsAreRejected() {
        try (XgbCostModel model = new XgbCostModel(1)) {
            assertThrows(IllegalArgumentException.class, () -> model.update(List.<float[][]>of(new float[0][]), new double[2]));
            assertThrows(IllegalArgumentException.class,
                    () -> model.update(List.<float[][]>of(new float[0][]), new double[1], new int[2]));
        }
        assertThrows(IllegalArgumentException.class, () -> new RandomCostModel(1).update(List.of(), new double[1]));
        assertThrows(IllegalArgumentException.class,
                () -> new XgbCostModel.Options(0, 8, 0.2, 0, 0.1, 1));
    }
}
