package dev.lathe.bench;

import java.util.Arrays;

/** Wall-clock timing of repeated runs; benchmarks report medians because this machine is shared and noisy. */
public final class Timer {
    private Timer() {
    }

    /** Runs {@code warmup} untimed calls, then {@code repeats} timed ones, and returns every time in seconds. */
    public static double[] time(Runnable r, int warmup, int repeats) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] s = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            r.run();
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        return s;
    }

    /**
     * Times {@code a} and {@code b} alternately, after two warm-up calls of each: {@code [times of a, times of b]}.
     * Calls shorter than a millisecond are batched so each timed sample lasts about that long.
     */
    public static double[][] interleaved(int repeats, Runnable a, Runnable b) {
        double once = Math.min(time(a, 2, 1)[0], time(b, 2, 1)[0]);
        int batch = (int) Math.max(1, Math.min(1000, 1e-3 / Math.max(once, 1e-9)));
        Runnable ab = () -> { for (int i = 0; i < batch; i++) { a.run(); } };
        Runnable bb = () -> { for (int i = 0; i < batch; i++) { b.run(); } };
        double[][] t = new double[2][repeats];
        for (int r = 0; r < repeats; r++) {
            t[0][r] = time(ab, 0, 1)[0] / batch;
            t[1][r] = time(bb, 0, 1)[0] / batch;
        }
        return t;
    }

    /** The largest absolute difference between two arrays of the same size. */
    public static double maxDiff(dev.lathe.runtime.NDArray x, dev.lathe.runtime.NDArray y) {
        double worst = 0;
        for (long i = 0; i < x.size(); i++) {
            worst = Math.max(worst, Math.abs(x.getDouble(i) - y.getDouble(i)));
        }
        return worst;
    }

    public static double median(double[] xs) {
        double[] c = xs.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }
}
