package dev.lathe.template;

/**
 * How long a tuner runs: at most {@code nTrials} measured configs, proposed {@code batchSize} at a
 * time; stop early after {@code earlyStopping} trials without a better result ({@code <= 0}: never).
 * {@code seed} makes the proposals reproducible.
 */
public record TuneOptions(int nTrials, int batchSize, int earlyStopping, long seed) {
    public TuneOptions {
        if (nTrials < 0) {
            throw new IllegalArgumentException("nTrials must be >= 0, got " + nTrials);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
    }

    public static TuneOptions of(int nTrials) {
        return new TuneOptions(nTrials, 16, 0, 0);
    }
}
