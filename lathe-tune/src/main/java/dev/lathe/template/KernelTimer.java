package dev.lathe.template;

import dev.lathe.ir.IntImm;
import dev.lathe.measure.SearchTask;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Times a compiled kernel of a task in this process: the task inputs (real sparse indices) and
 * random data for the other inputs, one warm-up call, then {@code repeat} timings each averaging
 * {@code number} calls. For inspection and small examples; tuning runs measure in a separate
 * process.
 */
public final class KernelTimer {
    private KernelTimer() {
    }

    /** The kernel's arguments: inputs (task inputs where given, else random) then zeroed outputs. */
    public static List<NDArray> arguments(SearchTask task, long seed) {
        Random rng = new Random(seed);
        List<NDArray> args = new ArrayList<>();
        Map<Tensor, NDArray> given = task.taskInputs();
        for (Tensor t : task.dag().arguments()) {
            boolean output = task.dag().outputs().contains(t);
            long[] dims = dims(t);
            if (output) {
                args.add(NDArray.zeros(t.dtype(), dims));
            } else {
                args.add(given.containsKey(t) ? given.get(t) : NDArray.random(t.dtype(), rng, dims));
            }
        }
        return args;
    }

    public static List<Double> time(SearchTask task, Module module, int number, int repeat) {
        if (number < 1 || repeat < 1) {
            throw new IllegalArgumentException("number and repeat must be >= 1, got " + number + ", " + repeat);
        }
        if (task.threads() > 0) {
            module.setThreads(task.threads());
        }
        NDArray[] args = arguments(task, 1).toArray(NDArray[]::new);
        module.call(args);
        List<Double> out = new ArrayList<>();
        for (int r = 0; r < repeat; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < number; i++) {
                module.call(args);
            }
            out.add((System.nanoTime() - t0) / 1e9 / number);
        }
        return out;
    }

    static long[] dims(Tensor t) {
        long[] d = new long[t.shape().size()];
        for (int i = 0; i < d.length; i++) {
            if (!(t.shape().get(i) instanceof IntImm imm)) {
                throw new IllegalArgumentException("timing needs static shapes, but " + t.name() + " has shape " + t.shape());
            }
            d[i] = imm.value();
        }
        return d;
    }
}
