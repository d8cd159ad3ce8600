package dev.lathe.measure;

import java.util.List;

/**
 * Measures on this machine: a {@link LocalBuilder} compiles the candidates in parallel, then a
 * {@link ProcessRunner} times them one by one in its worker process. Results come in input
 * order with build and run seconds filled; closing kills the worker.
 */
public final class LocalMeasurer implements Measurer {
    private final LocalBuilder builder;
    private final ProcessRunner runner;

    public LocalMeasurer(LocalBuilder builder, ProcessRunner runner) {
        this.builder = builder;
        this.runner = runner;
    }

    /** The system compiler on every core, and a worker timing with {@code options}. */
    public static LocalMeasurer create(RunOptions options) {
        LocalBuilder b = LocalBuilder.create();
        return new LocalMeasurer(b, new ProcessRunner(options, b));
    }

    public LocalBuilder builder() {
        return builder;
    }

    public ProcessRunner runner() {
        return runner;
    }

    @Override
    public List<MeasureResult> measure(List<MeasureInput> inputs) {
        return runner.run(inputs, builder.build(inputs));
    }

    @Override
    public List<MeasureResult> measure(List<MeasureInput> inputs, double slowSeconds) {
        return runner.run(inputs, builder.build(inputs), slowSeconds);
    }

    @Override
    public void close() {
        runner.close();
        builder.close();
    }
}
