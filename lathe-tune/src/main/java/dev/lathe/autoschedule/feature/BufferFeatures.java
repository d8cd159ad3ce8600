package dev.lathe.autoschedule.feature;

import dev.lathe.autoschedule.feature.FeatureExtractor.Access;
import dev.lathe.autoschedule.feature.FeatureExtractor.Loop;
import dev.lathe.tir.For;

import java.util.List;
import java.util.Map;

import static dev.lathe.autoschedule.feature.FeatureNames.BUF;

/**
 * The per-buffer part of a store's features ({@link FeatureNames#BUF}): access kind, bytes and
 * unique bytes and cache lines touched, reuse distances and strides, computed from the affine
 * coefficients of the loop variables in the accesses' indices.
 */
final class BufferFeatures {
    private static final double CACHE_LINE = 64;

    private BufferFeatures() {
    }

    /** The {@link FeatureNames#BUF} features of one buffer (raw values). */
    static double[] of(String name, List<Access> as, List<Loop> loops, double prod, double[] suffixBytes,
                       Map<For, Map<String, Integer>> loopBuffers) {
        int n = loops.size();
        double[] f = new double[BUF.length];
        boolean r = as.stream().anyMatch(a -> !a.write());
        boolean w = as.stream().anyMatch(Access::write);
        f[r && w ? 2 : w ? 1 : 0] = 1;
        int eb = as.getFirst().elemBytes();
        double bytes = prod * as.size() * eb;
        double unique = 0;
        double lines = 0;
        double uniqueLines = 0;
        double stride = 0;
        boolean dd = false;
        for (Access a : as) {
            double fp = footprint(a, loops, 0);
            unique = Math.max(unique, fp * eb);
            int last = a.shape().length - 1;
            double lastSpan = last < 0 ? 1 : span(a, loops, 0, last);
            double ul = last < 0 ? 1 : fp / lastSpan * Math.ceil(lastSpan * eb / CACHE_LINE);
            uniqueLines = Math.max(uniqueLines, ul);
            double[] flat = flatCoef(a, n);
            int innermost = -1;
            for (int l = 0; l < n; l++) {
                if (Double.isNaN(flat[l]) || flat[l] != 0) {
                    innermost = l;
                }
            }
            // iterations down to the innermost loop that moves the address: loops inside it reuse its line
            double varying = 1;
            for (int l = 0; l <= innermost; l++) {
                varying *= loops.get(l).extent();
            }
            double strideElems;
            if (innermost < 0) {
                strideElems = 0;
            } else if (Double.isNaN(flat[innermost])) {
                strideElems = elements(a);
            } else {
                strideElems = Math.abs(flat[innermost]);
            }
            stride = Math.max(stride, strideElems);
            double perIter = innermost < 0 ? 1 : Math.min(1, strideElems * eb / CACHE_LINE);
            lines = Math.max(lines, varying * perIter);
            dd |= a.dataDependent();
        }
        lines = Math.max(lines, uniqueLines);
        // reuse: the innermost loop of extent > 1 whose variable no access of the buffer uses
        int reuseLoop = -1;
        for (int l = n - 1; l >= 0 && reuseLoop < 0; l--) {
            if (loops.get(l).extent() <= 1) {
                continue;
            }
            boolean used = false;
            for (Access a : as) {
                for (boolean[] dep : a.depends()) {
                    used |= dep[l];
                }
            }
            if (!used) {
                reuseLoop = l;
            }
        }
        double reuseCt = 0;
        double disIter = 0;
        double disBytes = 0;
        if (reuseLoop >= 0) {
            f[7] = 1;
            reuseCt = loops.get(reuseLoop).extent();
            disIter = 1;
            for (int l = reuseLoop + 1; l < n; l++) {
                disIter *= loops.get(l).extent();
            }
            disBytes = suffixBytes[reuseLoop + 1];
        } else {
            int serial = -1;
            int count = 0;
            for (int l = n - 1; l >= 0 && serial < 0; l--) {
                Integer c = loopBuffers.getOrDefault(loops.get(l).node(), Map.of()).get(name);
                if (c != null && c > 1) {
                    serial = l;
                    count = c;
                }
            }
            if (serial >= 0) {
                f[8] = 1;
                reuseCt = count - 1;
                disIter = 1;
                for (int l = serial + 1; l < n; l++) {
                    disIter *= loops.get(l).extent();
                }
                disBytes = suffixBytes[serial + 1];
            } else {
                f[9] = 1;
            }
        }
        double div = reuseCt > 0 ? reuseCt : 1;
        f[3] = bytes;
        f[4] = unique;
        f[5] = lines;
        f[6] = uniqueLines;
        f[10] = disIter;
        f[11] = disBytes;
        f[12] = reuseCt;
        f[13] = bytes / div;
        f[14] = unique / div;
        f[15] = lines / div;
        f[16] = uniqueLines / div;
        f[17] = stride;
        f[18] = dd ? 1 : 0;
        return f;
    }

    static double elements(Access a) {
        double e = 1;
        for (double s : a.shape()) {
            e *= s;
        }
        return e;
    }

    /** Coefficients of the loop variables in the row-major offset (NaN where not affine, 0 where unused). */
    static double[] flatCoef(Access a, int n) {
        double[] flat = new double[n];
        double stride = 1;
        for (int d = a.shape().length - 1; d >= 0; d--) {
            for (int l = 0; l < n; l++) {
                if (a.depends()[d][l]) {
                    flat[l] += a.coef()[d][l] * stride;
                }
            }
            stride *= a.shape()[d];
        }
        return flat;
    }

    /** Elements of the buffer one access touches while loops {@code from..} run (a bounding box). */
    static double footprint(Access a, List<Loop> loops, int from) {
        double fp = 1;
        for (int d = 0; d < a.shape().length; d++) {
            fp *= span(a, loops, from, d);
        }
        return fp;
    }

    static double span(Access a, List<Loop> loops, int from, int d) {
        double affine = 1;
        double product = 1;
        boolean nonAffine = false;
        for (int l = from; l < loops.size(); l++) {
            if (!a.depends()[d][l]) {
                continue;
            }
            double e = loops.get(l).extent();
            product *= e;
            double c = a.coef()[d][l];
            if (Double.isNaN(c)) {
                nonAffine = true;
            } else {
                affine += Math.abs(c) * Math.max(0, e - 1);
            }
        }
        return Math.max(1, Math.min(a.shape()[d], nonAffine ? product : affine));
    }
}
