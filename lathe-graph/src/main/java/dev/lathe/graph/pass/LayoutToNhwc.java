package dev.lathe.graph.pass;

import dev.lathe.graph.Attribute;
import dev.lathe.graph.Constant;
import dev.lathe.graph.Graph;
import dev.lathe.graph.Node;
import dev.lathe.graph.TensorType;
import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs 2-D convolutions and the pooling after them in NHWC: each eligible {@code Conv} (float32,
 * constant weights, literal shapes; any groups, padding explicit or automatic) becomes
 * {@code ConvNhwc} on weights transposed to HWIO once, here, at compile time — or
 * {@code DepthwiseConvNhwc} when it has one group per input channel. Pooling (max, average,
 * global) and element-wise operators after a converted value follow it into NHWC (per-channel
 * constants transposed too), so a chain of convolutions, activations, residual additions and
 * pools has transposes only where it meets NCHW: at its input, and where an NCHW operator
 * (flatten, a matrix product, a graph output) reads it. Transposes back to NCHW that nobody
 * reads are dropped.
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
            Node r = rewrite(g, n, nhwcOf, inits, out);
            if (r == null) {
                out.add(n);
                continue;
            }
            out.add(r);
            out.add(transpose(r.outputs().getFirst(), n.outputs().getFirst(), TO_NCHW));
            nhwcOf.put(n.outputs().getFirst(), r.outputs().getFirst());
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

    /**
     * The NHWC form of a node, writing a fresh value, or null when it stays: a convolution
     * always converts (transposing its input when that is not converted yet), a pooling only
     * after a converted value, an element-wise node as {@link #follow} says.
     */
    private static Node rewrite(Graph g, Node n, Map<String, String> nhwcOf, Map<String, Constant> inits,
                                List<Node> out) {
        String y = fresh(g, n.outputs().getFirst() + "_nhwc");
        if (eligibleConv(g, n)) {
            String x = n.input(0);
            String xin = nhwcOf.get(x);
            if (xin == null) {
                xin = fresh(g, x + "_nhwc");
                out.add(transpose(x, xin, TO_NHWC));
                // Later readers of x (a residual block's conv and its downsample) share this transpose.
                nhwcOf.put(x, xin);
            }
            return conv(g, n, xin, y, inits);
        }
        if (eligiblePool(g, n) && nhwcOf.containsKey(n.input(0))) {
            Map<String, Attribute> attrs = new HashMap<>(n.attributes());
            if (!n.opType().startsWith("Global")) {
                attrs.put("pads", ints(explicitPads(g, n, n.intsAttr("kernel_shape"))));
                attrs.remove("auto_pad");
                attrs.remove("storage_order");
            }
            return new Node(n.name(), n.opType() + "Nhwc", List.of(nhwcOf.get(n.input(0))), List.of(y), attrs);
        }
        List<String> ins = follow(g, n, nhwcOf, inits);
        return ins == null ? null : new Node(n.name(), n.opType(), ins, List.of(y), n.attributes());
    }

    /**
     * {@code ConvNhwc} on weights transposed OIHW → HWIO, or for a depthwise convolution
     * (one group per input channel) {@code DepthwiseConvNhwc} on the same data read as {@code [KH,KW,C,M]}.
     */
    private static Node conv(Graph g, Node n, String xin, String y, Map<String, Constant> inits) {
        NDArray w = inits.get(n.input(1)).data();
        long cin = g.type(n.input(0)).staticShape()[1];
        long group = n.intAttr("group", 1);
        boolean depthwise = group > 1 && group == cin && w.dim(1) == 1;
        String wn = fresh(g, n.input(1) + (depthwise ? "_hwcm" : "_hwio"));
        if (!inits.containsKey(wn)) {
            NDArray hwio = permute(w, TO_NHWC_WEIGHTS);
            inits.put(wn, new Constant(depthwise ? NDArray.wrap(hwio.dtype(), hwio.segment(), hwio.dim(0), hwio.dim(1),
                    cin, w.dim(0) / cin) : hwio));
        }
        List<String> ins = n.hasInput(2) ? List.of(xin, wn, n.input(2)) : List.of(xin, wn);
        Map<String, Attribute> attrs = new HashMap<>(n.attributes());
        attrs.put("pads", ints(explicitPads(g, n, new long[] {w.dim(2), w.dim(3)})));
        attrs.remove("kernel_shape");
        attrs.remove("auto_pad");
        if (depthwise) {
            attrs.remove("group");
        }
        return new Node(n.name(), depthwise ? "DepthwiseConvNhwc" : "ConvNhwc", ins, List.of(y), attrs);
    }

    private static boolean eligibleConv(Graph g, Node n) {
        if (!n.opType().equals("Conv") || n.outputs().size() != 1) {
            return false;
        }
        TensorType x = g.type(n.input(0));
        Constant w = g.initializers().get(n.input(1));
        boolean biasOk = !n.hasInput(2) || g.initializers().containsKey(n.input(2));
        return x.rank() == 4 && x.isStatic() && x.dtype() == DType.FLOAT32 && w != null && w.data().ndim() == 4
                && biasOk && explicitPads(g, n, new long[] {w.data().dim(2), w.data().dim(3)}) != null;
    }

    /**
     * A 2-D float32 pooling of literal shapes that lathe-ops computes in NHWC: global pools, and
     * max and average pools whose padding is smaller than the window (average ones undilated).
     */
    private static boolean eligiblePool(Graph g, Node n) {
        boolean global = n.opType().equals("GlobalAveragePool") || n.opType().equals("GlobalMaxPool");
        boolean window = n.opType().equals("MaxPool") || n.opType().equals("AveragePool");
        if (!global && !window || n.outputs().size() != 1) {
            return false;
        }
        TensorType x = g.type(n.input(0));
        if (x.rank() != 4 || !x.isStatic() || x.dtype() != DType.FLOAT32) {
            return false;
        }
        if (global) {
            return true;
        }
        long[] k = n.intsAttr("kernel_shape");
        long[] dil = n.intsAttr("dilations");
        if (k == null || k.length != 2
                || n.opType().equals("AveragePool") && dil != null && Arrays.stream(dil).anyMatch(d -> d != 1)) {
            return false;
        }
        long[] pads = explicitPads(g, n, k);
        return pads != null && pads[0] < k[0] && pads[2] < k[0] && pads[1] < k[1] && pads[3] < k[1];
    }

    /**
     * The padding (top, left, bottom, right) of a 2-D window over node {@code n}'s input, with
     * {@code auto_pad} resolved on the literal input shape; null for an unknown {@code auto_pad}.
     */
    static long[] explicitPads(Graph g, Node n, long[] kernel) {
        long[] pads = n.intsAttr("pads");
        long[] strides = n.intsAttr("strides");
        long[] dil = n.intsAttr("dilations");
        long[] shape = g.type(n.input(0)).staticShape();
        String autoPad = n.stringAttr("auto_pad", "NOTSET");
        long[] r = new long[4];
        for (int d = 0; d < 2; d++) {
            long s = strides == null ? 1 : strides[d];
            long k = (dil == null ? 1 : dil[d]) * (kernel[d] - 1) + 1;
            switch (autoPad) {
                case "NOTSET" -> {
                    r[d] = pads == null ? 0 : pads[d];
                    r[d + 2] = pads == null ? 0 : pads[d + 2];
                }
                case "VALID" -> { }
                case "SAME_UPPER", "SAME_LOWER" -> {
                    long in = shape[d + 2];
                    long total = Math.max(0, (Math.ceilDiv(in, s) - 1) * s + k - in);
                    r[d] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                    r[d + 2] = total - r[d];
                }
                default -> {
                    return null;
                }
            }
        }
        return r;
    }

    private static Attribute ints(long[] v) {
        return new Attribute.Ints(Arrays.stream(v).boxed().toList());
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
