package dev.lathe.measure;

import dev.lathe.build.Build;
import dev.lathe.codegen.CodegenC;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.runtime.CCompiler;
import dev.lathe.runtime.CompileException;
import dev.lathe.runtime.CompileTimeoutException;
import dev.lathe.schedule.State;
import dev.lathe.te.Tensor;
import dev.lathe.tir.PrimFunc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds candidates on this machine: lowers each schedule, generates C and compiles it into a
 * shared library with a {@link CCompiler}, several at once (at most {@code parallelism}), each
 * with a time limit. A library already in the compiler's cache is reused without compiling.
 * Every failure becomes a failed {@link BuildResult}: a schedule that cannot be lowered is
 * INVALID_SCHEDULE, C the compiler rejects is COMPILE_ERROR (with the compiler's output), a
 * compile over the time limit is COMPILE_TIMEOUT (the compiler is killed).
 */
public final class LocalBuilder implements AutoCloseable {
    /** The kernel name every candidate is lowered under, so equal schedules give equal C (and cache hits). */
    static final String KERNEL_NAME = "candidate";

    private final CCompiler cc;
    private final int parallelism;
    private final double timeoutSeconds;
    private final ExecutorService pool;

    public LocalBuilder(CCompiler cc, int parallelism, double timeoutSeconds) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        if (!(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("compile timeout must be positive, got " + timeoutSeconds + " s");
        }
        this.cc = cc;
        this.parallelism = parallelism;
        this.timeoutSeconds = timeoutSeconds;
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "lathe-builder");
            t.setDaemon(true);
            return t;
        });
    }

    /** The system compiler, one compile per core, 30 s per compile. */
    public static LocalBuilder create() {
        return new LocalBuilder(CCompiler.system(), Runtime.getRuntime().availableProcessors(), 30);
    }

    public CCompiler compiler() {
        return cc;
    }

    public int parallelism() {
        return parallelism;
    }

    public double timeoutSeconds() {
        return timeoutSeconds;
    }

    /** Builds every candidate; the results are in input order. */
    public List<BuildResult> build(List<MeasureInput> inputs) {
        List<Future<BuildResult>> futures = new ArrayList<>();
        for (MeasureInput in : inputs) {
            futures.add(pool.submit(() -> build(in)));
        }
        List<BuildResult> out = new ArrayList<>();
        for (Future<BuildResult> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                out.add(BuildResult.failed(ErrorKind.UNKNOWN, "builder failed: " + e.getCause(), 0));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(BuildResult.failed(ErrorKind.UNKNOWN, "interrupted while building", 0));
            }
        }
        return out;
    }

    /** Builds one candidate on the calling thread. */
    public BuildResult build(MeasureInput input) {
        long t0 = System.nanoTime();
        if (!input.state().original().workloadKey().equals(input.task().workloadKey())) {
            return BuildResult.failed(ErrorKind.INVALID_SCHEDULE, "the schedule is of another DAG (workload "
                    + input.state().original().workloadKey() + ", the task's is " + input.task().workloadKey() + ")",
                    seconds(t0));
        }
        PrimFunc f;
        CodegenC.Source src;
        try {
            f = Build.lower(input.state(), KERNEL_NAME);
            src = CodegenC.generate(f);
        } catch (RuntimeException | StackOverflowError e) {
            return BuildResult.failed(ErrorKind.INVALID_SCHEDULE, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    seconds(t0));
        }
        return compile(input.state(), f, src.entry(), src.text(), src.checkedSites(), t0);
    }

    /** The C source a candidate compiles from. */
    static String source(State state) {
        return CodegenC.generate(Build.lower(state, KERNEL_NAME)).text();
    }

    /**
     * Builds a candidate from the given C source instead of its generated one (same entry point
     * and parameters): lets tests build kernels that misbehave in specific ways.
     */
    BuildResult buildSource(MeasureInput input, String source) {
        long t0 = System.nanoTime();
        PrimFunc f = Build.lower(input.state(), KERNEL_NAME);
        CodegenC.Source generated = CodegenC.generate(f);
        return compile(input.state(), f, generated.entry(), source, generated.checkedSites(), t0);
    }

    private BuildResult compile(State state, PrimFunc f, String entry, String source, List<String> checkedSites, long t0) {
        List<BuildResult.Param> params = new ArrayList<>();
        for (Tensor t : f.params()) {
            List<Long> shape = new ArrayList<>();
            for (Expr d : t.shape()) {
                if (!(d instanceof IntImm i)) {
                    return BuildResult.failed(ErrorKind.UNKNOWN, "measuring needs constant shapes, but " + t.name()
                            + " has shape " + t.shape() + "; bind the size variables first", seconds(t0));
                }
                shape.add(i.value());
            }
            params.add(new BuildResult.Param(t.name(), t.dtype(), shape, state.dag().outputs().contains(t)));
        }
        try {
            var lib = cc.compile(source, Math.max(1, Math.round(timeoutSeconds * 1000)));
            return new BuildResult(new BuildResult.Kernel(f.name(), entry, lib, params, checkedSites), ErrorKind.NONE, "",
                    seconds(t0));
        } catch (CompileTimeoutException e) {
            return BuildResult.failed(ErrorKind.COMPILE_TIMEOUT, e.getMessage(), seconds(t0));
        } catch (CompileException e) {
            return BuildResult.failed(ErrorKind.COMPILE_ERROR, e.compilerOutput().strip(), seconds(t0));
        } catch (RuntimeException e) {
            return BuildResult.failed(ErrorKind.UNKNOWN, e.getClass().getSimpleName() + ": " + e.getMessage(), seconds(t0));
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
