package dev.lathe.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lathe.graph.Graph;
import dev.lathe.graph.compile.CompiledNetwork;
import dev.lathe.graph.compile.NetworkCompiler;
import dev.lathe.ir.DType;
import dev.lathe.onnx.OnnxImporter;
import dev.lathe.onnx.models.ResNet18;
import dev.lathe.onnx.models.TransformerBlock;
import dev.lathe.runtime.NDArray;

import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * End-to-end latency of whole networks: N2 (ResNet-18, batch 1, 224×224) and N3 (transformer encoder
 * block, sequence 128, hidden 768), generated from a fixed seed. Per model: Lathe under the static
 * mode, Lathe after tuning the network's kernels with {@code trials} measured trials shared among them
 * (continuing {@code <recordsDir>/<model>.jsonl}), and ONNX Runtime on the same model file with the
 * same thread count, all in this process, timed in blocks of runs (each after 2 warm-up runs); medians. Lathe compiles the network as
 * {@link NetworkCompiler} does by default: graph passes, fused groups, one kernel per distinct group.
 */
public final class NetworkBench {
    static final long SEED = 2024;

    private NetworkBench() {
    }

    /** A network: its model and its one input's name and shape. */
    record Network(String id, ModelProto model, String input, long[] shape) {
    }

    static Network network(String id) {
        return switch (id) {
            case "N2" -> new Network(id, ResNet18.build(SEED), "data", new long[]{1, 3, 224, 224});
            case "N3" -> new Network(id, TransformerBlock.build(SEED), "x",
                    new long[]{1, TransformerBlock.N3.seq(), TransformerBlock.N3.hidden()});
            default -> throw new IllegalArgumentException("unknown network '" + id + "'; known: N2 (ResNet-18), N3 "
                    + "(transformer encoder block)");
        };
    }

    public static void run(List<String> ids, int trials, int threads, Path recordsDir, int repeats, PrintStream out) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive (ONNX Runtime gets the same count), got "
                    + threads);
        }
        out.printf("whole networks, %d thread(s), %d tuning trials per network; end-to-end latency in ms, "
                + "timed in blocks, median of %d%n", threads, trials, repeats);
        out.println("| network | kernel calls | tuned tasks | static (ms) | tuned (ms) | tuning wall (s) | ONNX Runtime (ms) "
                + "| ORT / static | ORT / tuned | max abs diff vs ORT |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String id : ids) {
            Network n = network(id);
            Graph g = OnnxImporter.fromModel(n.model(), id);
            Map<String, NDArray> in = Map.of(n.input(), NDArray.random(DType.FLOAT32, new Random(1), n.shape()));
            NetworkCompiler.Options options = NetworkCompiler.Options.defaults().withThreads(threads);
            NetworkCompiler.Lowered lowered = NetworkCompiler.lower(g, options);
            CompiledNetwork statical = NetworkCompiler.compile(g, null, options);
            CompiledNetwork tuned = null;
            double wall = 0;
            if (trials > 0) {
                long t0 = System.nanoTime();
                tuned = NetworkCompiler.tune(g, trials, recordsDir.resolve(id + ".jsonl"), options);
                wall = (System.nanoTime() - t0) / 1e9;
            }
            try (Ort ort = new Ort(n, threads)) {
                List<Runnable> runs = new ArrayList<>();
                runs.add(() -> statical.run(in));
                if (tuned != null) {
                    CompiledNetwork t = tuned;
                    runs.add(() -> t.run(in));
                }
                runs.add(() -> ort.run(in.get(n.input())));
                // In blocks, not interleaved run by run: after a run, OpenMP's and ONNX Runtime's worker
                // threads spin for a while, and on two cores they would slow the other runtime's next run.
                double[][] t = runs.stream().map(r -> Timer.time(r, 2, repeats)).toArray(double[][]::new);
                double ms = Timer.median(t[0]) * 1e3;
                double mt = tuned == null ? Double.NaN : Timer.median(t[1]) * 1e3;
                double mo = Timer.median(t[t.length - 1]) * 1e3;
                NDArray want = ort.run(in.get(n.input()));
                NDArray got = (tuned != null ? tuned : statical).run(in).values().iterator().next();
                out.printf("| %s | %d | %d | %.2f | %s | %s | %.2f | %.2f | %s | %.2e |%n", id, lowered.groups().size(),
                        lowered.tasks().tunable().size(), ms, tuned == null ? "–" : String.format("%.2f", mt),
                        tuned == null ? "–" : String.format("%.0f", wall), mo, mo / ms,
                        tuned == null ? "–" : String.format("%.2f", mo / mt), Timer.maxDiff(got, want));
            }
        }
    }

    /** An ONNX Runtime session on the same model, with as many intra-op threads as Lathe's kernels get. */
    private static final class Ort implements AutoCloseable {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession session;
        private final Network network;

        Ort(Network network, int threads) {
            this.network = network;
            try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
                opts.setIntraOpNumThreads(threads);
                opts.setInterOpNumThreads(1);
                session = env.createSession(network.model().toByteArray(), opts);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime could not load " + network.id() + ": " + e.getMessage(), e);
            }
        }

        NDArray run(NDArray x) {
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), network.shape());
                 OrtSession.Result r = session.run(Map.of(network.input(), t))) {
                OnnxTensor o = (OnnxTensor) r.get(0);
                FloatBuffer fb = o.getFloatBuffer();
                float[] v = new float[fb.remaining()];
                fb.get(v);
                return NDArray.of(v, o.getInfo().getShape());
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed on " + network.id() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
