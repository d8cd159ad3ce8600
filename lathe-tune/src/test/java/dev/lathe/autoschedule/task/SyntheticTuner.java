package dev.lathe.autoschedule.task;

/**
 * A deterministic tuner whose best latency after t trials follows a known curve:
 * {@code floor + (start − floor)·exp(−t/tau)}, flat after {@code plateauAt} trials, +∞ while
 * t < {@code failUntil}, and a space of {@code space} candidates.
 */
final class SyntheticTuner implements TaskTuner {
    private final String name;
    private final double weight;
    private final double start;
    private final double floor;
    private final double tau;
    private double flops;
    private String group = "";
    private int plateauAt = Integer.MAX_VALUE;
    private int failUntil;
    private int space = Integer.MAX_VALUE;
    private int trials;

    SyntheticTuner(String name, double weight, double start, double floor, double tau) {
        this.name = name;
        this.weight = weight;
        this.start = start;
        this.floor = floor;
        this.tau = tau;
    }

    SyntheticTuner plateauAt(int t) {
        plateauAt = t;
        return this;
    }

    SyntheticTuner failUntil(int t) {
        failUntil = t;
        return this;
    }

    SyntheticTuner space(int n) {
        space = n;
        return this;
    }

    SyntheticTuner flops(double f, String g) {
        flops = f;
        group = g;
        return this;
    }

    int trials() {
        return trials;
    }

    double latencyAt(int t) {
        if (t == 0 || t < failUntil) {
            return Double.POSITIVE_INFINITY;
        }
        int e = Math.min(t, plateauAt);
        return floor + (start - floor) * Math.exp(-e / tau);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double weight() {
        return weight;
    }

    @Override
    public double flops() {
        return flops;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public Round tuneRound(int n) {
        int used = Math.min(n, space - trials);
        trials += used;
        return new Round(used, bestLatency());
    }

    @Override
    public double bestLatency() {
        return latencyAt(trials);
    }
}
