package dev.lathe.graph.pass;

import dev.lathe.graph.Attribute;
import dev.lathe.graph.Constant;
import dev.lathe.graph.Graph;
import dev.lathe.graph.Node;
import dev.lathe.graph.TensorType;
import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs 2-D convolutions in NHWC: each eligible {@code Conv} (float32, one group, constant
 * weights, explicit padding, literal shapes) becomes {@code ConvNhwc} on weights transposed to
 * HWIO once, here, at compile time. Element-wise operators after a converted convolution follow
 * it into NHWC (their per-channel constants transposed too), so a chain of convolutions,
 * activations and residual additions has transposes only where it meets NCHW: at its input,
 * and where an NCHW operator (pooling, flatten, a graph output) reads it. Transposes back to
 * NCHW that nobody reads are dropped.
 * <p>
 * The pass applies only when there are at least two such convolutions and they dominate the graph's multiply-adds
 * ({@link #DOMINANCE} of those of Conv, MatMul and Gemm), where a channel-innermost layout lets
 * the inner loop vectorize over output channels; a graph of matrix products is left alone.
 */
public final class LayoutToNhwc {
    /** Share of the multiply-adds convolutions must have for the pass to apply. */
    public static final double DOMINANCE = 0.5;
    private static final List<Long> TO_NHWC = List.of(0L, 2L, 3L, 1L);
    private static final List<Long> TO_NCHW = List.of(0L, 3L, 1L, 2L);
    /** OIHW → HWIO. */
    private static final int[] TO_NHWC_WEIGHTS = {2, 3, 1, 0};
    private static final Set<String> FOLLOWERS = Set.of("Relu", "Add", "Sub", "Mul", "Div", "Sigmoid", "Tanh", "Clip",
            "LeakyRelu", "HardSigmoid", "HardSwish", "Max", "Min", "Elu", "Identity", "Neg", "Exp", "Abs", "Sqrt",
            "Gelu", "Erf");

    private LayoutToNhwc() {
    }

    /**
     * Converts when convolutions dominate and there are at least two to convert (one alone would
     * pay two transposes for nothing); returns {@code g} unchanged otherwise.
     */
    public static Graph run(Graph g) {
        long eligible = g.nodes().stream().filter(n -> eligibleConv(g, n)).count();
        return eligible >= 2 && convMacShare(g) >= DOMINANCE ? convert(g) : g;
    }

    /** Converts every eligible convolution, whatever the share. */
    public static Graph convert(Graph g) {
        Map<String, Constant> inits = new LinkedHashMap<>(g.initializers());
        Map<String, String> nhwcOf = new HashMap<>();
        List<Node> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (eligibleConv(g, n)) {
                String x = n.input(0);
                String xin = nhwcOf.get(x);
                if (xin == null) {
                    xin = fresh(g, x + "_nhwc");
                    out.add(transpose(x, xin, TO_NHWC));
                    // Later readers of x (a residual block's conv and its downsample) share this transpose.
                    nhwcOf.put(x, xin);
                }
                String w = fresh(g, n.input(1) + "_hwio");
                inits.putIfAbsent(w, new Constant(permute(inits.get(n.input(1)).data(), TO_NHWC_WEIGHTS)));
                List<String> ins = n.hasInput(2) ? List.of(xin, w, n.input(2)) : List.of(xin, w);
                Map<String, Attribute> attrs = new HashMap<>(n.attributes());
                attrs.remove("kernel_shape");
                attrs.remove("auto_pad");
                String y = fresh(g, n.outputs().getFirst() + "_nhwc");
                out.add(new Node(n.name(), "ConvNhwc", ins, List.of(y), attrs));
                out.add(transpose(y, n.outputs().getFirst(), TO_NCHW));
                nhwcOf.put(n.outputs().getFirst(), y);
                continue;
            }
            List<String> ins = follow(g, n, nhwcOf, inits);
            if (ins == null) {
                out.add(n);
                continue;
            }
            String y = fresh(g, n.outputs().getFirst() + "_nhwc");
            out.add(new Node(n.name(), n.opType(), ins, List.of(y), n.attributes()));
            out.add(transpose(y, n.outputs().getFirst(), TO_NCHW));
            nhwcOf.put(n.outputs().getFirst(), y);
        }
        if (nhwcOf.isEmpty()) {
            return g;
        }
        List<Node> live = deadNodesRemoved(out, g.outputs());
        Set<String> read = new HashSet<>(g.outputs());
        live.forEach(n -> read.addAll(n.inputs()));
        inits.keySet().removeIf(k -> !read.contains(k));
        return Rebuild.graph(g, inits, live);
    }

    private static boolean eligibleConv(Graph g, Node n) {
        if (!n.opType().equals("Conv") || n.outputs().size() != 1 || n.intAttr("group", 1) != 1
                || !n.stringAttr("auto_pad", "NOTSET").equals("NOTSET")) {
            return false;
        }
        TensorType x = g.type(n.input(0));
        Constant w = g.initializers().get(n.input(1));
        boolean biasOk = !n.hasInput(2) || g.initializers().containsKey(n.input(2));
        return x.rank() == 4 && x.isStatic() && x.dtype() == DType.FLOAT32 && w != null && biasOk;
    }

    /**
     * The NHWC inputs of an element-wise node that can follow its producer into NHWC, or null:
     * some input is an NHWC-converted value, every other one a converted value of the same
     * shape, a one-element constant or a per-channel constant ({@code [1,C,1,1]} or {@code [C,1,1]}).
     */
    private static List<String> follow(Graph g, Node n, Map<String, String> nhwcOf, Map<String, Constant> inits) {
        if (!FOLLOWERS.contains(n.opType()) || n.outputs().size() != 1
                || n.inputs().stream().noneMatch(nhwcOf::containsKey)) {
            return null;
        }
        TensorType outType = g.type(n.outputs().getFirst());
        List<String> ins = new ArrayList<>();
        for (String in : n.inputs()) {
            if (in.isEmpty()) {
                ins.add(in);
            } else if (nhwcOf.containsKey(in)) {
                if (!g.type(in).equals(outType)) {
                    return null;
                }
                ins.add(nhwcOf.get(in));
            } else if (inits.containsKey(in) && inits.get(in).data().size() == 1) {
                ins.add(in);
            } else if (inits.containsKey(in) && perChannel(inits.get(in).data(), outType)) {
                NDArray c = inits.get(in).data();
                long ch = c.size();
                long[] shape = c.ndim() == 4 ? new long[]{1, 1, 1, ch} : new long[]{1, 1, ch};
                String name = fresh(g, in + "_nhwc");
                inits.putIfAbsent(name, new Constant(NDArray.of(c.toFloatArray(), shape)));
                ins.add(name);
            } else {
                return null;
            }
        }
        return ins;
    }

    private static boolean perChannel(NDArray c, TensorType out) {
        long ch = out.staticShape()[1];
        long[] s = c.shape();
        return c.dtype() == DType.FLOAT32 && c.ndim() == 4 && s[0] == 1 && s[1] == ch && s[2] == 1 && s[3] == 1
                || c.dtype() == DType.FLOAT32 && c.ndim() == 3 && s[0] == ch && s[1] == 1 && s[2] == 1;
    }

    private static List<Node> deadNodesRemoved(List<Node> nodes, List<String> outputs) {
        Set<String> needed = new HashSet<>(outputs);
        List<Node> kept = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.outputs().stream().anyMatch(needed::contains)) {
                kept.addFirst(n);
                needed.addAll(n.inputs());
            }
        }
        return kept;
    }

    /** Multiply-adds of convolutions over those of convolutions and matrix products (0 with none). */
    static double convMacShare(Graph g) {
        double conv = 0;
        double all = 0;
        for (Node n : g.nodes()) {
            if (!Set.of("Conv", "MatMul", "Gemm").contains(n.opType()) || n.outputs().size() != 1) {
                continue;
            }
            TensorType y = g.type(n.outputs().getFirst());
            TensorType w = g.type(n.input(1));
            if (!y.isStatic() || !w.isStatic()) {
                continue;
            }
            long[] ws = w.staticShape();
            // Per output element: the weight's reduced extent (C/g·KH·KW for a conv, K for a product).
            double perOut = n.opType().equals("Conv") ? w.elementCount() / (double) ws[0]
                    : n.opType().equals("Gemm") && n.intAttr("transB", 0) != 0 ? ws[ws.length - 1] : ws[ws.length - 2];
            double macs = y.elementCount() * perOut;
            all += macs;
            if (n.opType().equals("Conv")) {
                conv += macs;
            }
        }
        return all == 0 ? 0 : conv / all;
    }

    private static Node transpose(String in, String out, List<Long> perm) {
        return new Node(out + "_transpose", "Transpose", List.of(in), List.of(out), Map.of("perm", new Attribute.Ints(perm)));
    }

    private static NDArray permute(NDArray a, int[] perm) {
        long[] s = a.shape();
        long[] t = new long[4];
        for (int d = 0; d < 4; d++) {
            t[d] = s[perm[d]];
        }
        NDArray r = NDArray.zeros(a.dtype(), t);
        long[] idx = new long[4];
        long[] strides = {s[1] * s[2] * s[3], s[2] * s[3], s[3], 1};
        for (long flat = 0; flat < r.size(); flat++) {
            long rem = flat;
            for (int d = 3; d >= 0; d--) {
                idx[d] = rem % t[d];
                rem /= t[d];
            }
            long src = 0;
            for (int d = 0; d < 4; d++) {
                src += idx[d] * strides[perm[d]];
            }
            r.setDouble(flat, a.getDouble(src));
        }
        return r;
    }

    private static String fresh(Graph g, String base) {
        String name = base;
        for (int i = 1; g.types().containsKey(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }
}
