package dev.lathe.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lathe.autoschedule.AutoScheduler;
import dev.lathe.graph.Graph;
import dev.lathe.graph.GraphExecutor;
import dev.lathe.graph.pass.ConstantFolding;
import dev.lathe.graph.pass.FoldBatchNorm;
import dev.lathe.ir.DType;
import dev.lathe.measure.SearchTask;
import dev.lathe.measure.Target;
import dev.lathe.onnx.OnnxImporter;
import dev.lathe.onnx.models.ResNet18;
import dev.lathe.onnx.models.TransformerBlock;
import dev.lathe.records.ApplyHistoryBest;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;

import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * End-to-end latency of whole networks: N2 (ResNet-18, batch 1, 224×224) and N3 (transformer encoder
 * block, sequence 128, hidden 768), generated from a fixed seed. Per model: Lathe under the static
 * mode, Lathe after tuning the network's kernels with {@code trials} measured trials shared among them
 * (continuing {@code <recordsDir>/<model>.jsonl}), and ONNX Runtime on the same model file with the
 * same thread count, all in this process, timed in turn; medians. Lathe runs the graph after constant
 * folding and batch-norm folding, one kernel per remaining node.
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
        Target host = Target.host();
        out.printf("whole networks, %d thread(s), %d tuning trials per network; end-to-end latency in ms, "
                + "timed in turn, median of %d%n", threads, trials, repeats);
        out.println("| network | nodes compiled | static (ms) | tuned (ms) | tuning wall (s) | ONNX Runtime (ms) "
                + "| ORT / static | ORT / tuned | max abs diff vs ORT |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (String id : ids) {
            Network n = network(id);
            Graph g = FoldBatchNorm.run(ConstantFolding.run(OnnxImporter.fromModel(n.model(), id)));
            Map<String, NDArray> in = Map.of(n.input(), NDArray.random(DType.FLOAT32, new Random(1), n.shape()));

            List<ComputeDag> dags = new ArrayList<>();
            GraphExecutor statical = GraphExecutor.of(g, dag -> {
                dags.add(dag);
                return AutoScheduler.schedule(dag, host);
            });
            setThreads(statical, in, threads);

            GraphExecutor tuned = null;
            double wall = 0;
            if (trials > 0) {
                Path records = recordsDir.resolve(id + ".jsonl");
                long t0 = System.nanoTime();
                AutoScheduler.tune(jobs(dags, threads, host), trials, records);
                wall = (System.nanoTime() - t0) / 1e9;
                Function<ComputeDag, State> best = ApplyHistoryBest.load(records, host)
                        .withFallback(dag -> AutoScheduler.schedule(dag, host))::schedule;
                tuned = GraphExecutor.of(g, best);
                setThreads(tuned, in, threads);
            }

            try (Ort ort = new Ort(n, threads)) {
                List<Runnable> runs = new ArrayList<>();
                runs.add(() -> statical.run(in));
                if (tuned != null) {
                    GraphExecutor t = tuned;
                    runs.add(() -> t.run(in));
                }
                runs.add(() -> ort.run(in.get(n.input())));
                double[][] t = Timer.interleaved(repeats, runs.toArray(Runnable[]::new));
                double ms = Timer.median(t[0]) * 1e3;
                double mt = tuned == null ? Double.NaN : Timer.median(t[1]) * 1e3;
                double mo = Timer.median(t[t.length - 1]) * 1e3;
                NDArray want = ort.run(in.get(n.input()));
                NDArray got = (tuned != null ? tuned : statical).run(in).values().iterator().next();
                out.printf("| %s | %d | %.2f | %s | %s | %.2f | %.2f | %s | %.2e |%n", id, dags.size(), ms,
                        tuned == null ? "–" : String.format("%.2f", mt), tuned == null ? "–" : String.format("%.0f", wall),
                        mo, mo / ms, tuned == null ? "–" : String.format("%.2f", mo / mt), Timer.maxDiff(got, want));
            }
        }
    }

    /** Compiles the executor's plan for these inputs and sets every kernel's thread count. */
    private static void setThreads(GraphExecutor ex, Map<String, NDArray> in, int threads) {
        ex.plan(in).steps().forEach(s -> s.kernel().setThreads(threads));
    }

    /** One tuning task per distinct kernel, weighted by how many nodes compile to it. */
    static List<AutoScheduler.Job> jobs(List<ComputeDag> dags, int threads, Target host) {
        Map<String, ComputeDag> byKey = new LinkedHashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        for (ComputeDag d : dags) {
            byKey.putIfAbsent(d.workloadKey(), d);
            count.merge(d.workloadKey(), 1, Integer::sum);
        }
        List<AutoScheduler.Job> jobs = new ArrayList<>();
        int i = 0;
        for (var e : byKey.entrySet()) {
            jobs.add(new AutoScheduler.Job("task" + i++, new SearchTask(e.getValue(), host, threads, Map.of()),
                    count.get(e.getKey()), 0));
        }
        return jobs;
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
