package dev.lathe.measure;

import java.util.List;

/**
 * The outcome of measuring one candidate: the seconds of each repeat (empty on error), the
 * error kind and message, and how long building and running took.
 */
public record MeasureResult(List<Double> costs, ErrorKind error, String message, double buildSeconds,
                            double runSeconds, long timestampMillis) {
    public MeasureResult {
        costs = List.copyOf(costs);
        message = message == null ? "" : message;
    }

    public boolean ok() {
        return error == ErrorKind.NONE && !costs.isEmpty();
    }

    /** The mean of the repeats, or +∞ for a failed candidate. */
    public double meanCost() {
        return ok() ? costs.stream().mapToDouble(Double::doubleValue).average().orElseThrow() : Double.POSITIVE_INFINITY;
    }

    public static MeasureResult failed(ErrorKind kind, String message, double buildSeconds, double runSeconds) {
        return new MeasureResult(List.of(), kind, message, buildSeconds, runSeconds, System.currentTimeMillis());
    }
}
