package dev.lathe.autoschedule.model;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.IObjective;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gradient-boosted trees (XGBoost4J) on per-store features, in the manner of Ansor's XGBModel.
 *
 * <ul>
 *   <li><b>Training set.</b> Every candidate ever given to {@link #update} is kept; each update
 *   retrains from scratch on all of them (labels change as the best-so-far changes).</li>
 *   <li><b>Labels.</b> A candidate's label is its throughput divided by the best throughput of its
 *   task so far, so labels lie in {@code [0, 1]}; failures are {@code 0}. Every store row of the
 *   candidate carries the candidate's label.</li>
 *   <li><b>Pack-sum objective.</b> A candidate's prediction is the sum of its rows' predictions.
 *   The custom objective is the weighted squared error of that sum:
 *   {@code L = sum_c w_c (sum_{r in c} p_r - y_c)^2 / 2}, so each row of candidate {@code c} gets
 *   gradient {@code w_c (sum_c - y_c)} and hessian {@code w_c} (the diagonal of the exact
 *   hessian).</li>
 *   <li><b>Weights.</b> {@code w_c = max(y_c, minWeight)}: fast candidates count more (the search
 *   cares about the top), failures and slow ones still count a little so the model learns to
 *   avoid them. Ansor uses {@code w_c = y_c}, which ignores failures entirely.</li>
 * </ul>
 *
 * <p>Before any successful training {@link #predict} returns zeros; a candidate with no store
 * rows predicts {@code 0}. NaN features become {@code 0}, infinities the largest finite float of
 * their sign. Rows shorter than the widest row seen in training are padded with zeros, longer
 * ones are cut.
 *
 * <p>XGBoost runs on {@link Options#nthread} threads (1 by default). With more, set
 * {@code OMP_WAIT_POLICY=PASSIVE} in the JVM's environment (it cannot be set from Java once
 * libgomp is loaded): spinning OpenMP workers slow training badly on a shared machine.
 *
 * <p>Not thread-safe. {@link #close()} frees the native booster.
 */
public final class XgbCostModel implements CostModel, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(XgbCostModel.class);

    /**
     * Training parameters.
     *
     * @param rounds         boosting rounds per training
     * @param maxDepth       tree depth
     * @param eta            learning rate
     * @param minChildWeight XGBoost's {@code min_child_weight} (sum of hessians, i.e. of the
     *                       candidate weights, in a leaf)
     * @param minWeight      the floor of a candidate's weight (see the class comment)
     * @param nthread        XGBoost threads
     */
    public record Options(int rounds, int maxDepth, double eta, double minChildWeight, double minWeight,
                          int nthread) {
        public Options {
            if (rounds < 1 || maxDepth < 1 || !(eta > 0) || !(minChildWeight >= 0) || !(minWeight > 0)
                    || minWeight > 1 || nthread < 1) {
                throw new IllegalArgumentException("XgbCostModel.Options: rounds, maxDepth, nthread >= 1, "
                        + "eta > 0, minChildWeight >= 0, minWeight in (0, 1] needed");
            }
        }

        public static Options defaults() {
            return new Options(200, 6, 0.1, 0.0, 0.1, 1);
        }

        public Options withNthread(int n) {
            return new Options(rounds, maxDepth, eta, minChildWeight, minWeight, n);
        }

        public Options withRounds(int n) {
            return new Options(n, maxDepth, eta, minChildWeight, minWeight, nthread);
        }
    }

    private final long seed;
    private final Options options;
    private final List<float[][]> features = new ArrayList<>();
    private final List<Double> throughputs = new ArrayList<>();
    private final List<Integer> tasks = new ArrayList<>();
    private int width;
    private Booster model;

    public XgbCostModel(long seed) {
        this(seed, Options.defaults());
    }

    public XgbCostModel(long seed, Options options) {
        this.seed = seed;
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void update(List<float[][]> features, double[] throughputs) {
        update(features, throughputs, null);
    }

    /**
     * Like {@link #update(List, double[])}, for a model shared by several tasks: labels are
     * normalized by the best throughput of each candidate's own task.
     *
     * @param taskIds one per candidate, or {@code null} for one task
     */
    public void update(List<float[][]> features, double[] throughputs, int[] taskIds) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(throughputs, "throughputs");
        if (features.size() != throughputs.length || (taskIds != null && taskIds.length != throughputs.length)) {
            throw new IllegalArgumentException("update: " + features.size() + " candidates, "
                    + throughputs.length + " throughputs"
                    + (taskIds == null ? "" : ", " + taskIds.length + " task ids"));
        }
        for (int i = 0; i < throughputs.length; i++) {
            float[][] m = sanitize(features.get(i));
            for (float[] row : m) {
                width = Math.max(width, row.length);
            }
            this.features.add(m);
            double t = throughputs[i];
            this.throughputs.add(Double.isFinite(t) && t > 0 ? t : 0.0);
            this.tasks.add(taskIds == null ? 0 : taskIds[i]);
        }
        train();
    }

    @Override
    public double[] predict(List<float[][]> candidates) {
        Objects.requireNonNull(candidates, "features");
        double[] out = new double[candidates.size()];
        if (model == null) {
            return out;
        }
        int rows = 0;
        for (float[][] m : candidates) {
            rows += m == null ? 0 : m.length;
        }
        if (rows == 0) {
            return out;
        }
        float[] data = new float[rows * width];
        int[] owner = new int[rows];
        int r = 0;
        for (int c = 0; c < candidates.size(); c++) {
            float[][] m = sanitize(candidates.get(c));
            for (float[] row : m) {
                System.arraycopy(row, 0, data, r * width, Math.min(width, row.length));
                owner[r++] = c;
            }
        }
        try {
            DMatrix dm = new DMatrix(data, rows, width, Float.NaN);
            try {
                float[][] p = model.predict(dm, true, 0);
                for (int i = 0; i < rows; i++) {
                    out[owner[i]] += p[i][0];
                }
            } finally {
                dm.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("cost model prediction failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public int trainedOn() {
        return features.size();
    }

    /** Whether a trained booster is in place (false until a candidate succeeded). */
    public boolean trained() {
        return model != null;
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() {
        if (model != null) {
            model.dispose();
            model = null;
        }
    }

    private void train() {
        Map<Integer, Double> best = new HashMap<>();
        for (int i = 0; i < throughputs.size(); i++) {
            best.merge(tasks.get(i), throughputs.get(i), Math::max);
        }
        if (best.values().stream().noneMatch(b -> b > 0) || width == 0) {
            return; // nothing succeeded yet, or no rows at all: keep what we have (zeros)
        }
        int rows = 0;
        int packs = 0;
        for (float[][] m : features) {
            rows += m.length;
            packs += m.length > 0 ? 1 : 0;
        }
        float[] data = new float[rows * width];
        float[] labels = new float[rows];
        int[] pack = new int[rows];
        float[] packLabel = new float[packs];
        float[] packWeight = new float[packs];
        int r = 0;
        int p = 0;
        for (int c = 0; c < features.size(); c++) {
            float[][] m = features.get(c);
            if (m.length == 0) {
                continue;
            }
            double b = best.get(tasks.get(c));
            float y = b > 0 ? (float) (throughputs.get(c) / b) : 0f;
            packLabel[p] = y;
            packWeight[p] = (float) Math.max(y, options.minWeight());
            for (float[] row : m) {
                System.arraycopy(row, 0, data, r * width, row.length);
                labels[r] = y;
                pack[r] = p;
                r++;
            }
            p++;
        }
        long start = System.nanoTime();
        try {
            DMatrix train = new DMatrix(data, rows, width, Float.NaN);
            try {
                train.setLabel(labels);
                Booster next = XGBoost.train(train, params(), options.rounds(), new HashMap<>(),
                        new PackSumSquaredError(pack, packLabel, packWeight), null);
                close();
                model = next;
            } finally {
                train.dispose();
            }
        } catch (XGBoostError e) {
            LOG.warn("cost model training failed, keeping the previous model: {}", e.getMessage());
        }
        LOG.debug("cost model trained on {} candidates ({} rows x {}) in {} ms", packs, rows, width,
                (System.nanoTime() - start) / 1_000_000);
    }

    private Map<String, Object> params() {
        Map<String, Object> params = new HashMap<>();
        params.put("booster", "gbtree");
        params.put("tree_method", "hist");
        params.put("max_depth", options.maxDepth());
        params.put("eta", options.eta());
        params.put("gamma", 0.001);
        params.put("min_child_weight", options.minChildWeight());
        params.put("base_score", 0.0);
        params.put("nthread", options.nthread());
        params.put("seed", (int) (seed ^ (seed >>> 32)) & 0x7fffffff);
        params.put("verbosity", 0);
        params.put("disable_default_eval_metric", 1);
        return params;
    }

    /** A copy with NaN as 0 and infinities as the largest finite float of their sign; null is no rows. */
    static float[][] sanitize(float[][] m) {
        if (m == null) {
            return new float[0][];
        }
        float[][] out = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
            float[] row = Objects.requireNonNull(m[i], "feature row");
            float[] copy = Arrays.copyOf(row, row.length);
            for (int j = 0; j < copy.length; j++) {
                float v = copy[j];
                if (Float.isNaN(v)) {
                    copy[j] = 0f;
                } else if (v == Float.POSITIVE_INFINITY) {
                    copy[j] = Float.MAX_VALUE;
                } else if (v == Float.NEGATIVE_INFINITY) {
                    copy[j] = -Float.MAX_VALUE;
                }
            }
            out[i] = copy;
        }
        return out;
    }

    /** Weighted squared error of the per-candidate sum of row predictions (Ansor's pack-sum). */
    private static final class PackSumSquaredError implements IObjective {
        private static final long serialVersionUID = 1L;
        private final int[] pack;
        private final float[] packLabel;
        private final float[] packWeight;

        PackSumSquaredError(int[] pack, float[] packLabel, float[] packWeight) {
            this.pack = pack;
            this.packLabel = packLabel;
            this.packWeight = packWeight;
        }

        @Override
        public List<float[]> getGradient(float[][] predicts, DMatrix dtrain) {
            double[] sum = new double[packLabel.length];
            for (int i = 0; i < pack.length; i++) {
                sum[pack[i]] += predicts[i][0];
            }
            float[] grad = new float[pack.length];
            float[] hess = new float[pack.length];
            for (int i = 0; i < pack.length; i++) {
                int c = pack[i];
                grad[i] = (float) (packWeight[c] * (sum[c] - packLabel[c]));
                hess[i] = packWeight[c];
            }
            return List.of(grad, hess);
        }
    }
}
