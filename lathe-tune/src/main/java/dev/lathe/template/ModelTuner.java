package dev.lathe.template;

import dev.lathe.measure.MeasureResult;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model-based tuner: gradient-boosted trees (XGBoost) regress the log throughput
 * ({@code -log cost}) of measured configs on their knob features, retrained after every batch.
 * Candidates come from simulated annealing on the model's prediction, started from the best
 * measured configs and from random ones, plus a random sample of the space; the batch takes the
 * top predicted unvisited candidates, and an {@code epsilon} share of random configs to keep
 * exploring. Until {@code minTrain} results are in, proposals are random. Failed configs are
 * trained with a label below the worst success, so the model learns to avoid them.
 */
public final class ModelTuner extends Tuner {
    private static final Logger LOG = LoggerFactory.getLogger(ModelTuner.class);

    private final double epsilon;
    private final int minTrain;
    private final int sampleSize;
    private final int annealPoints;
    private final int annealSteps;
    private final int rounds;

    private final List<double[]> features = new ArrayList<>();
    private final List<MeasureResult> labels = new ArrayList<>();
    private final Map<Long, Double> measuredScore = new HashMap<>();
    private final Map<Long, Config> measured = new LinkedHashMap<>();
    private Booster model;

    public ModelTuner() {
        this(0.05, 16, 1024, 64, 40, 60);
    }

    /**
     * @param epsilon     share of each batch proposed at random
     * @param minTrain    results needed before the model is used
     * @param sampleSize  random configs scored per batch besides the annealed ones
     * @param annealPoints walkers of the simulated annealing
     * @param annealSteps steps of each walker
     * @param rounds      boosting rounds per training
     */
    public ModelTuner(double epsilon, int minTrain, int sampleSize, int annealPoints, int annealSteps, int rounds) {
        if (epsilon < 0 || epsilon > 1 || minTrain < 1 || sampleSize < 0 || annealPoints < 0 || annealSteps < 0
                || rounds < 1) {
            throw new IllegalArgumentException("ModelTuner: epsilon in [0, 1], minTrain >= 1, rounds >= 1 and "
                    + "non-negative sample sizes needed");
        }
        this.epsilon = epsilon;
        this.minTrain = minTrain;
        this.sampleSize = sampleSize;
        this.annealPoints = annealPoints;
        this.annealSteps = annealSteps;
        this.rounds = rounds;
    }

    @Override
    protected void reset() {
        features.clear();
        labels.clear();
        measuredScore.clear();
        measured.clear();
        disposeModel();
    }

    @Override
    protected List<Config> nextBatch(int n) {
        if (model == null) {
            return randomBatch(n, Set.of());
        }
        int explore = (int) Math.round(n * epsilon);
        Map<Long, Config> candidates = new LinkedHashMap<>();
        for (Config c : randomBatch(sampleSize, Set.of())) {
            candidates.put(c.index(), c);
        }
        anneal(candidates);
        List<Config> pool = new ArrayList<>(candidates.values());
        pool.removeIf(this::isVisited);
        double[] scores = predict(pool);
        Integer[] order = new Integer[pool.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]));
        List<Config> out = new ArrayList<>();
        Set<Long> taken = new HashSet<>();
        for (int i = 0; i < order.length && out.size() < n - explore; i++) {
            Config c = pool.get(order[i]);
            if (taken.add(c.index())) {
                out.add(c);
            }
        }
        out.addAll(randomBatch(n - out.size(), taken));
        return out;
    }

    /** Simulated annealing on the model's score; every config visited on the way becomes a candidate. */
    private void anneal(Map<Long, Config> candidates) {
        if (annealPoints == 0 || annealSteps == 0) {
            return;
        }
        List<Config> points = new ArrayList<>();
        measured.values().stream()
                .sorted(Comparator.comparingDouble((Config c) -> -measuredScore.get(c.index())))
                .limit(annealPoints / 2)
                .forEach(points::add);
        while (points.size() < annealPoints) {
            points.add(space.random(rng));
        }
        double[] current = predict(points);
        int knobs = space.knobs().size();
        for (int step = 0; step < annealSteps; step++) {
            double temperature = 1.0 - (double) step / annealSteps;
            List<Config> next = new ArrayList<>(points.size());
            for (Config p : points) {
                int k = rng.nextInt(knobs);
                next.add(p.with(k, rng.nextInt(space.knobs().get(k).size())));
            }
            double[] s = predict(next);
            for (int i = 0; i < points.size(); i++) {
                double delta = s[i] - current[i];
                if (delta >= 0 || rng.nextDouble() < Math.exp(delta / Math.max(1e-3, temperature * 0.5))) {
                    points.set(i, next.get(i));
                    current[i] = s[i];
                }
                candidates.putIfAbsent(next.get(i).index(), next.get(i));
            }
        }
    }

    @Override
    protected void update(List<Config> configs, List<MeasureResult> results) {
        for (int i = 0; i < configs.size(); i++) {
            features.add(configs.get(i).features());
            labels.add(results.get(i));
            MeasureResult r = results.get(i);
            measuredScore.put(configs.get(i).index(), r.ok() ? -Math.log(r.meanCost()) : Double.NEGATIVE_INFINITY);
            measured.put(configs.get(i).index(), configs.get(i));
        }
        if (labels.size() >= minTrain && labels.stream().anyMatch(MeasureResult::ok)) {
            train();
        }
    }

    private void train() {
        double worst = labels.stream().filter(MeasureResult::ok).mapToDouble(r -> -Math.log(r.meanCost())).min().orElse(0);
        double bestLabel = labels.stream().filter(MeasureResult::ok).mapToDouble(r -> -Math.log(r.meanCost())).max().orElse(0);
        float fail = (float) (worst - Math.max(0.5, bestLabel - worst));
        float[] y = new float[labels.size()];
        for (int i = 0; i < y.length; i++) {
            MeasureResult r = labels.get(i);
            y[i] = r.ok() ? (float) (-Math.log(r.meanCost())) : fail;
        }
        try {
            DMatrix train = matrix(features);
            train.setLabel(y);
            Map<String, Object> params = new HashMap<>();
            params.put("objective", "reg:squarederror");
            params.put("eta", 0.2);
            params.put("max_depth", 6);
            params.put("min_child_weight", 1);
            params.put("subsample", 1.0);
            params.put("nthread", 1);
            params.put("seed", (int) (rng.nextInt() & 0x7fffffff));
            params.put("verbosity", 0);
            Booster next = XGBoost.train(train, params, rounds, new HashMap<>(), null, null);
            train.dispose();
            disposeModel();
            model = next;
        } catch (XGBoostError e) {
            LOG.warn("cost model training failed, proposing at random: {}", e.getMessage());
            disposeModel();
        }
    }

    private double[] predict(List<Config> configs) {
        if (configs.isEmpty()) {
            return new double[0];
        }
        List<double[]> f = new ArrayList<>(configs.size());
        for (Config c : configs) {
            f.add(c.features());
        }
        try {
            DMatrix m = matrix(f);
            float[][] p = model.predict(m);
            m.dispose();
            double[] out = new double[configs.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = p[i][0];
            }
            return out;
        } catch (XGBoostError e) {
            throw new IllegalStateException("cost model prediction failed: " + e.getMessage(), e);
        }
    }

    private DMatrix matrix(List<double[]> rows) throws XGBoostError {
        int cols = space.featureLength();
        float[] data = new float[rows.size() * Math.max(1, cols)];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < cols; j++) {
                data[i * cols + j] = (float) rows.get(i)[j];
            }
        }
        return new DMatrix(data, rows.size(), Math.max(1, cols), Float.NaN);
    }

    private void disposeModel() {
        if (model != null) {
            model.dispose();
            model = null;
        }
    }
}
