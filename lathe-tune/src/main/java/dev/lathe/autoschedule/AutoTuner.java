package dev.lathe.autoschedule;

import dev.lathe.autoschedule.EvolutionarySearch.Candidate;
import dev.lathe.autoschedule.feature.FeatureExtractor;
import dev.lathe.autoschedule.model.CostModel;
import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.Measurer;
import dev.lathe.measure.SearchTask;
import dev.lathe.records.MeasureRecord;
import dev.lathe.records.RecordReader;
import dev.lathe.records.RecordWriter;
import dev.lathe.records.TuningProgress;
import dev.lathe.schedule.State;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The tuning loop of one task (Ansor's search policy): each round evolves programs with the
 * cost model as fitness ({@link EvolutionarySearch}), measures the best predicted ones not
 * measured before plus an ε share of random ones, writes their records, counts them in the
 * progress, retrains the cost model with their throughputs (flop/s, or 1/seconds when the FLOP
 * count is unknown; 0 for failures), and keeps the best program. {@link #resume} loads the
 * records of earlier runs of the task: they train the model, count as measured and are never
 * measured again. Not thread-safe; the measurer and cost model are the caller's (not closed here).
 */
public final class AutoTuner implements AutoCloseable {

    /**
     * @param epsGreedy     share of each measured batch that is random programs (rounded down)
     * @param seeds         best measured programs put into each first population
     * @param evolution     the evolutionary search's options
     * @param seed          the random seed
     * @param flops         FLOPs of one run of the workload, for throughputs and progress; 0 if unknown
     * @param records       the records file written (and read by {@link #resume()}); null for none
     * @param progress      how progress is shown
     * @param progressTotal the trial count the progress counts up to
     */
    public record Options(double epsGreedy, int seeds, EvolutionarySearch.Options evolution, long seed, double flops,
                          Path records, TuningProgress.Mode progress, int progressTotal) {
        public Options {
            if (!(epsGreedy >= 0 && epsGreedy <= 1) || seeds < 0 || flops < 0 || progressTotal < 0) {
                throw new IllegalArgumentException("epsGreedy in [0, 1], seeds >= 0, flops >= 0, progressTotal >= 0");
            }
        }

        public static Options defaults() {
            return new Options(0.05, 16, EvolutionarySearch.Options.defaults(), 0, 0, null,
                    TuningProgress.Mode.QUIET, 0);
        }

        public Options withEpsGreedy(double eps) {
            return new Options(eps, seeds, evolution, seed, flops, records, progress, progressTotal);
        }

        public Options withEvolution(EvolutionarySearch.Options e) {
            return new Options(epsGreedy, seeds, e, seed, flops, records, progress, progressTotal);
        }

        public Options withSeed(long s) {
            return new Options(epsGreedy, seeds, evolution, s, flops, records, progress, progressTotal);
        }

        public Options withFlops(double f) {
            return new Options(epsGreedy, seeds, evolution, seed, f, records, progress, progressTotal);
        }

        public Options withRecords(Path p) {
            return new Options(epsGreedy, seeds, evolution, seed, flops, p, progress, progressTotal);
        }

        public Options withProgress(TuningProgress.Mode mode, int total) {
            return new Options(epsGreedy, seeds, evolution, seed, flops, records, mode, total);
        }
    }

    /** One measured program of this run, with its genotype (a seed of later populations). */
    private record Measured(Candidate candidate, double seconds) {
    }

    private final SearchTask task;
    private final Measurer measurer;
    private final CostModel model;
    private final Options options;
    private final EvolutionarySearch search;
    private final Random rng;
    private final Set<String> measured = new HashSet<>();
    private final List<Measured> history = new ArrayList<>();
    /** Programs given from outside the search (the static mode's), measured first in the next round. */
    private final List<Candidate> extra = new ArrayList<>();
    /** Seconds of each resumed record by candidate key (+∞ for failures). */
    private final java.util.Map<String, Double> resumedSeconds = new java.util.HashMap<>();
    private final RecordWriter writer;
    private final TuningProgress progress;
    private State bestState;
    private double bestSeconds = Double.POSITIVE_INFINITY;
    private int trials;
    private int resumed;
    private int lastRandom;

    public AutoTuner(SearchTask task, Measurer measurer, CostModel model, Options options) {
        this(new EvolutionarySearch(task, new SketchPolicy(task), options.evolution()), measurer, model, options);
    }

    public AutoTuner(EvolutionarySearch search, Measurer measurer, CostModel model, Options options) {
        this.task = search.task();
        this.search = search;
        this.measurer = measurer;
        this.model = model;
        this.options = options;
        this.rng = new Random(options.seed());
        this.writer = options.records() == null ? null : RecordWriter.open(options.records());
        this.progress = TuningProgress.start(task.workloadKey().substring(0, Math.min(12, task.workloadKey().length())),
                options.progressTotal(), options.flops(), options.progress());
    }

    public SearchTask task() {
        return task;
    }

    public EvolutionarySearch search() {
        return search;
    }

    /** Loads the records of this task (same workload and target) from the records file of the options. */
    public int resume() {
        return options.records() == null ? 0 : resume(options.records());
    }

    /**
     * Loads the records of this task (same workload key and target) from {@code path}: each counts
     * as measured, trains the model (when its steps replay onto the DAG) and may be the best.
     * Returns how many were new.
     */
    public int resume(Path path) {
        if (!Files.exists(path)) {
            return 0;
        }
        List<float[][]> feats = new ArrayList<>();
        List<Double> tps = new ArrayList<>();
        int n = 0;
        for (MeasureRecord r : RecordReader.read(path).records()) {
            if (!r.workloadKey().equals(task.workloadKey()) || !r.target().equals(task.target()) || !measured.add(r.candidateKey())) {
                continue;
            }
            n++;
            resumedSeconds.put(r.candidateKey(), r.ok() ? r.meanCost() : Double.POSITIVE_INFINITY);
            State s;
            try {
                s = r.toState(task.dag());
            } catch (RuntimeException notReplayable) {
                continue;
            }
            if (r.ok() && r.meanCost() < bestSeconds) {
                bestSeconds = r.meanCost();
                bestState = s;
            }
            try {
                feats.add(FeatureExtractor.extract(s).rows());
                tps.add(throughput(r.result()));
            } catch (RuntimeException notLowerable) {
                // counted as measured; no features
            }
        }
        if (!feats.isEmpty()) {
            model.update(feats, tps.stream().mapToDouble(Double::doubleValue).toArray());
        }
        resumed += n;
        return n;
    }

    /**
     * Measures up to {@code n} new programs: the best predicted by the evolutionary search and
     * ⌊ε·n⌋ random ones (more when evolution finds too few). Returns how many were measured;
     * fewer than {@code n} when the search found no more unmeasured programs.
     */
    public int tuneRound(int n) {
        if (n <= 0) {
            return 0;
        }
        int total = n;
        Set<String> chosen = new HashSet<>();
        List<Candidate> batch = new ArrayList<>();
        for (Candidate c : extra) {
            if (batch.size() < n && !measured.contains(c.key()) && chosen.add(c.key())) {
                batch.add(c);
            }
        }
        extra.clear();
        n -= batch.size();
        int nRandom = (int) Math.floor(options.epsGreedy() * n);
        List<Candidate> seeds = history.stream().filter(m -> Double.isFinite(m.seconds()))
                .filter(m -> m.candidate().genotype() != null)
                .sorted(Comparator.comparingDouble(Measured::seconds)).limit(options.seeds())
                .map(Measured::candidate).toList();
        List<Candidate> best = n > 0 ? search.search(seeds, model, n - nRandom, measured::contains, rng) : List.of();
        for (Candidate c : best) {
            if (chosen.add(c.key())) {
                batch.add(c);
            }
        }
        List<Candidate> random = search.randomCandidates(total - batch.size(),
                k -> measured.contains(k) || chosen.contains(k), rng);
        lastRandom = random.size();
        batch.addAll(random);
        if (batch.isEmpty()) {
            return 0;
        }
        List<MeasureInput> inputs = batch.stream().map(c -> new MeasureInput(task, c.state())).toList();
        List<MeasureResult> results = measurer.measure(inputs, slowSeconds());
        double[] tps = new double[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            MeasureResult r = results.get(i);
            measured.add(batch.get(i).key());
            if (writer != null) {
                writer.write(inputs.get(i), r);
            }
            progress.update(r);
            tps[i] = throughput(r);
            double sec = r.meanCost();
            history.add(new Measured(batch.get(i), sec));
            if (r.ok() && sec < bestSeconds) {
                bestSeconds = sec;
                bestState = batch.get(i).state();
            }
        }
        model.update(batch.stream().map(Candidate::features).toList(), tps);
        trials += batch.size();
        return batch.size();
    }

    /**
     * Measures {@code program} first in the next round, unless it was measured before; it does not
     * seed the evolution (it has no genotype). Invalid programs (that do not lower) are ignored.
     */
    public void addCandidate(State program) {
        try {
            extra.add(new Candidate(null, program, search.key(program), FeatureExtractor.extract(program).rows()));
        } catch (RuntimeException invalid) {
            // Not lowerable: nothing to measure.
        }
    }

    /**
     * Measures the static mode's program first in the next round (unless measured before); as a
     * genotype of the search when the heuristics apply to one of its sketches, so that evolution
     * mutates it from then on, else as {@code fallback} (e.g. {@link StaticMode#schedule}'s result).
     */
    public void addStaticCandidate(State fallback) {
        Optional<Candidate> c = search.staticCandidate();
        if (c.isEmpty()) {
            addCandidate(fallback);
        } else if (resumedSeconds.containsKey(c.get().key())) {
            // Measured in an earlier run: not again, but it seeds this run's evolution with its recorded time.
            history.add(new Measured(c.get(), resumedSeconds.get(c.get().key())));
        } else {
            extra.add(c.get());
        }
    }

    /**
     * Runs rounds of {@code perRound} trials until {@code total} are measured or the space runs dry
     * (a round finds nothing new, or {@link #THIN_ROUNDS} rounds in a row fill under a quarter of
     * themselves); returns the trials measured.
     */
    public int tune(int total, int perRound) {
        return rounds(total, perRound, this::tuneRound);
    }

    /** {@link #tune}'s loop over {@code round} (programs wanted → programs measured). */
    static int rounds(int total, int perRound, java.util.function.IntUnaryOperator round) {
        int done = 0;
        int thin = 0;
        while (done < total) {
            int want = Math.min(perRound, total - done);
            int m = round.applyAsInt(want);
            done += m;
            thin = 4 * m < want ? thin + 1 : 0;
            if (m == 0 || thin >= THIN_ROUNDS) {
                break;
            }
        }
        return done;
    }

    /**
     * Thin rounds in a row after which a space counts as exhausted: a small space (a custom rule's,
     * a tiny operator's) is found out program by program, each round a full evolution for one or
     * two new programs, so that its last few percent cost more time than all the rest.
     */
    static final int THIN_ROUNDS = 3;

    private double throughput(MeasureResult r) {
        if (!r.ok()) {
            return 0;
        }
        double sec = r.meanCost();
        if (!(sec > 0) || !Double.isFinite(sec)) {
            return 0;
        }
        return options.flops() > 0 ? options.flops() / sec : 1 / sec;
    }

    /** The fastest program measured (this run or resumed), if any succeeded. */
    public Optional<State> bestState() {
        return Optional.ofNullable(bestState);
    }

    /**
     * Candidates slower than this (on their first run) are not timed in full: {@link #SLOW_FACTOR}
     * times the best so far, but never under {@link #SLOW_FLOOR_SECONDS}, so that a short kernel's
     * first call (thread pool start, page faults) never passes for a slow program.
     */
    double slowSeconds() {
        return Double.isFinite(bestSeconds) ? Math.max(SLOW_FLOOR_SECONDS, SLOW_FACTOR * bestSeconds) : 0;
    }

    /** How many times slower than the best a program is when its first run is all the search needs. */
    static final double SLOW_FACTOR = 10;
    /** The shortest first run that may end a candidate's timing. */
    static final double SLOW_FLOOR_SECONDS = 0.1;

    /** Seconds of the fastest program; +∞ before any success. */
    public double bestSeconds() {
        return bestSeconds;
    }

    /** Trials measured by this tuner (not counting resumed records). */
    public int trials() {
        return trials;
    }

    /** Records loaded by {@link #resume}. */
    public int resumed() {
        return resumed;
    }

    /** Random programs in the last measured batch. */
    public int lastRandomCount() {
        return lastRandom;
    }

    /** Whether the candidate key is measured (this run or resumed). */
    public boolean isMeasured(String key) {
        return measured.contains(key);
    }

    public CostModel model() {
        return model;
    }

    /** Closes the records writer and the progress display (not the measurer or the model). */
    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
        progress.close();
    }
}
