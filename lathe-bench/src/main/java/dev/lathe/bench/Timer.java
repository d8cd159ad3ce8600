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

    public static double median(double[] xs) {
        double[] c = xs.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }
}
