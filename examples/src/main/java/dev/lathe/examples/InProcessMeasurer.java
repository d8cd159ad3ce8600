package dev.lathe.examples;

import dev.lathe.build.Build;
import dev.lathe.measure.ErrorKind;
import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.Measurer;
import dev.lathe.runtime.CompileException;
import dev.lathe.runtime.KernelFaultException;
import dev.lathe.runtime.Module;
import dev.lathe.template.KernelTimer;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds and times candidates in this process (for examples and tests: a crashing kernel takes the
 * JVM with it, which a process-isolated measurer avoids). Each candidate: one warm-up call, then
 * {@code repeat} timings of {@code number} calls each.
 */
public final class InProcessMeasurer implements Measurer {
    private final int number;
    private final int repeat;

    public InProcessMeasurer(int number, int repeat) {
        this.number = number;
        this.repeat = repeat;
    }

    @Override
    public List<MeasureResult> measure(List<MeasureInput> inputs) {
        List<MeasureResult> out = new ArrayList<>();
        for (MeasureInput in : inputs) {
            out.add(measure(in));
        }
        return out;
    }

    private MeasureResult measure(MeasureInput in) {
        long t0 = System.nanoTime();
        Module m;
        try {
            m = Build.build(in.state(), "candidate");
        } catch (CompileException e) {
            return MeasureResult.failed(ErrorKind.COMPILE_ERROR, e.getMessage(), secs(t0), 0);
        } catch (RuntimeException e) {
            return MeasureResult.failed(ErrorKind.INVALID_SCHEDULE, e.getMessage(), secs(t0), 0);
        }
        double build = secs(t0);
        long t1 = System.nanoTime();
        try {
            List<Double> costs = KernelTimer.time(in.task(), m, number, repeat);
            return new MeasureResult(costs, ErrorKind.NONE, "", build, secs(t1), System.currentTimeMillis());
        } catch (KernelFaultException e) {
            return MeasureResult.failed(ErrorKind.RUNTIME_ERROR, e.getMessage(), build, secs(t1));
        } catch (RuntimeException e) {
            return MeasureResult.failed(ErrorKind.UNKNOWN, e.getMessage(), build, secs(t1));
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public void close() {
    }
}
