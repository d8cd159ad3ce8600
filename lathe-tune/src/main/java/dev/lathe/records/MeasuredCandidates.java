package dev.lathe.records;

import dev.lathe.measure.MeasureInput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The candidates already measured — (workload key, target, steps, config), see
 * {@link MeasureRecord#candidateKey()} — so that a resumed tuning run never measures a recorded
 * candidate again. Failed candidates count as measured: a kernel that crashed once is not retried.
 * Thread-safe.
 */
public final class MeasuredCandidates {
    private final Set<String> keys = ConcurrentHashMap.newKeySet();

    public MeasuredCandidates() {
    }

    public static MeasuredCandidates of(Collection<MeasureRecord> records) {
        MeasuredCandidates m = new MeasuredCandidates();
        records.forEach(m::add);
        return m;
    }

    /** The candidates recorded in a records file (a missing file gives none). */
    public static MeasuredCandidates load(Path records) {
        MeasuredCandidates m = new MeasuredCandidates();
        RecordReader.forEach(records, m::add);
        return m;
    }

    public boolean contains(MeasureInput input) {
        return keys.contains(MeasureRecord.candidateKey(input));
    }

    public boolean contains(MeasureRecord record) {
        return keys.contains(record.candidateKey());
    }

    /** Marks a record's candidate measured; false if it already was. */
    public boolean add(MeasureRecord record) {
        return keys.add(record.candidateKey());
    }

    /** Marks a candidate measured; false if it already was. */
    public boolean add(MeasureInput input) {
        return keys.add(MeasureRecord.candidateKey(input));
    }

    /** The inputs not measured yet, in order, without duplicates among themselves. */
    public List<MeasureInput> unmeasured(List<MeasureInput> inputs) {
        Set<String> seen = new HashSet<>();
        List<MeasureInput> out = new ArrayList<>();
        for (MeasureInput in : inputs) {
            String k = MeasureRecord.candidateKey(in);
            if (!keys.contains(k) && seen.add(k)) {
                out.add(in);
            }
        }
        return out;
    }

    public int size() {
        return keys.size();
    }
}
