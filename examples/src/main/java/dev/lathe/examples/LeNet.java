package dev.lathe.examples;

import dev.lathe.autoschedule.AutoScheduler;
import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.ir.IntImm;
import dev.lathe.measure.LocalMeasurer;
import dev.lathe.measure.RunOptions;
import dev.lathe.measure.SearchTask;
import dev.lathe.measure.Target;
import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.Elementwise;
import dev.lathe.ops.Layout;
import dev.lathe.ops.Linalg;
import dev.lathe.ops.Norm;
import dev.lathe.ops.Pool;
import dev.lathe.ops.Pool2dParams;
import dev.lathe.ops.Transform;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static dev.lathe.te.Te.placeholder;

/**
 * A LeNet-like CNN (N1) written directly with tensor expressions and {@code lathe-ops}, no graph IR:
 * on a {@code [batch,1,28,28]} image, a 5×5 convolution to 6 channels ("same" padding), relu, 2×2 max
 * pool, a 5×5 convolution to 16 channels, relu, 2×2 max pool, a dense layer 400→120 with relu and
 * a dense layer 120→10 with softmax.
 *
 * <p>Each layer is its own DAG (its input and weights are placeholders), so each is a workload of
 * its own: scheduled by the static mode, tuned as one task among the network's sharing a budget,
 * and checked against the reference evaluator layer by layer.
 */
public final class LeNet {
    /** One layer: its DAG, the placeholder of its activation input, its weight placeholders, its output. */
    public record Layer(String name, ComputeDag dag, Tensor input, List<Tensor> weights, Tensor output) {
    }

    private final int batch;
    private final List<Layer> layers;

    private LeNet(int batch, List<Layer> layers) {
        this.batch = batch;
        this.layers = List.copyOf(layers);
    }

    /** Declares the network for {@code batch} images. */
    public static LeNet declare(int batch) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        List<Layer> ls = new ArrayList<>();
        Tensor x = placeholder(List.of(batch, 1, 28, 28), DType.FLOAT32, "image");
        Tensor c1 = convRelu(ls, "conv1", x, 6, 2);
        Tensor p1 = pool(ls, "pool1", c1);
        Tensor c2 = convRelu(ls, "conv2", p1, 16, 0);
        Tensor p2 = pool(ls, "pool2", c2);
        Tensor f1 = dense(ls, "fc1", p2, 120, false);
        dense(ls, "fc2", f1, 10, true);
        return new LeNet(batch, ls);
    }

    public int batch() {
        return batch;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Random weights for every layer (He-initialized), by placeholder name. */
    public Map<String, NDArray> randomWeights(long seed) {
        Random rng = new Random(seed);
        Map<String, NDArray> w = new HashMap<>();
        for (Layer l : layers) {
            for (Tensor t : l.weights()) {
                long[] shape = shape(t);
                double std = shape.length == 1 ? 0.05 : Math.sqrt(2.0 / (shape.length == 4 ? shape[1] * shape[2] * shape[3] : shape[1]));
                NDArray a = NDArray.zeros(DType.FLOAT32, shape);
                for (long i = 0; i < a.size(); i++) {
                    a.setDouble(i, std * rng.nextGaussian());
                }
                w.put(t.name(), a);
            }
        }
        return w;
    }

    /** The network compiled layer by layer with {@code scheduler}, ready to run with these weights. */
    public Compiled compile(Function<ComputeDag, State> scheduler, Map<String, NDArray> weights) {
        List<Module> modules = new ArrayList<>();
        for (Layer l : layers) {
            modules.add(Build.build(scheduler.apply(l.dag()), "lenet_" + l.name()));
        }
        return new Compiled(modules, weights);
    }

    /** The network under the auto-scheduler's static mode for the host. */
    public Compiled compileStatic(Map<String, NDArray> weights) {
        Target host = Target.host();
        return compile(dag -> AutoScheduler.schedule(dag, host), weights);
    }

    /**
     * Tunes the layers as tasks sharing {@code trials} measured trials (recorded in {@code records})
     * and returns the network compiled with each layer's best program.
     */
    public Compiled tune(int trials, Path records, Map<String, NDArray> weights) {
        List<AutoScheduler.Job> jobs = new ArrayList<>();
        for (Layer l : layers) {
            jobs.add(new AutoScheduler.Job(l.name(), SearchTask.of(l.dag()), 1, 0));
        }
        // Rounds small enough that a tiny budget still reaches every layer.
        int perRound = Math.clamp(trials / layers.size(), 1, 16);
        RunOptions run = RunOptions.defaults().withTiming(1, 3, 20).withTimeoutSeconds(10);
        try (LocalMeasurer measurer = LocalMeasurer.create(run)) {
            List<Module> modules = AutoScheduler.tune(jobs, trials, records, measurer, perRound).stream()
                    .map(AutoScheduler.Tuned::module).toList();
            return new Compiled(modules, weights);
        }
    }

    /** Runs the layers with the reference evaluator (exact loops in Java): the result compiled code must match. */
    public NDArray reference(NDArray image, Map<String, NDArray> weights) {
        NDArray act = image;
        for (Layer l : layers) {
            Map<Tensor, NDArray> in = new HashMap<>();
            in.put(l.input(), act);
            l.weights().forEach(t -> in.put(t, weights.get(t.name())));
            act = ReferenceEvaluator.evaluate(l.dag(), in).get(l.output());
        }
        return act;
    }

    /** The compiled network: one module per layer, and buffers for the activations between them. */
    public final class Compiled {
        private final List<Module> modules;
        private final Map<String, NDArray> weights;

        private Compiled(List<Module> modules, Map<String, NDArray> weights) {
            for (Layer l : layers) {
                for (Tensor t : l.weights()) {
                    NDArray a = weights.get(t.name());
                    if (a == null || !java.util.Arrays.equals(a.shape(), shape(t))) {
                        throw new IllegalArgumentException("LeNet needs weight " + t.name() + " of shape "
                                + java.util.Arrays.toString(shape(t)) + ", got " + a);
                    }
                }
            }
            this.modules = List.copyOf(modules);
            this.weights = Map.copyOf(weights);
        }

        public List<Module> modules() {
            return modules;
        }

        /** Class probabilities {@code [batch,10]} for {@code image} {@code [batch,1,28,28]}. */
        public NDArray run(NDArray image) {
            if (!java.util.Arrays.equals(image.shape(), shape(layers.getFirst().input()))) {
                throw new IllegalArgumentException("LeNet input must be float32"
                        + java.util.Arrays.toString(shape(layers.getFirst().input())) + ", got " + image);
            }
            NDArray act = image;
            for (int i = 0; i < layers.size(); i++) {
                Layer l = layers.get(i);
                Map<String, NDArray> byName = new HashMap<>(weights);
                byName.put(l.input().name(), act);
                NDArray out = NDArray.zeros(DType.FLOAT32, shape(l.output()));
                byName.put(l.output().name(), out);
                Module m = modules.get(i);
                m.call(m.params().stream().map(p -> byName.get(p.name())).toArray(NDArray[]::new));
                act = out;
            }
            return act;
        }
    }

    private static Tensor convRelu(List<Layer> ls, String name, Tensor x, int out, int pad) {
        Tensor in = input(x, name);
        long cin = shape(x)[1];
        Tensor w = placeholder(List.of(out, cin, 5, 5), DType.FLOAT32, name + "_w");
        Tensor b = placeholder(List.of(out), DType.FLOAT32, name + "_b");
        Tensor c = Conv.conv2dNchw(in, w, Conv2dParams.DEFAULT.withPadding(pad), name);
        Tensor y = Elementwise.relu(Elementwise.biasAdd(c, b, 1, name + "_bias"), name + "_relu");
        ls.add(new Layer(name, ComputeDag.of(y), in, List.of(w, b), y));
        return y;
    }

    private static Tensor pool(List<Layer> ls, String name, Tensor x) {
        Tensor in = input(x, name);
        Tensor y = Pool.maxPool2d(in, Pool2dParams.of(2), Layout.NCHW, name);
        ls.add(new Layer(name, ComputeDag.of(y), in, List.of(), y));
        return y;
    }

    private static Tensor dense(List<Layer> ls, String name, Tensor x, int out, boolean softmax) {
        Tensor in = input(x, name);
        Tensor flat = in.ndim() == 2 ? in : Transform.flatten(in, 1, name + "_flat");
        Tensor w = placeholder(List.of(out, shape(flat)[1]), DType.FLOAT32, name + "_w");
        Tensor b = placeholder(List.of(out), DType.FLOAT32, name + "_b");
        Tensor h = Elementwise.biasAdd(Linalg.matmulTransposedB(flat, w, name), b, 1, name + "_bias");
        Tensor y = softmax ? Norm.softmax(h, 1, name + "_softmax") : Elementwise.relu(h, name + "_relu");
        ls.add(new Layer(name, ComputeDag.of(y), in, List.of(w, b), y));
        return y;
    }

    /** A placeholder standing for the previous layer's output, so each layer is a DAG of its own. */
    private static Tensor input(Tensor previous, String layer) {
        return previous.op() instanceof dev.lathe.te.PlaceholderOp ? previous
                : placeholder(previous.shape(), previous.dtype(), layer + "_in");
    }

    private static long[] shape(Tensor t) {
        return t.shape().stream().mapToLong(e -> ((IntImm) e).value()).toArray();
    }
}
