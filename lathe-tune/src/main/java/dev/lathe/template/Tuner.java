package dev.lathe.template;

import dev.lathe.measure.ErrorKind;
import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.Measurer;
import dev.lathe.measure.SearchTask;
import dev.lathe.schedule.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Explores a template's config space with measurements. A tuner proposes batches of configs it
 * has not measured yet; each is instantiated (a config whose schedule throws gets an
 * {@code INVALID_SCHEDULE} result without being built), measured, and reported to the callbacks
 * and to the tuner. No config is measured twice in one run. A tuner object may run several
 * times; each {@link #tune} starts afresh.
 */
public abstract class Tuner {
    private static final Logger LOG = LoggerFactory.getLogger(Tuner.class);

    protected ConfigSpace space;
    protected Random rng;
    private final Set<Long> visited = new HashSet<>();

    /** Prepares for a run over {@code space}. */
    protected abstract void reset();

    /** Up to {@code n} distinct configs not yet visited (fewer only when the space is nearly exhausted). */
    protected abstract List<Config> nextBatch(int n);

    /** The results of the last batch, in the order proposed. */
    protected void update(List<Config> configs, List<MeasureResult> results) {
    }

    public final TuneResult tune(SearchTask task, Template template, Measurer measurer, TuneOptions options,
                                 List<TuneCallback> callbacks) {
        return tune(task, template, measurer, options, callbacks, List.of());
    }

    /**
     * Continues a run: the {@code history} trials (e.g. read back from a records file) count
     * towards the budget, teach the tuner as if it had measured them, and are never measured
     * again. Trials whose config does not fit this template's space are ignored with a log line.
     */
    public final TuneResult tune(SearchTask task, Template template, Measurer measurer, TuneOptions options,
                                 List<TuneCallback> callbacks, List<Trial> history) {
        space = template.space(task.dag());
        rng = new Random(options.seed());
        visited.clear();
        reset();
        List<Trial> trials = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestAt = 0;
        List<Config> known = new ArrayList<>();
        List<MeasureResult> knownResults = new ArrayList<>();
        for (Trial t : history) {
            Config c;
            try {
                c = space.parse(t.config());
            } catch (ConfigException e) {
                LOG.info("history trial ignored, its config does not fit this space: {}", e.getMessage());
                continue;
            }
            if (visited.add(c.index())) {
                known.add(c);
                knownResults.add(t.result());
                trials.add(new Trial(c.toJson(), t.result()));
                if (t.result().meanCost() < best) {
                    best = t.result().meanCost();
                    bestAt = trials.size();
                }
            }
        }
        if (!known.isEmpty()) {
            LOG.info("continuing from {} measured configs (best {} s)", known.size(), best);
            update(known, knownResults);
        }
        while (trials.size() < options.nTrials() && visited.size() < space.size()) {
            int n = Math.min(options.batchSize(), options.nTrials() - trials.size());
            List<Config> batch = new ArrayList<>();
            for (Config c : nextBatch(n)) {
                if (batch.size() < n && visited.add(c.index())) {
                    batch.add(c);
                }
            }
            if (batch.isEmpty()) {
                break;
            }
            List<MeasureResult> results = measure(task, template, measurer, batch, callbacks);
            for (int i = 0; i < batch.size(); i++) {
                trials.add(new Trial(batch.get(i).toJson(), results.get(i)));
                double cost = results.get(i).meanCost();
                if (cost < best) {
                    best = cost;
                    bestAt = trials.size();
                    LOG.info("trial {}: best so far {} s, config {}", trials.size(), cost, batch.get(i).toJson());
                }
            }
            update(batch, results);
            if (options.earlyStopping() > 0 && trials.size() - bestAt >= options.earlyStopping()) {
                LOG.info("early stop after {} trials: no improvement in {}", trials.size(), options.earlyStopping());
                break;
            }
        }
        return new TuneResult(space, trials);
    }

    public final TuneResult tune(SearchTask task, Template template, Measurer measurer, TuneOptions options) {
        return tune(task, template, measurer, options, List.of());
    }

    private static List<MeasureResult> measure(SearchTask task, Template template, Measurer measurer, List<Config> batch,
                                               List<TuneCallback> callbacks) {
        List<MeasureInput> inputs = new ArrayList<>();
        Map<Integer, MeasureResult> invalid = new LinkedHashMap<>();
        List<MeasureInput> valid = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Config c = batch.get(i);
            MeasureInput in;
            try {
                in = new MeasureInput(task, template.instantiate(task.dag(), c), c.toJson());
                valid.add(in);
            } catch (RuntimeException e) {
                in = new MeasureInput(task, State.initial(task.dag()), c.toJson());
                invalid.put(i, MeasureResult.failed(ErrorKind.INVALID_SCHEDULE, String.valueOf(e.getMessage()), 0, 0));
            }
            inputs.add(in);
        }
        List<MeasureResult> measured = valid.isEmpty() ? List.of() : measurer.measure(valid);
        if (measured.size() != valid.size()) {
            throw new IllegalStateException("the measurer returned " + measured.size() + " results for " + valid.size()
                    + " inputs");
        }
        List<MeasureResult> results = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < batch.size(); i++) {
            results.add(invalid.containsKey(i) ? invalid.get(i) : measured.get(next++));
        }
        for (TuneCallback cb : callbacks) {
            cb.onResults(List.copyOf(inputs), List.copyOf(results));
        }
        return results;
    }

    protected final boolean isVisited(Config c) {
        return visited.contains(c.index());
    }

    protected final int visitedCount() {
        return visited.size();
    }

    /**
     * A random config not visited and not in {@code taken}, or null when none is left. Rejection
     * sampling first; then a scan from a random start (only reached when the space is nearly used up).
     */
    protected final Config randomUnvisited(Set<Long> taken) {
        for (int attempt = 0; attempt < 64; attempt++) {
            Config c = space.random(rng);
            if (!visited.contains(c.index()) && !taken.contains(c.index())) {
                return c;
            }
        }
        long size = space.size();
        if (visited.size() + taken.size() >= size) {
            return null;
        }
        long start = Math.floorMod(rng.nextLong(), size);
        for (long k = 0; k < size; k++) {
            long i = (start + k) % size;
            if (!visited.contains(i) && !taken.contains(i)) {
                return space.get(i);
            }
        }
        return null;
    }

    /** {@code n} distinct random unvisited configs (fewer if the space runs out). */
    protected final List<Config> randomBatch(int n, Set<Long> taken) {
        Set<Long> t = new HashSet<>(taken);
        List<Config> out = new ArrayList<>();
        while (out.size() < n) {
            Config c = randomUnvisited(t);
            if (c == null) {
                break;
            }
            t.add(c.index());
            out.add(c);
        }
        return out;
    }
}
