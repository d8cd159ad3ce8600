package dev.lathe.autoschedule;

import dev.lathe.autoschedule.feature.FeatureExtractor;
import dev.lathe.autoschedule.model.CostModel;
import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.SearchTask;
import dev.lathe.records.MeasureRecord;
import dev.lathe.schedule.State;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Evolutionary search over the programs of a task's sketches, guided by a cost model (as in
 * Ansor): a population of random annotations plus seeds (the best measured programs) is evolved
 * for some generations by mutation (tile sizes, unroll step, compute location, parallel
 * granularity) and crossover (tile lengths of two parents of one sketch); fitness is the cost
 * model's score of the program's features. Candidates are {@link Genotype}s, so a mutant is
 * always decoded through the sketch and its annotation; a mutant that fails to decode or lower
 * is dropped.
 */
public final class EvolutionarySearch {

    /**
     * @param population    programs per generation
     * @param generations   generations evolved per call of {@link #search}
     * @param crossoverProb probability that a child is made by crossover (when the parents share a sketch)
     * @param eliteFraction fraction of the best of a generation carried into the next unchanged
     */
    public record Options(int population, int generations, double crossoverProb, double eliteFraction) {
        public Options {
            if (population < 2 || generations < 0) {
                throw new IllegalArgumentException("population must be >= 2 and generations >= 0");
            }
            if (!(crossoverProb >= 0 && crossoverProb <= 1) || !(eliteFraction >= 0 && eliteFraction < 1)) {
                throw new IllegalArgumentException("crossoverProb in [0, 1] and eliteFraction in [0, 1) required");
            }
        }

        public static Options defaults() {
            return new Options(128, 4, 0.15, 0.1);
        }

        public Options withPopulation(int n) {
            return new Options(n, generations, crossoverProb, eliteFraction);
        }

        public Options withGenerations(int n) {
            return new Options(population, n, crossoverProb, eliteFraction);
        }
    }

    /** A decoded program: its genotype, its schedule, its candidate key and its features. */
    public record Candidate(Genotype genotype, State state, String key, float[][] features) {
    }

    /** The kinds of mutation. */
    public enum Mutation {
        /** Moves a prime factor between two levels of one tile. */
        TILE_SIZE,
        /** Redraws a stage's {@code auto_unroll_max_step}. */
        UNROLL,
        /** Redraws where a stage that random annotation may move is computed. */
        COMPUTE_LOCATION,
        /** Redraws how many outer loops of a stage are fused and parallelized. */
        PARALLEL,
        /** Switches between random annotation and the static mode's heuristics, keeping the tile lengths. */
        ANNOTATION_STYLE
    }

    /** Programs whose features are remembered, the least recently used forgotten first. */
    static final int FEATURE_MEMO_SIZE = 4096;

    private final SearchTask task;
    private final SketchPolicy policy;
    private final Options options;
    private final Map<String, float[][]> featureMemo = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, float[][]> eldest) {
                    return size() > FEATURE_MEMO_SIZE;
                }
            });

    public EvolutionarySearch(SearchTask task, SketchPolicy policy, Options options) {
        this.task = task;
        this.policy = policy;
        this.options = options;
        if (policy.sketches().isEmpty()) {
            throw new IllegalArgumentException("the task has no sketches");
        }
    }

    public EvolutionarySearch(SearchTask task) {
        this(task, new SketchPolicy(task), Options.defaults());
    }

    public SearchTask task() {
        return task;
    }

    public SketchPolicy policy() {
        return policy;
    }

    public Options options() {
        return options;
    }

    /** The candidate key of a program of this task ({@link MeasureRecord#candidateKey(MeasureInput)}). */
    public String key(State state) {
        return MeasureRecord.candidateKey(new MeasureInput(task, state));
    }

    /** Decodes a genotype; empty when the program does not lower. */
    public Optional<Candidate> decode(Genotype g) {
        if (g.sketch() < 0 || g.sketch() >= policy.sketches().size()) {
            return Optional.empty();
        }
        Sketch sketch = policy.sketches().get(g.sketch());
        boolean heuristic = g.choices().containsKey(StaticMode.STYLE);
        if (!validTiles(sketch, g.tiles(), heuristic)) {
            return Optional.empty();
        }
        if (heuristic) {
            try {
                State s = StaticMode.program(sketch, g.tiles(), task.target());
                if (s == null) {
                    return Optional.empty();
                }
                Genotype full = new Genotype(g.sketch(), g.tiles(), Map.of(StaticMode.STYLE, 1));
                return Optional.of(candidate(full, s));
            } catch (RuntimeException invalid) {
                return Optional.empty();
            }
        }
        try {
            // Every decision is in the genotype once it came from annotate; a fixed seed keeps
            // decoding deterministic for genotypes that lack some.
            RandomAnnotation.Annotated a = RandomAnnotation.annotate(sketch, g.tiles(), g.choices(), new Random(g.hashCode()));
            Genotype full = new Genotype(g.sketch(), g.tiles(), a.choices());
            return Optional.of(candidate(full, a.state()));
        } catch (RuntimeException invalid) {
            return Optional.empty();
        }
    }

    /**
     * The candidate of a decoded program. Evolution reaches the same program again and again (a
     * mutation undone, a crossover of like parents), and the key names the program exactly, so its
     * features are extracted (which lowers it) once; each candidate gets its own copy of the rows.
     */
    private Candidate candidate(Genotype full, State s) {
        String key = key(s);
        float[][] rows = featureMemo.computeIfAbsent(key, k -> FeatureExtractor.extract(s).rows());
        return new Candidate(full, s, key, copy(rows));
    }

    private static float[][] copy(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
        }
        return out;
    }

    /**
     * Whether the tile lengths fit the sketch; only randomly annotated genotypes bound the innermost
     * level (the heuristics keep a whole reduction innermost, where it accumulates in registers).
     */
    private static boolean validTiles(Sketch sketch, long[][] tiles, boolean heuristic) {
        if (tiles.length != sketch.tiles().size()) {
            return false;
        }
        for (int t = 0; t < tiles.length; t++) {
            Sketch.Tile tile = sketch.tiles().get(t);
            if (tiles[t].length != tile.levels()) {
                return false;
            }
            long p = 1;
            for (long l : tiles[t]) {
                if (l < 1) {
                    return false;
                }
                p *= l;
            }
            if (p != Math.max(1, tile.extent())
                    || !heuristic && tiles[t][tiles[t].length - 1] > RandomAnnotation.MAX_INNERMOST) {
                return false;
            }
        }
        return true;
    }

    /**
     * A random sketch with random tile lengths, annotated at random or (with probability
     * {@link #HEURISTIC_SHARE}) by the static mode's heuristics; empty when it does not lower.
     */
    public Optional<Candidate> random(Random rng) {
        int k = rng.nextInt(policy.sketches().size());
        Sketch sketch = policy.sketches().get(k);
        Map<String, Integer> style = rng.nextDouble() < HEURISTIC_SHARE ? Map.of(StaticMode.STYLE, 1) : Map.of();
        return decode(new Genotype(k, RandomAnnotation.tileSizes(sketch, rng), style));
    }

    /**
     * The share of random programs annotated by the heuristics: random tile lengths with a vectorized,
     * unrolled register tile and a parallel outer loop are far more often fast than fully random
     * programs, while the other half keeps the search's reach.
     */
    static final double HEURISTIC_SHARE = 0.5;

    /**
     * The static mode's program as a candidate of this search (a genotype that evolution can mutate),
     * if the static mode's heuristics apply to one of the sketches.
     */
    public Optional<Candidate> staticCandidate() {
        return StaticMode.genotype(policy, task.target()).flatMap(this::decode);
    }

    /** Random candidates, distinct and not excluded, at most {@code n} (fewer when the space runs dry). */
    public List<Candidate> randomCandidates(int n, Predicate<String> exclude, Random rng) {
        Map<String, Candidate> out = new LinkedHashMap<>();
        for (int tries = 0; out.size() < n && tries < 20 * n + 20; tries++) {
            random(rng).filter(c -> !exclude.test(c.key())).ifPresent(c -> out.putIfAbsent(c.key(), c));
        }
        return new ArrayList<>(out.values());
    }

    /** A mutant of a random kind; empty when the mutation does not apply or the mutant is invalid. */
    public Optional<Candidate> mutate(Candidate c, Random rng) {
        Mutation[] kinds = Mutation.values();
        return mutate(c, kinds[rng.nextInt(kinds.length)], rng);
    }

    public Optional<Candidate> mutate(Candidate c, Mutation kind, Random rng) {
        Genotype g = c.genotype();
        return switch (kind) {
            case TILE_SIZE -> mutateTile(g, rng).flatMap(this::decode);
            case UNROLL -> redraw(g, "unroll", RandomAnnotation.UNROLL_STEPS.length, rng).flatMap(this::decode);
            case COMPUTE_LOCATION -> redrawComputeLocation(g, rng).flatMap(this::decode);
            case PARALLEL -> redraw(g, "parallel.n", Integer.MAX_VALUE, rng).flatMap(this::decode);
            case ANNOTATION_STYLE -> decode(new Genotype(g.sketch(), g.tiles(),
                    g.choices().containsKey(StaticMode.STYLE) ? Map.of() : Map.of(StaticMode.STYLE, 1)));
        };
    }

    /** Moves one prime factor of a level of a random tile to another level. */
    static Optional<Genotype> mutateTile(Genotype g, Random rng) {
        long[][] tiles = g.tileLengths();
        List<Integer> movable = new ArrayList<>();
        for (int t = 0; t < tiles.length; t++) {
            if (tiles[t].length > 1 && product(tiles[t]) > 1) {
                movable.add(t);
            }
        }
        if (movable.isEmpty()) {
            return Optional.empty();
        }
        long[] len = tiles[movable.get(rng.nextInt(movable.size()))];
        List<Integer> from = new ArrayList<>();
        for (int l = 0; l < len.length; l++) {
            if (len[l] > 1) {
                from.add(l);
            }
        }
        int src = from.get(rng.nextInt(from.size()));
        int dst = rng.nextInt(len.length - 1);
        if (dst >= src) {
            dst++;
        }
        List<Long> primes = primeFactors(len[src]);
        long p = primes.get(rng.nextInt(primes.size()));
        len[src] /= p;
        len[dst] *= p;
        // A heuristic genotype may keep a long innermost level (a whole reduction); it may shrink, not grow.
        if (dst == len.length - 1 && len[dst] > RandomAnnotation.MAX_INNERMOST) {
            return Optional.empty();
        }
        return Optional.of(new Genotype(g.sketch(), tiles, g.choices()));
    }

    /** Redraws the value of a random decision named {@code decision} (on any stage). */
    private static Optional<Genotype> redraw(Genotype g, String decision, int bound, Random rng) {
        List<String> keys = g.choices().keySet().stream().filter(k -> k.endsWith(":" + decision)).toList();
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        String k = keys.get(rng.nextInt(keys.size()));
        Map<String, Integer> ch = new HashMap<>(g.choices());
        int old = ch.get(k);
        int v = rng.nextInt(Math.min(bound, 1 << 16));
        if (v == old) {
            v = old + 1;
        }
        ch.put(k, v);
        if (decision.equals("parallel.n")) {
            ch.remove(k.substring(0, k.indexOf(':')) + ":parallel.skip");
        }
        return Optional.of(new Genotype(g.sketch(), g.tiles(), ch));
    }

    /** Flips a movable stage between root and computed-at, or moves it to another loop of its consumer. */
    private static Optional<Genotype> redrawComputeLocation(Genotype g, Random rng) {
        List<String> keys = g.choices().keySet().stream().filter(k -> k.endsWith(":at.root")).toList();
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        String k = keys.get(rng.nextInt(keys.size()));
        String stage = k.substring(0, k.indexOf(':'));
        Map<String, Integer> ch = new HashMap<>(g.choices());
        boolean atRoot = Math.floorMod(ch.get(k), 3) == 0;
        if (atRoot) {
            ch.put(k, 1 + rng.nextInt(2));
            ch.put(stage + ":at.loop", rng.nextInt(1 << 16));
        } else if (rng.nextBoolean() || !ch.containsKey(stage + ":at.loop")) {
            ch.put(k, 0);
        } else {
            ch.put(stage + ":at.loop", ch.get(stage + ":at.loop") + 1 + rng.nextInt(1 << 8));
        }
        return Optional.of(new Genotype(g.sketch(), g.tiles(), ch));
    }

    /** A child with each tile's lengths from one parent or the other, and the choices of one; parents of one sketch. */
    public Optional<Candidate> crossover(Candidate a, Candidate b, Random rng) {
        Genotype ga = a.genotype();
        Genotype gb = b.genotype();
        if (ga.sketch() != gb.sketch()) {
            return Optional.empty();
        }
        long[][] tiles = ga.tileLengths();
        long[][] other = gb.tileLengths();
        for (int t = 0; t < tiles.length; t++) {
            if (rng.nextBoolean()) {
                tiles[t] = other[t];
            }
        }
        Map<String, Integer> ch = new HashMap<>(rng.nextBoolean() ? ga.choices() : gb.choices());
        return decode(new Genotype(ga.sketch(), tiles, ch));
    }

    /**
     * Evolves a population and returns the best {@code n} distinct candidates by predicted score,
     * none excluded (e.g. already measured). The first population is {@code seeds} plus random
     * annotations up to the population size.
     */
    public List<Candidate> search(Collection<Candidate> seeds, CostModel model, int n, Predicate<String> exclude,
                                  Random rng) {
        Map<String, Scored> seen = new HashMap<>();
        List<Candidate> pop = new ArrayList<>();
        Set<String> inPop = new HashSet<>();
        for (Candidate c : seeds) {
            if (inPop.add(c.key())) {
                pop.add(c);
            }
        }
        for (int tries = 0; pop.size() < options.population() && tries < 4 * options.population(); tries++) {
            random(rng).filter(c -> inPop.add(c.key())).ifPresent(pop::add);
        }
        List<Scored> scored = score(pop, model, seen);
        for (int gen = 0; gen < options.generations() && scored.size() >= 1; gen++) {
            scored.sort(Comparator.comparingDouble(Scored::score).reversed());
            List<Candidate> next = new ArrayList<>();
            Set<String> nextKeys = new HashSet<>();
            int elites = (int) (options.eliteFraction() * options.population());
            for (int i = 0; i < elites && i < scored.size(); i++) {
                next.add(scored.get(i).candidate());
                nextKeys.add(scored.get(i).candidate().key());
            }
            List<Candidate> children = new ArrayList<>();
            for (int tries = 0; next.size() + children.size() < options.population()
                    && tries < 4 * options.population(); tries++) {
                Candidate p1 = tournament(scored, rng);
                Optional<Candidate> child;
                if (rng.nextDouble() < options.crossoverProb()) {
                    child = crossover(p1, tournament(scored, rng), rng);
                } else {
                    child = mutate(p1, rng);
                }
                child.filter(c -> nextKeys.add(c.key())).ifPresent(children::add);
            }
            List<Scored> childScores = score(children, model, seen);
            List<Scored> all = new ArrayList<>();
            for (int i = 0; i < elites && i < scored.size(); i++) {
                all.add(scored.get(i));
            }
            all.addAll(childScores);
            scored = all;
        }
        return seen.values().stream()
                .filter(s -> !exclude.test(s.candidate().key()))
                .sorted(Comparator.comparingDouble(Scored::score).reversed()
                        .thenComparing(s -> s.candidate().key()))
                .limit(n)
                .map(Scored::candidate)
                .toList();
    }

    private record Scored(Candidate candidate, double score) {
    }

    private static List<Scored> score(List<Candidate> cs, CostModel model, Map<String, Scored> seen) {
        List<Scored> out = new ArrayList<>();
        List<Candidate> fresh = new ArrayList<>();
        for (Candidate c : cs) {
            Scored s = seen.get(c.key());
            if (s != null) {
                out.add(s);
            } else {
                fresh.add(c);
            }
        }
        if (!fresh.isEmpty()) {
            double[] p = model.predict(fresh.stream().map(Candidate::features).toList());
            for (int i = 0; i < p.length; i++) {
                double v = Double.isFinite(p[i]) ? p[i] : Double.NEGATIVE_INFINITY;
                Scored s = new Scored(fresh.get(i), v);
                seen.putIfAbsent(fresh.get(i).key(), s);
                out.add(s);
            }
        }
        return out;
    }

    private static Candidate tournament(List<Scored> scored, Random rng) {
        Scored best = scored.get(rng.nextInt(scored.size()));
        for (int i = 0; i < 2; i++) {
            Scored s = scored.get(rng.nextInt(scored.size()));
            if (s.score() > best.score()) {
                best = s;
            }
        }
        return best.candidate();
    }

    private static long product(long[] a) {
        long p = 1;
        for (long x : a) {
            p *= x;
        }
        return p;
    }

    private static List<Long> primeFactors(long n) {
        List<Long> out = new ArrayList<>();
        for (long p = 2; p * p <= n; p++) {
            while (n % p == 0) {
                out.add(p);
                n /= p;
            }
        }
        if (n > 1) {
            out.add(n);
        }
        return out;
    }
}
