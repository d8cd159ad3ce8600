package dev.lathe.graph.task;

import dev.lathe.te.ComputeDag;

import java.util.List;

/**
 * One distinct workload of a network: the DAG of a fused group, how many groups share its
 * workload key ({@code weight}), the groups' kernel names, and whether it is worth tuning.
 */
public record NetworkTask(String name, String workloadKey, String opKinds, String shape, int weight, double flops,
                          Status status, ComputeDag dag, List<String> groups) {
    public NetworkTask {
        groups = List.copyOf(groups);
    }

    /** What compiling does with a task. */
    public enum Status {
        /** Tuned by the task scheduler; compiled from the best record. */
        TUNE,
        /** Too small to be worth measuring (shape arithmetic, a handful of elements): static mode. */
        TRIVIAL,
        /** Some shape is symbolic, so no single program can be measured: static mode, symbolic kernel. */
        DYNAMIC
    }

    public boolean tuned() {
        return status == Status.TUNE;
    }
}
