package dev.lathe.graph.task;

import dev.lathe.graph.fusion.GroupLowering;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the lowered fused groups of a network into search tasks: groups with equal workload keys
 * become one task whose weight is their count. A task is trivial when all its outputs together
 * have fewer than {@link #TRIVIAL_ELEMENTS} elements, dynamic when a shape is symbolic.
 */
public final class TaskExtractor {
    /** Below this many output elements a kernel runs in well under a microsecond: measuring it gains nothing. */
    public static final long TRIVIAL_ELEMENTS = 1000;

    private TaskExtractor() {
    }

    public static TaskTable extract(List<GroupLowering> groups) {
        Map<String, List<GroupLowering>> byKey = new LinkedHashMap<>();
        for (GroupLowering g : groups) {
            byKey.computeIfAbsent(g.dag().workloadKey(), k -> new ArrayList<>()).add(g);
        }
        List<NetworkTask> tasks = new ArrayList<>();
        for (var e : byKey.entrySet()) {
            GroupLowering first = e.getValue().getFirst();
            ComputeDag dag = first.dag();
            String name = "t" + tasks.size() + "_" + first.group().opKinds().replace('+', '_');
            tasks.add(new NetworkTask(name, e.getKey(), first.group().opKinds(), shape(dag), e.getValue().size(),
                    Flops.of(dag), status(dag), dag,
                    e.getValue().stream().map(g -> g.group().kernelName()).toList()));
        }
        return new TaskTable(tasks);
    }

    static NetworkTask.Status status(ComputeDag dag) {
        if (!dag.sizeVars().isEmpty()) {
            return NetworkTask.Status.DYNAMIC;
        }
        long elements = 0;
        for (Tensor t : dag.outputs()) {
            long n = 1;
            for (var d : t.shape()) {
                n *= dev.lathe.ir.Exprs.asConst(d).orElse(1);
            }
            elements += n;
        }
        return elements < TRIVIAL_ELEMENTS ? NetworkTask.Status.TRIVIAL : NetworkTask.Status.TUNE;
    }

    private static String shape(ComputeDag dag) {
        Tensor t = dag.outputs().getFirst();
        return t.dtype().label() + t.shape().stream().map(dev.lathe.ir.Printer::expr).toList().toString().replace(" ", "");
    }
}
