package dev.lathe.records;

import dev.lathe.build.Build;
import dev.lathe.measure.Target;
import dev.lathe.runtime.Module;
import dev.lathe.schedule.ScheduleException;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Compiles DAGs with their best recorded schedule for a target. A DAG without a successful
 * record for that target (or whose recorded steps no longer replay) gets the fallback schedule —
 * by default the root schedule, {@link State#initial} — and a warning is logged once per workload.
 */
public final class ApplyHistoryBest {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyHistoryBest.class);

    private final BestRecords best;
    private final Target target;
    private final Function<ComputeDag, State> fallback;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public ApplyHistoryBest(BestRecords best, Target target, Function<ComputeDag, State> fallback) {
        this.best = Objects.requireNonNull(best);
        this.target = Objects.requireNonNull(target);
        this.fallback = Objects.requireNonNull(fallback);
    }

    /** Falls back to the root schedule. */
    public ApplyHistoryBest(BestRecords best, Target target) {
        this(best, target, State::initial);
    }

    /** The best records of a records file, for the host target. */
    public static ApplyHistoryBest load(Path records) {
        return new ApplyHistoryBest(BestRecords.load(records), Target.host());
    }

    public static ApplyHistoryBest load(Path records, Target target) {
        return new ApplyHistoryBest(BestRecords.load(records), target);
    }

    /** The same records with another fallback. */
    public ApplyHistoryBest withFallback(Function<ComputeDag, State> fallback) {
        return new ApplyHistoryBest(best, target, fallback);
    }

    /** The best record that replays onto {@code dag}, if any. */
    public Optional<MeasureRecord> record(ComputeDag dag) {
        for (MeasureRecord r : best.ranked(dag.workloadKey(), target)) {
            try {
                r.toState(dag);
                return Optional.of(r);
            } catch (ScheduleException e) {
                LOG.warn("a recorded schedule of workload {} no longer replays ({}); trying the next best",
                        dag.workloadKey(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The best recorded schedule of {@code dag}, or the fallback schedule (with a warning). */
    public State schedule(ComputeDag dag) {
        Optional<MeasureRecord> r = record(dag);
        if (r.isPresent()) {
            return r.get().toState(dag);
        }
        if (warned.add(dag.workloadKey())) {
            LOG.warn("no recorded schedule for workload {} on target {}: using the fallback schedule",
                    dag.workloadKey(), target.name());
        }
        return fallback.apply(dag);
    }

    /** Compiles {@code dag} with {@link #schedule}. */
    public Module build(ComputeDag dag, String name) {
        return Build.build(schedule(dag), name);
    }

    public Target target() {
        return target;
    }
}
