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
     * Times the kernels in turn, repeat after repeat, after warming each up (see {@link #warmUp}): {@code [kernel][repeat]}
     * seconds, so that drifting machine load hits all of them alike.
     * Calls shorter than {@link #SAMPLE_SECONDS} are batched, back to back, so that each timed sample
     * lasts about that long: a sample of one or two short calls after another kernel's run also
     * times the waking of the thread pool, which made sub-millisecond parallel kernels look up to
     * twice as slow here as in the measuring worker (which times back-to-back runs of 20 ms).
     */
    public static double[][] interleaved(int repeats, Runnable... kernels) {
        double once = Double.POSITIVE_INFINITY;
        for (Runnable k : kernels) {
            once = Math.min(once, warmUp(k));
        }
        int batch = (int) Math.max(1, Math.min(100_000, SAMPLE_SECONDS / Math.max(once, 1e-9)));
        double[][] t = new double[kernels.length][repeats];
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < kernels.length; k++) {
                Runnable one = kernels[k];
                t[k][r] = time(() -> {
                    for (int i = 0; i < batch; i++) {
                        one.run();
                    }
                }, 0, 1)[0] / batch;
            }
        }
        return t;
    }

    /**
     * Calls {@code k} until it has run for {@link #WARM_UP_SECONDS} (at least twice, at most 200
     * times) and returns its last call's seconds: the first calls of a kernel start the thread pool
     * and fault its pages in, and on this shared machine a burst of earlier work (a compile, a
     * tuning run) can leave the cores slow for tens of milliseconds.
     */
    static double warmUp(Runnable k) {
        double spent = 0;
        double last = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 200 && (i < 2 || spent < WARM_UP_SECONDS); i++) {
            last = time(k, 0, 1)[0];
            spent += last;
        }
        return last;
    }

    /** How long one timed sample of a kernel lasts at least (short calls are batched). */
    static final double SAMPLE_SECONDS = 0.01;

    /** How long each kernel runs before it is timed. */
    static final double WARM_UP_SECONDS = 0.05;

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
