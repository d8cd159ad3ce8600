package dev.lathe.measure;

/**
 * How candidates are timed, after TVM's time evaluator: each of {@code repeat} repeats runs the
 * kernel {@code number} times and records the mean seconds of one run; when a repeat takes less
 * than {@code minRepeatMs}, {@code number} grows (at least ×1.618, or enough to reach it) and the
 * repeat is timed again. {@code flushCache} overwrites a buffer twice the size of the last-level
 * cache before every repeat, so each repeat starts cold. {@code timeoutSeconds} bounds one
 * candidate's whole run in the worker (loading, a first checked run, the repeats). With
 * {@code checkCorrectness} the first run's outputs are compared with the {@code reference}'s.
 */
public record RunOptions(int number, int repeat, double minRepeatMs, boolean flushCache, double timeoutSeconds,
                         boolean checkCorrectness, Reference reference) {
    /** Where the expected outputs of the correctness check come from. */
    public enum Reference {
        /** The reference evaluator interprets the DAG (exact semantics; slow, for small shapes). */
        EVALUATOR,
        /** The DAG's default schedule, compiled and run once in the worker on the same inputs. */
        DEFAULT_SCHEDULE
    }

    public RunOptions {
        if (number < 1 || repeat < 1) {
            throw new IllegalArgumentException("number and repeat must be >= 1, got " + number + " and " + repeat);
        }
        if (minRepeatMs < 0 || !(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("minRepeatMs must be >= 0 and timeoutSeconds > 0, got " + minRepeatMs
                    + " and " + timeoutSeconds);
        }
        if (reference == null) {
            reference = Reference.DEFAULT_SCHEDULE;
        }
    }

    public RunOptions(int number, int repeat, double minRepeatMs, boolean flushCache, double timeoutSeconds,
                      boolean checkCorrectness) {
        this(number, repeat, minRepeatMs, flushCache, timeoutSeconds, checkCorrectness, Reference.DEFAULT_SCHEDULE);
    }

    /** 3 repeats of at least 100 ms each, warm cache, 10 s per candidate, no correctness check. */
    public static RunOptions defaults() {
        return new RunOptions(1, 3, 100, false, 10, false, Reference.DEFAULT_SCHEDULE);
    }

    public RunOptions withTimeoutSeconds(double seconds) {
        return new RunOptions(number, repeat, minRepeatMs, flushCache, seconds, checkCorrectness, reference);
    }

    public RunOptions withCorrectness(Reference reference) {
        return new RunOptions(number, repeat, minRepeatMs, flushCache, timeoutSeconds, true, reference);
    }

    public RunOptions withTiming(int number, int repeat, double minRepeatMs) {
        return new RunOptions(number, repeat, minRepeatMs, flushCache, timeoutSeconds, checkCorrectness, reference);
    }

    public RunOptions withFlushCache(boolean flush) {
        return new RunOptions(number, repeat, minRepeatMs, flush, timeoutSeconds, checkCorrectness, reference);
    }
}
