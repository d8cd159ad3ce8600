package dev.lathe.graph.pass;

import dev.lathe.graph.Constant;
import dev.lathe.graph.Graph;
import dev.lathe.graph.Node;
import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds an inference-mode {@code BatchNormalization} into the {@code Conv} that feeds it when the
 * convolution's weights and the normalization's parameters are constants and nothing else reads
 * the convolution's output: with {@code s = scale / sqrt(var + eps)} per output channel,
 * {@code W' = W · s} and {@code B' = (B - mean) · s + bias}. The Conv then writes the
 * normalization's output, and one node (one kernel, one pass over memory) disappears.
 */
public final class FoldBatchNorm {
    private FoldBatchNorm() {
    }

    public static Graph run(Graph g) {
        Map<String, Integer> readers = new HashMap<>();
        for (Node n : g.nodes()) {
            n.inputs().forEach(i -> readers.merge(i, 1, Integer::sum));
        }
        g.outputs().forEach(o -> readers.merge(o, 1, Integer::sum));
        Map<String, Node> producer = new HashMap<>();
        g.nodes().forEach(n -> n.outputs().forEach(o -> producer.put(o, n)));
        Map<String, Constant> inits = new LinkedHashMap<>(g.initializers());
        Map<Node, Node> replaced = new HashMap<>();
        List<Node> dropped = new ArrayList<>();
        for (Node bn : g.nodes()) {
            if (!bn.opType().equals("BatchNormalization") || bn.outputs().size() != 1
                    || bn.intAttr("training_mode", 0) != 0) {
                continue;
            }
            Node conv = producer.get(bn.input(0));
            if (conv == null || !conv.opType().equals("Conv") || readers.getOrDefault(bn.input(0), 0) != 1
                    || replaced.containsKey(conv)) {
                continue;
            }
            Constant w = inits.get(conv.input(1));
            Constant b = conv.hasInput(2) ? inits.get(conv.input(2)) : null;
            List<Constant> p = bn.inputs().subList(1, 5).stream().map(inits::get).toList();
            if (w == null || w.data().dtype() != DType.FLOAT32 || conv.hasInput(2) && b == null || p.contains(null)) {
                continue;
            }
            double eps = bn.floatAttr("epsilon", 1e-5);
            String wName = fresh(inits, conv.name() + "_w_bn");
            String bName = fresh(inits, conv.name() + "_b_bn");
            NDArray[] folded = fold(w.data(), b == null ? null : b.data(), p, eps);
            inits.put(wName, new Constant(folded[0]));
            inits.put(bName, new Constant(folded[1]));
            List<String> ins = List.of(conv.input(0), wName, bName);
            replaced.put(conv, new Node(conv.name(), "Conv", ins, bn.outputs(), conv.attributes()));
            dropped.add(bn);
        }
        if (replaced.isEmpty()) {
            return g;
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!dropped.contains(n)) {
                nodes.add(replaced.getOrDefault(n, n));
            }
        }
        return Rebuild.graph(g, unread(inits, nodes, g), nodes);
    }

    /** W' and B' for weights {@code w[M, ...]}, bias {@code b[M]} (or none) and scale, bias, mean, var. */
    private static NDArray[] fold(NDArray w, NDArray b, List<Constant> p, double eps) {
        long m = w.dim(0);
        long per = w.size() / m;
        NDArray w2 = NDArray.zeros(DType.FLOAT32, w.shape());
        NDArray b2 = NDArray.zeros(DType.FLOAT32, m);
        for (long c = 0; c < m; c++) {
            double s = p.get(0).data().getDouble(c) / Math.sqrt(p.get(3).data().getDouble(c) + eps);
            for (long i = 0; i < per; i++) {
                w2.setDouble(c * per + i, w.getDouble(c * per + i) * s);
            }
            double bias = b == null ? 0 : b.getDouble(c);
            b2.setDouble(c, (bias - p.get(2).data().getDouble(c)) * s + p.get(1).data().getDouble(c));
        }
        return new NDArray[]{w2, b2};
    }

    private static Map<String, Constant> unread(Map<String, Constant> inits, List<Node> nodes, Graph g) {
        java.util.Set<String> read = new java.util.HashSet<>(g.outputs());
        nodes.forEach(n -> read.addAll(n.inputs()));
        Map<String, Constant> kept = new LinkedHashMap<>();
        inits.forEach((k, v) -> {
            if (read.contains(k)) {
                kept.put(k, v);
            }
        });
        return kept;
    }

    private static String fresh(Map<String, Constant> inits, String base) {
        String name = base;
        for (int i = 1; inits.containsKey(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

}
