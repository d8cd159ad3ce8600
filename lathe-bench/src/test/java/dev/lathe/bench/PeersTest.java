package dev.lathe.bench;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.Elementwise;
import dev.lathe.ops.Padding2d;
import dev.lathe.ops.Size2d;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static dev.lathe.te.Te.placeholder;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The peers compute what Lathe computes: a benchmark ratio against a wrong peer would mean nothing. */
class PeersTest {
    @Test
    void oneDnnConvolutionWithBiasAndReluMatchesLathe() {
        assumeTrue(OneDnn.available(), "libdnnl-dev is not installed");
        int n = 1, h = 9, w = 7, ci = 5, co = 6, k = 3, stride = 2, pad = 1;
        Tensor in = placeholder(List.of(n, h, w, ci), DType.FLOAT32, "data");
        Tensor wt = placeholder(List.of(k, k, ci, co), DType.FLOAT32, "weight");
        Tensor bias = placeholder(List.of(co), DType.FLOAT32, "bias");
        Conv2dParams p = new Conv2dParams(new Size2d(stride, stride), Padding2d.of(pad), new Size2d(1, 1), 1);
        Tensor conv = Conv.conv2dNhwc(in, wt, p, "conv");
        Tensor out = Elementwise.relu(Elementwise.biasAdd(conv, bias, 3, "biased"), "out");
        Module lathe = Build.build(ComputeDag.of(out), "peer_check");
        Random rng = new Random(7);
        NDArray x = NDArray.random(DType.FLOAT32, rng, n, h, w, ci);
        NDArray wa = NDArray.random(DType.FLOAT32, rng, k, k, ci, co);
        NDArray b = NDArray.random(DType.FLOAT32, rng, co);
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        NDArray want = NDArray.zeros(DType.FLOAT32, n, oh, ow, co);
        NDArray got = NDArray.zeros(DType.FLOAT32, n, oh, ow, co);
        lathe.call(x, wa, b, want);
        OneDnn.conv2d(OneDnn.Layout.NHWC, n, h, w, ci, co, k, k, stride, pad, true, wa).run(1, x, b, got);
        assertClose(want, got);
    }

    @Test
    void openBlasSgemmMatchesLathe() {
        assumeTrue(OpenBlas.available(), "libopenblas-openmp-dev is not installed");
        int m = 33, kk = 17, nn = 20;
        Tensor a = placeholder(List.of(m, kk), DType.FLOAT32, "A");
        Tensor bt = placeholder(List.of(kk, nn), DType.FLOAT32, "B");
        Module lathe = Build.build(ComputeDag.of(dev.lathe.ops.Linalg.matmul(a, bt, "C")), "peer_mm");
        Random rng = new Random(3);
        NDArray x = NDArray.random(DType.FLOAT32, rng, m, kk);
        NDArray y = NDArray.random(DType.FLOAT32, rng, kk, nn);
        NDArray want = NDArray.zeros(DType.FLOAT32, m, nn);
        NDArray got = NDArray.zeros(DType.FLOAT32, m, nn);
        lathe.call(x, y, want);
        OpenBlas.load(null).sgemm(x, y, got);
        assertClose(want, got);
    }

    private static void assertClose(NDArray want, NDArray got) {
        double worst = 0;
        for (long i = 0; i < want.size(); i++) {
            worst = Math.max(worst, Math.abs(want.getDouble(i) - got.getDouble(i)) / (1 + Math.abs(want.getDouble(i))));
        }
        assertTrue(worst < 1e-4, "peer differs from Lathe by " + worst);
    }

    /** Every workload's peer (batched sgemm, NCHW, strided and depthwise oneDNN, plain loops) computes Lathe's result. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"MM2b", "C1-NCHW", "C5", "C6", "D1", "R1"})
    void eachWorkloadsPeerMatchesLathe(String id) {
        dev.lathe.measure.SearchTask task = Workloads.get(id).task().apply(1);
        List<NDArray> args = dev.lathe.template.KernelTimer.arguments(task, 5);
        java.util.Optional<Peers.Peer> peer = Peers.of(id, task, args, 1);
        assumeTrue(peer.isPresent(), "the peer library of " + id + " is not installed");
        Module lathe = Build.build(dev.lathe.autoschedule.AutoScheduler.schedule(task.dag(), task.target()), "peer_" + id.replace('-', '_'));
        lathe.call(args.toArray(NDArray[]::new));
        peer.get().run().run();
        assertClose(args.getLast(), peer.get().out());
    }
}
