package dev.lathe.bench;

import dev.lathe.runtime.NDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * OpenBLAS sgemm, the peer of matmul benchmarks, called through FFM. OpenBLAS picks its kernels
 * from {@code OPENBLAS_CORETYPE} when the library is loaded, so each core type gets its own
 * copy of the library, loaded after setting the variable: both variants live in one process and
 * are measured in the same run.
 */
public final class OpenBlas {
    /** Debian's OpenMP build (steadier thread placement than the pthread one). */
    public static final Path LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0");
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;

    private final String label;
    private final MethodHandle sgemm;
    private final MethodHandle setThreads;

    private OpenBlas(String label, MethodHandle sgemm, MethodHandle setThreads) {
        this.label = label;
        this.sgemm = sgemm;
        this.setThreads = setThreads;
    }

    public static boolean available() {
        return Files.isReadable(LIBRARY);
    }

    /**
     * Loads a private copy of OpenBLAS with {@code OPENBLAS_CORETYPE} set to {@code coreType}
     * (null: unset, OpenBLAS's own choice).
     */
    public static OpenBlas load(String coreType) {
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            if (coreType == null) {
                MethodHandle unsetenv = linker.downcallHandle(libc.find("unsetenv").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
                try (Arena a = Arena.ofConfined()) {
                    int rc = (int) unsetenv.invokeExact(a.allocateFrom("OPENBLAS_CORETYPE"));
                }
            } else {
                MethodHandle setenv = linker.downcallHandle(libc.find("setenv").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                try (Arena a = Arena.ofConfined()) {
                    int rc = (int) setenv.invokeExact(a.allocateFrom("OPENBLAS_CORETYPE"), a.allocateFrom(coreType), 1);
                }
            }
            Path copy = Files.createTempFile("lathe-openblas-", ".so");
            copy.toFile().deleteOnExit();
            Files.copy(LIBRARY, copy, StandardCopyOption.REPLACE_EXISTING);
            SymbolLookup lib = SymbolLookup.libraryLookup(copy, Arena.global());
            MethodHandle sgemm = linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle threads = linker.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
            return new OpenBlas(coreType == null ? "as installed" : coreType, sgemm, threads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot load OpenBLAS from " + LIBRARY + ": " + t, t);
        }
    }

    public String label() {
        return label;
    }

    public void threads(int n) {
        try {
            setThreads.invokeExact(n);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** C[b,M,N] = A[b,M,K] · B[b,K,N] for every b, row-major: one sgemm per batch (the usual way without a batched BLAS). */
    public void sgemmBatched(NDArray a, NDArray b, NDArray c) {
        int batch = (int) a.dim(0);
        int m = (int) a.dim(1);
        int k = (int) a.dim(2);
        int n = (int) b.dim(2);
        long fa = 4L * m * k;
        long fb = 4L * k * n;
        long fc = 4L * m * n;
        try {
            for (int i = 0; i < batch; i++) {
                sgemm.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1.0f, a.segment().asSlice(i * fa, fa), k,
                        b.segment().asSlice(i * fb, fb), n, 0.0f, c.segment().asSlice(i * fc, fc), n);
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** C[M,N] = A[M,K] · B[K,N], row-major. */
    public void sgemm(NDArray a, NDArray b, NDArray c) {
        int m = (int) a.dim(0);
        int k = (int) a.dim(1);
        int n = (int) b.dim(1);
        try {
            sgemm.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1.0f, a.segment(), k, b.segment(), n, 0.0f,
                    c.segment(), n);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

}
