package dev.lathe.bench;

import dev.lathe.build.Build;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.measure.SearchTask;

import java.util.List;
import java.util.Optional;

/**
 * The peer each single-operator workload is measured against, in the same process and on the same
 * arguments as Lathe's kernel: OpenBLAS sgemm (AVX-512 SkylakeX kernels) for the matrix products,
 * oneDNN for the convolutions (grouped for the depthwise one), and for the row reductions, which
 * have no library peer here, the default schedule — plain C loops compiled with gcc -O3.
 */
public final class Peers {
    /** A prepared peer: its name, one run of it, and the array it writes (Lathe's output shape). */
    public record Peer(String name, Runnable run, NDArray out) {
    }

    private Peers() {
    }

    /**
     * The peer of workload {@code id} on {@code args} (the task's arguments in order, the output last),
     * or empty when its library is not installed.
     */
    public static Optional<Peer> of(String id, SearchTask task, List<NDArray> args, int threads) {
        NDArray dst = NDArray.zeros(args.getLast().dtype(), args.getLast().shape());
        if (id.startsWith("MM")) {
            if (!OpenBlas.available() || !HandMatmulBench.hasAvx512()) {
                return Optional.empty();
            }
            OpenBlas blas = OpenBlas.load("SkylakeX");
            blas.threads(threads);
            Runnable run = args.get(0).ndim() == 3
                    ? () -> blas.sgemmBatched(args.get(0), args.get(1), dst)
                    : () -> blas.sgemm(args.get(0), args.get(1), dst);
            return Optional.of(new Peer("OpenBLAS SkylakeX", run, dst));
        }
        if (id.matches("C[1-6](-NCHW)?|D1")) {
            if (!OneDnn.available()) {
                return Optional.empty();
            }
            boolean nchw = id.endsWith("-NCHW");
            long[] in = args.get(0).shape();
            long[] wt = args.get(1).shape();
            long[] out = dst.shape();
            int ci = (int) (nchw ? in[1] : in[3]);
            int h = (int) (nchw ? in[2] : in[1]);
            int w = (int) (nchw ? in[3] : in[2]);
            int co = (int) (nchw ? out[1] : out[3]);
            int oh = (int) (nchw ? out[2] : out[1]);
            int k = (int) (nchw ? wt[2] : wt[0]);
            int pad = k / 2;
            int stride = oh > 1 ? (h + 2 * pad - k) / (oh - 1) : 1;
            int groups = id.equals("D1") ? ci : 1;
            boolean biasRelu = id.equals("C6");
            OneDnn.Conv conv = OneDnn.conv2d(nchw ? OneDnn.Layout.NCHW : OneDnn.Layout.NHWC, 1, h, w, ci, co, k, k,
                    stride, pad, groups, biasRelu, args.get(1));
            NDArray bias = biasRelu ? args.get(2) : null;
            return Optional.of(new Peer(groups > 1 ? "oneDNN (depthwise)" : "oneDNN",
                    () -> conv.run(threads, args.get(0), bias, dst), dst));
        }
        if (id.startsWith("R")) {
            Module plain = Build.build(State.initial(task.dag()), "plain_" + id.toLowerCase());
            plain.setThreads(1);
            NDArray[] argv = args.subList(0, args.size() - 1).toArray(new NDArray[args.size()]);
            argv[argv.length - 1] = dst;
            return Optional.of(new Peer("plain C loops (gcc -O3)", () -> plain.call(argv), dst));
        }
        return Optional.empty();
    }
}
