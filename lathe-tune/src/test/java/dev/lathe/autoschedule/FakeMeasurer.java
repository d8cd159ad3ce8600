package dev.lathe.autoschedule;

import dev.lathe.measure.ErrorKind;
import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.Measurer;
import dev.lathe.records.MeasureRecord;
import dev.lathe.schedule.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** A measurer whose cost is a deterministic function of the schedule; remembers every candidate key measured. */
final class FakeMeasurer implements Measurer {
    final List<String> keys = new ArrayList<>();
    final List<Double> costs = new ArrayList<>();
    final List<dev.lathe.schedule.State> states = new ArrayList<>();
    private final ToDoubleFunction<MeasureInput> cost;
    Runnable beforeMeasure = () -> { };
    /** The slow-candidate bound passed with each batch. */
    final List<Double> slowBounds = new ArrayList<>();
    /** How many programs each batch held. */
    final List<Integer> batchSizes = new ArrayList<>();

    FakeMeasurer(ToDoubleFunction<MeasureInput> cost) {
        this.cost = cost;
    }

    /**
     * Rewards innermost split factors of {@code target}: seconds = 1e-4 · Π over split steps of
     * (1 + |log2(last factor) − log2(target)|).
     */
    static FakeMeasurer rewardingInnerTile(long target) {
        return new FakeMeasurer(in -> {
            double c = 1e-4;
            for (Step s : in.state().steps()) {
                if (s instanceof Step.Split sp) {
                    long f = sp.factors().getLast();
                    c *= 1 + Math.abs(Math.log(f) / Math.log(2) - Math.log(target) / Math.log(2));
                }
            }
            return c;
        });
    }

    @Override
    public List<MeasureResult> measure(List<MeasureInput> inputs) {
        beforeMeasure.run();
        batchSizes.add(inputs.size());
        List<MeasureResult> out = new ArrayList<>();
        for (MeasureInput in : inputs) {
            keys.add(MeasureRecord.candidateKey(in));
            states.add(in.state());
            double c = cost.applyAsDouble(in);
            costs.add(c);
            out.add(new MeasureResult(List.of(c), ErrorKind.NONE, "", 0, c, System.currentTimeMillis()));
        }
        return out;
    }

    @Override
    public List<MeasureResult> measure(List<MeasureInput> inputs, double slowSeconds) {
        slowBounds.add(slowSeconds);
        return measure(inputs);
    }

    @Override
    public void close() {
    }
}
