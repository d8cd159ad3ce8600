package dev.lathe.autoschedule.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A synthetic tuning task: candidates of 1 to 3 stores with random features in {@code [0, 1)};
 * the true throughput is the sum over stores of a nonlinear function of three of the columns,
 * times a little multiplicative noise.
 */
final class SyntheticTask {
    final int columns;
    final double noise;
    private final Random rng;

    SyntheticTask(long seed, int columns, double noise) {
        this.rng = new Random(seed);
        this.columns = columns;
        this.noise = noise;
    }

    static double store(float[] x) {
        return Math.exp(2 * x[0]) * (1 + 0.5 * Math.sin(6 * x[1])) + (x[2] > 0.5 ? 2 : 0);
    }

    static double truth(float[][] c) {
        double s = 0;
        for (float[] row : c) {
            s += store(row);
        }
        return s;
    }

    float[] row() {
        float[] r = new float[columns];
        for (int j = 0; j < columns; j++) {
            r[j] = rng.nextFloat();
        }
        return r;
    }

    float[][] candidate(int stores) {
        float[][] c = new float[stores][];
        for (int i = 0; i < stores; i++) {
            c[i] = row();
        }
        return c;
    }

    List<float[][]> candidates(int n) {
        List<float[][]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(candidate(1 + rng.nextInt(3)));
        }
        return out;
    }

    /** Measured throughputs: the truth times {@code 1 + noise * N(0, 1)}. */
    double[] measure(List<float[][]> cs) {
        double[] t = new double[cs.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = truth(cs.get(i)) * Math.max(0.01, 1 + noise * rng.nextGaussian());
        }
        return t;
    }

    static double[] truths(List<float[][]> cs) {
        return cs.stream().mapToDouble(SyntheticTask::truth).toArray();
    }

    static double spearman(double[] a, double[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0);
        double mb = Arrays.stream(rb).average().orElse(0);
        double num = 0, da = 0, db = 0;
        for (int i = 0; i < ra.length; i++) {
            num += (ra[i] - ma) * (rb[i] - mb);
            da += (ra[i] - ma) * (ra[i] - ma);
            db += (rb[i] - mb) * (rb[i] - mb);
        }
        return da == 0 || db == 0 ? 0 : num / Math.sqrt(da * db);
    }

    /** Ranks with ties averaged. */
    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[order[k]] = (i + j) / 2.0;
            }
            i = j + 1;
        }
        return r;
    }

    /** The share of the true top k found among the predicted top k. */
    static double topKRecall(double[] predicted, double[] truth, int k) {
        List<Integer> p = top(predicted, k);
        List<Integer> t = top(truth, k);
        return p.stream().filter(t::contains).count() / (double) k;
    }

    private static List<Integer> top(double[] v, int k) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            idx.add(i);
        }
        idx.sort(Comparator.comparingDouble((Integer i) -> -v[i]));
        return idx.subList(0, k);
    }
}
