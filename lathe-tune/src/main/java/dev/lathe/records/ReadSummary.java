package dev.lathe.records;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What reading a records file found: the records read, the lines skipped per reason, and the
 * first few problems (line number and reason, escaped) for a message.
 */
public record ReadSummary(int read, Map<SkipReason, Integer> skipped, List<String> problems) {
    public ReadSummary {
        EnumMap<SkipReason, Integer> m = new EnumMap<>(SkipReason.class);
        skipped.forEach((k, v) -> {
            if (v > 0) {
                m.put(k, v);
            }
        });
        skipped = java.util.Collections.unmodifiableMap(m);
        problems = List.copyOf(problems);
    }

    /** Lines skipped for any reason. */
    public int skippedTotal() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Lines skipped for {@code reason}. */
    public int skipped(SkipReason reason) {
        return skipped.getOrDefault(reason, 0);
    }

    @Override
    public String toString() {
        return read + " records read, " + skippedTotal() + " lines skipped" + (skipped.isEmpty() ? "" : " " + skipped);
    }
}
