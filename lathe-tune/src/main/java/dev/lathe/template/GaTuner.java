package dev.lathe.template;

import dev.lathe.measure.MeasureResult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A genetic tuner: a config's genes are its knobs' option indices. The first generation is
 * random; each next one is bred from the measured population and the elites (the best configs
 * measured so far) by fitness-proportional selection ({@code fitness = 1 / cost}), uniform
 * crossover and per-gene mutation. A child already measured is mutated again, then replaced by a
 * random unvisited config, so nothing is measured twice.
 */
public final class GaTuner extends Tuner {
    private final int populationSize;
    private final int eliteCount;
    private final double mutationProbability;

    private final Deque<Config> pending = new ArrayDeque<>();
    private final Map<Long, Double> fitness = new LinkedHashMap<>();
    private final Map<Long, Config> measured = new LinkedHashMap<>();
    private List<Config> population = new ArrayList<>();

    public GaTuner() {
        this(100, 3, 0.1);
    }

    public GaTuner(int populationSize, int eliteCount, double mutationProbability) {
        if (populationSize < 2 || eliteCount < 0 || eliteCount > populationSize || mutationProbability < 0
                || mutationProbability > 1) {
            throw new IllegalArgumentException("GaTuner needs populationSize >= 2, 0 <= eliteCount <= populationSize and "
                    + "a mutation probability in [0, 1]; got " + populationSize + ", " + eliteCount + ", "
                    + mutationProbability);
        }
        this.populationSize = populationSize;
        this.eliteCount = eliteCount;
        this.mutationProbability = mutationProbability;
    }

    @Override
    protected void reset() {
        pending.clear();
        fitness.clear();
        measured.clear();
        population = new ArrayList<>();
        pending.addAll(randomBatch((int) Math.min(populationSize, space.size()), Set.of()));
    }

    @Override
    protected List<Config> nextBatch(int n) {
        List<Config> out = new ArrayList<>();
        Set<Long> taken = new HashSet<>();
        while (out.size() < n) {
            if (pending.isEmpty()) {
                breed();
                if (pending.isEmpty()) {
                    break;
                }
            }
            Config c = pending.poll();
            if (!isVisited(c) && taken.add(c.index())) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    protected void update(List<Config> configs, List<MeasureResult> results) {
        for (int i = 0; i < configs.size(); i++) {
            MeasureResult r = results.get(i);
            double f = r.ok() && r.meanCost() > 0 ? 1.0 / r.meanCost() : 0.0;
            fitness.put(configs.get(i).index(), f);
            measured.put(configs.get(i).index(), configs.get(i));
            population.add(configs.get(i));
        }
    }

    private void breed() {
        List<Config> parents = new ArrayList<>(population);
        measured.values().stream()
                .sorted(Comparator.comparingDouble((Config c) -> -fitness.get(c.index())))
                .limit(eliteCount)
                .filter(c -> !parents.contains(c))
                .forEach(parents::add);
        population = new ArrayList<>();
        if (parents.isEmpty()) {
            pending.addAll(randomBatch(populationSize, Set.of()));
            return;
        }
        double[] cumulative = new double[parents.size()];
        double total = 0;
        double floor = 1e-3 * parents.stream().mapToDouble(c -> fitness.get(c.index())).max().orElse(0) + 1e-300;
        for (int i = 0; i < parents.size(); i++) {
            total += fitness.get(parents.get(i).index()) + floor;
            cumulative[i] = total;
        }
        Set<Long> taken = new HashSet<>();
        int knobs = space.knobs().size();
        for (int child = 0; child < populationSize; child++) {
            Config a = pick(parents, cumulative, total);
            Config b = pick(parents, cumulative, total);
            int[] genes = new int[knobs];
            for (int k = 0; k < knobs; k++) {
                genes[k] = rng.nextBoolean() ? a.option(k) : b.option(k);
            }
            Config c = mutate(genes);
            for (int attempt = 0; attempt < 20 && (isVisited(c) || taken.contains(c.index())); attempt++) {
                genes = c.options();
                int k = rng.nextInt(knobs);
                genes[k] = rng.nextInt(space.knobs().get(k).size());
                c = space.of(genes);
            }
            if (isVisited(c) || taken.contains(c.index())) {
                c = randomUnvisited(taken);
                if (c == null) {
                    break;
                }
            }
            taken.add(c.index());
            pending.add(c);
        }
    }

    private Config mutate(int[] genes) {
        for (int k = 0; k < genes.length; k++) {
            if (rng.nextDouble() < mutationProbability) {
                genes[k] = rng.nextInt(space.knobs().get(k).size());
            }
        }
        return space.of(genes);
    }

    private Config pick(List<Config> parents, double[] cumulative, double total) {
        double x = rng.nextDouble() * total;
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return parents.get(i);
            }
        }
        return parents.getLast();
    }
}
