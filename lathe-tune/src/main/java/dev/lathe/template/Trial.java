package dev.lathe.template;

import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** One measured config: its JSON and its result. Records read back map to trials for {@link #pickBest}. */
public record Trial(String config, MeasureResult result) {
    /** The trial with the lowest mean cost among the successful ones (the first on ties), if any. */
    public static Optional<Trial> pickBest(List<Trial> trials) {
        return trials.stream().filter(t -> t.result().ok()).min(Comparator.comparingDouble(t -> t.result().meanCost()));
    }

    /** The best of measured inputs and their results (e.g. as a records reader returns them). */
    public static Optional<Trial> pickBest(List<MeasureInput> inputs, List<MeasureResult> results) {
        return pickBest(of(inputs, results));
    }

    /**
     * The best template config for {@code workloadKey} among records of many tasks: inputs of other
     * workloads and inputs without a config (search or hand schedules) are skipped.
     */
    public static Optional<Trial> pickBest(List<MeasureInput> inputs, List<MeasureResult> results, String workloadKey) {
        List<Trial> out = new ArrayList<>();
        List<Trial> all = of(inputs, results);
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).task().workloadKey().equals(workloadKey) && !inputs.get(i).config().isEmpty()) {
                out.add(all.get(i));
            }
        }
        return pickBest(out);
    }

    public static List<Trial> of(List<MeasureInput> inputs, List<MeasureResult> results) {
        if (inputs.size() != results.size()) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + results.size() + " results");
        }
        List<Trial> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            out.add(new Trial(inputs.get(i).config(), results.get(i)));
        }
        return out;
    }
}
