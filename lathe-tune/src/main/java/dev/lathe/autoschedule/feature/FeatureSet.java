package dev.lathe.autoschedule.feature;

import java.util.List;

/**
 * The features of one lowered kernel: one row per buffer store, in program order, each of
 * {@code names().size()} values ({@link FeatureExtractor#NAMES}). {@code storeNames} names the
 * buffer each row's store writes.
 */
public record FeatureSet(List<String> names, float[][] rows, List<String> storeNames) {
    public FeatureSet {
        names = List.copyOf(names);
        storeNames = List.copyOf(storeNames);
        if (rows.length != storeNames.size()) {
            throw new IllegalArgumentException(rows.length + " rows for " + storeNames.size() + " stores");
        }
        for (float[] r : rows) {
            if (r.length != names.size()) {
                throw new IllegalArgumentException("a row of " + r.length + " values for " + names.size() + " names");
            }
        }
    }

    /** Number of stores (rows). */
    public int numStores() {
        return rows.length;
    }

    /** The value of feature {@code name} in row {@code row}. */
    public float get(int row, String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no feature '" + name + "'");
        }
        return rows[row][i];
    }

    /** The rows concatenated, row-major: {@code numStores() * names().size()} values. */
    public float[] flatten() {
        int w = names.size();
        float[] out = new float[rows.length * w];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * w, w);
        }
        return out;
    }

    /**
     * Several kernels' features in one row-major matrix, as a cost model trains on them:
     * {@code data} holds all rows of all sets in order, {@code storesPerSet[i]} how many rows
     * belong to set {@code i}, each row {@code width} values long.
     */
    public record Flattened(float[] data, int[] storesPerSet, int width) {
        public int totalRows() {
            return width == 0 ? 0 : data.length / width;
        }
    }

    /** Flattens several feature sets (all of the same feature list) into one matrix. */
    public static Flattened flatten(List<FeatureSet> sets) {
        int width = FeatureExtractor.NAMES.size();
        int total = 0;
        int[] counts = new int[sets.size()];
        for (int i = 0; i < sets.size(); i++) {
            FeatureSet s = sets.get(i);
            if (s.names().size() != width) {
                throw new IllegalArgumentException("feature set " + i + " has " + s.names().size() + " features, not " + width);
            }
            counts[i] = s.numStores();
            total += counts[i];
        }
        float[] data = new float[total * width];
        int at = 0;
        for (FeatureSet s : sets) {
            float[] f = s.flatten();
            System.arraycopy(f, 0, data, at, f.length);
            at += f.length;
        }
        return new Flattened(data, counts, width);
    }
}
