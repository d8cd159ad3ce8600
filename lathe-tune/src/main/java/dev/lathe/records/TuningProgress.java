package dev.lathe.records;

import dev.lathe.measure.MeasureResult;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Console;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Progress of a tuning run: trials done of the total, the best GFLOP/s (or latency, when the
 * workload's FLOP count is not given) so far, elapsed time and ETA. On a terminal it is a
 * progress bar on stderr; otherwise a log line every 5% of the trials (at most one per 10
 * seconds, plus the last), or nothing in {@link Mode#QUIET}. Thread-safe.
 */
public final class TuningProgress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TuningProgress.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    /** How progress is shown. */
    public enum Mode {
        /** A progress bar (stderr); for terminals. */
        BAR,
        /** Log lines (slf4j, info); for files and CI. */
        LOG,
        /** Nothing. */
        QUIET;

        /** {@link #BAR} when stderr goes to a terminal, else {@link #LOG}. */
        public static Mode auto() {
            Console c = System.console();
            return c != null && c.isTerminal() ? BAR : LOG;
        }
    }

    private final String task;
    private final int total;
    private final double flops;
    private final Mode mode;
    private final long startNanos = System.nanoTime();
    private final ProgressBar bar;
    private int done;
    private int failed;
    private double bestSeconds = Double.POSITIVE_INFINITY;
    private long lastLogNanos = startNanos;
    private int lastLogDone;

    private TuningProgress(String task, int total, double flops, Mode mode) {
        if (total < 0) {
            throw new IllegalArgumentException("total trials must be >= 0, got " + total);
        }
        this.task = task;
        this.total = total;
        this.flops = flops;
        this.mode = mode;
        this.bar = mode == Mode.BAR ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build() : null;
    }

    /**
     * Starts showing progress in the mode {@link Mode#auto()} picks.
     *
     * @param flops floating-point operations of one run of the workload, for GFLOP/s; 0 if unknown
     */
    public static TuningProgress start(String task, int totalTrials, double flops) {
        return start(task, totalTrials, flops, Mode.auto());
    }

    public static TuningProgress start(String task, int totalTrials, double flops, Mode mode) {
        return new TuningProgress(task, totalTrials, flops, mode);
    }

    /** Counts one measured trial. */
    public synchronized void update(MeasureResult r) {
        done++;
        if (r.ok()) {
            bestSeconds = Math.min(bestSeconds, r.meanCost());
        } else {
            failed++;
        }
        switch (mode) {
            case BAR -> {
                bar.stepTo(done);
                bar.setExtraMessage(bestText());
            }
            case LOG -> {
                long now = System.nanoTime();
                int every = Math.max(1, total / 20);
                if (done == total || (done - lastLogDone >= every && now - lastLogNanos >= LOG_INTERVAL_NANOS)
                        || lastLogDone == 0 && done == 1) {
                    LOG.info(statusLine());
                    lastLogNanos = now;
                    lastLogDone = done;
                }
            }
            case QUIET -> { }
        }
    }

    public void update(MeasureRecord r) {
        update(r.result());
    }

    /** {@code "task: 40/200 trials (2 failed), best 85.1 GFLOP/s, elapsed 0:01:12, ETA 0:04:48"}. */
    public synchronized String statusLine() {
        return String.format(Locale.ROOT, "%s: %d/%d trials (%d failed), %s, elapsed %s, ETA %s", task, done, total,
                failed, bestText(), format(elapsed()), eta().map(TuningProgress::format).orElse("?"));
    }

    private String bestText() {
        if (!Double.isFinite(bestSeconds)) {
            return "no valid trial yet";
        }
        return flops > 0 ? String.format(Locale.ROOT, "best %.1f GFLOP/s", bestGflops())
                : String.format(Locale.ROOT, "best %.4f ms", bestSeconds * 1e3);
    }

    public synchronized int done() {
        return done;
    }

    public synchronized int failed() {
        return failed;
    }

    /** Best mean seconds so far (+∞ before the first valid trial). */
    public synchronized double bestSeconds() {
        return bestSeconds;
    }

    /** Best GFLOP/s so far (0 before the first valid trial or without a FLOP count). */
    public synchronized double bestGflops() {
        return flops > 0 && Double.isFinite(bestSeconds) && bestSeconds > 0 ? flops / bestSeconds / 1e9 : 0;
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Time left at the pace so far; empty before the first trial. */
    public synchronized Optional<Duration> eta() {
        if (done == 0) {
            return Optional.empty();
        }
        long per = elapsed().toNanos() / done;
        return Optional.of(Duration.ofNanos(per * Math.max(0, total - done)));
    }

    public Mode mode() {
        return mode;
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        } else if (mode == Mode.LOG && lastLogDone != done) {
            LOG.info(statusLine());
        }
    }
}
