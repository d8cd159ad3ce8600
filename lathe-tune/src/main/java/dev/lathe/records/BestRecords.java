package dev.lathe.records;

import dev.lathe.measure.Target;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The best successful records per (workload key, target): lowest mean cost first, the earlier
 * record on a tie. Failed records are ignored. Thread-safe. A few runners-up are kept so that a
 * best record whose steps no longer replay (e.g. a changed primitive) can give way to the next.
 */
public final class BestRecords {
    /** Records kept per (workload, target). */
    public static final int KEEP = 8;
    static final Comparator<MeasureRecord> ORDER = Comparator.comparingDouble(MeasureRecord::meanCost)
            .thenComparingLong(MeasureRecord::timestampMillis);

    private record Key(String workloadKey, Target target) {
    }

    private final Map<Key, List<MeasureRecord>> best = new ConcurrentHashMap<>();

    public BestRecords() {
    }

    public static BestRecords of(Collection<MeasureRecord> records) {
        BestRecords b = new BestRecords();
        records.forEach(b::add);
        return b;
    }

    /** The best records of a records file (its skipped lines are logged by the reader). */
    public static BestRecords load(Path records) {
        BestRecords b = new BestRecords();
        RecordReader.forEach(records, b::add);
        return b;
    }

    /** Adds a record; returns true if it is now the best of its workload and target. */
    public boolean add(MeasureRecord r) {
        if (!r.ok()) {
            return false;
        }
        boolean[] top = {false};
        best.compute(new Key(r.workloadKey(), r.target()), (k, list) -> {
            List<MeasureRecord> l = list == null ? new ArrayList<>() : new ArrayList<>(list);
            l.add(r);
            l.sort(ORDER);
            if (l.size() > KEEP) {
                l.subList(KEEP, l.size()).clear();
            }
            top[0] = l.getFirst() == r;
            return List.copyOf(l);
        });
        return top[0];
    }

    /** The best record of a workload on a target. */
    public Optional<MeasureRecord> best(String workloadKey, Target target) {
        List<MeasureRecord> l = best.get(new Key(workloadKey, target));
        return l == null ? Optional.empty() : Optional.of(l.getFirst());
    }

    /** The best records of a workload on a target, best first (at most {@link #KEEP}). */
    public List<MeasureRecord> ranked(String workloadKey, Target target) {
        return best.getOrDefault(new Key(workloadKey, target), List.of());
    }

    /** The best record of a workload on any target, for when the exact target has none. */
    public Optional<MeasureRecord> bestOnAnyTarget(String workloadKey) {
        return best.entrySet().stream().filter(e -> e.getKey().workloadKey().equals(workloadKey))
                .map(e -> e.getValue().getFirst()).min(ORDER);
    }

    /** Number of (workload, target) pairs with a successful record. */
    public int size() {
        return best.size();
    }
}
