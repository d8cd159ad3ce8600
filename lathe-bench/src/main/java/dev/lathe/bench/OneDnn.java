package dev.lathe.bench;

import dev.lathe.runtime.NDArray;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * oneDNN's fp32 forward convolution, the peer of conv2d benchmarks, called through FFM over a
 * small C shim ({@code onednn_conv.c}) that the system compiler builds against Debian's
 * {@code libdnnl-dev}: oneDNN's descriptors are large C structs whose layout changes between
 * versions, so they stay on the C side. Weights are reordered once into oneDNN's preferred
 * layout when a convolution is prepared; only the convolution is timed.
 */
public final class OneDnn {
    public static final Path HEADER = Path.of("/usr/include/oneapi/dnnl/dnnl.h");

    private static MethodHandle prepare;
    private static MethodHandle run;

    private OneDnn() {
    }

    public static boolean available() {
        return Files.isReadable(HEADER);
    }

    /** The activation layout: NHWC with HWIO weights, or NCHW with OIHW weights (Lathe's conv2d ops). */
    public enum Layout { NHWC, NCHW }

    /** A prepared convolution: {@code dst = conv(src, weights) [+ bias, relu]} with stride and symmetric padding. */
    public static final class Conv {
        private final MemorySegment handle;
        private final boolean biasRelu;

        private Conv(MemorySegment handle, boolean biasRelu) {
            this.handle = handle;
            this.biasRelu = biasRelu;
        }

        /** Runs on {@code threads} OpenMP threads; {@code bias} is ignored unless prepared with bias and ReLU. */
        public void run(int threads, NDArray src, NDArray bias, NDArray dst) {
            try {
                MemorySegment b = biasRelu ? bias.segment() : MemorySegment.NULL;
                int rc = (int) run.invokeExact(handle, threads, src.segment(), b, dst.segment());
                if (rc != 0) {
                    throw new IllegalStateException("oneDNN convolution failed with dnnl_status_t " + rc);
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    public static Conv conv2d(Layout layout, int n, int h, int w, int ci, int co, int kh, int kw,
                              int stride, int pad, boolean biasRelu, NDArray weights) {
        return conv2d(layout, n, h, w, ci, co, kh, kw, stride, pad, 1, biasRelu, weights);
    }

    /**
     * A grouped convolution ({@code groups} divides {@code ci} and {@code co}; depthwise when all three
     * are equal), weights HWIGO for NHWC (for depthwise: Lathe's {@code [KH, KW, C, 1]}) or GOIHW for NCHW.
     */
    public static synchronized Conv conv2d(Layout layout, int n, int h, int w, int ci, int co, int kh, int kw,
                                           int stride, int pad, int groups, boolean biasRelu, NDArray weights) {
        if (groups < 1 || ci % groups != 0 || co % groups != 0) {
            throw new IllegalArgumentException("groups " + groups + " must divide ci " + ci + " and co " + co);
        }
        bind();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment status = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment handle = (MemorySegment) prepare.invokeExact(layout.ordinal(), n, h, w, ci, co, kh, kw,
                    stride, pad, groups, biasRelu ? 1 : 0, weights.segment(), status);
            if (handle.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("oneDNN could not create the convolution: dnnl_status_t "
                        + status.get(ValueLayout.JAVA_INT, 0));
            }
            return new Conv(handle, biasRelu);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void bind() {
        if (prepare != null) {
            return;
        }
        if (!available()) {
            throw new IllegalStateException("oneDNN is not installed (" + HEADER + " is missing): apt-get install libdnnl-dev");
        }
        Path lib = buildShim();
        Linker linker = Linker.nativeLinker();
        SymbolLookup shim = SymbolLookup.libraryLookup(lib, Arena.global());
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout addr = ValueLayout.ADDRESS;
        prepare = linker.downcallHandle(shim.find("lathe_onednn_conv_prepare").orElseThrow(),
                FunctionDescriptor.of(addr, i, i, i, i, i, i, i, i, i, i, i, i, addr, addr));
        run = linker.downcallHandle(shim.find("lathe_onednn_conv_run").orElseThrow(),
                FunctionDescriptor.of(i, addr, i, addr, addr, addr));
    }

    private static Path buildShim() {
        try (InputStream in = OneDnn.class.getResourceAsStream("onednn_conv.c")) {
            Path dir = Files.createTempDirectory("lathe-onednn-");
            Path src = dir.resolve("onednn_conv.c");
            Files.writeString(src, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Path lib = dir.resolve("libonednn_conv.so");
            String cc = System.getenv().getOrDefault("CC", "cc");
            Process p = new ProcessBuilder(List.of(cc, "-O2", "-fPIC", "-shared", "-fopenmp", "-o", lib.toString(),
                    src.toString(), "-ldnnl")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("could not build the oneDNN shim " + src + ":\n" + out);
            }
            return lib;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
