package dev.lathe.graph.compile;

import dev.lathe.autoschedule.AutoScheduler;
import dev.lathe.build.Build;
import dev.lathe.graph.Constant;
import dev.lathe.graph.Graph;
import dev.lathe.graph.fusion.Fusion;
import dev.lathe.graph.fusion.GroupLowering;
import dev.lathe.graph.pass.Passes;
import dev.lathe.graph.task.NetworkTask;
import dev.lathe.graph.task.TaskExtractor;
import dev.lathe.graph.task.TaskTable;
import dev.lathe.measure.LocalMeasurer;
import dev.lathe.measure.RunOptions;
import dev.lathe.measure.Target;
import dev.lathe.records.ApplyHistoryBest;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles and tunes whole networks:
 * <pre>
 * TaskTable tasks = NetworkCompiler.tasks(graph);                      // what would be tuned
 * CompiledNetwork net = NetworkCompiler.compile(graph);                 // static mode, no measuring
 * CompiledNetwork net = NetworkCompiler.tune(graph, 200, records);      // tune, then compile from the records
 * CompiledNetwork net = NetworkCompiler.compile(graph, records);        // compile from earlier records
 * </pre>
 * Compiling runs the graph passes ({@link Passes#optimize}), partitions the graph into fused
 * groups, lowers each to one ComputeDag and compiles it once per workload key: from its best
 * record when there is one, else with the static mode, logging a line per task so compiled.
 */
public final class NetworkCompiler {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkCompiler.class);

    /**
     * @param target   the machine the kernels are for
     * @param threads  OpenMP threads per kernel (0: all cores)
     * @param optimize whether to run the graph passes first
     */
    public record Options(Target target, int threads, boolean optimize) {
        public static Options defaults() {
            return new Options(Target.host(), 0, true);
        }

        public Options withThreads(int n) {
            return new Options(target, n, optimize);
        }

        public Options withOptimize(boolean on) {
            return new Options(target, threads, on);
        }
    }

    /** The graph as compiled: after the passes, partitioned and lowered. */
    public record Lowered(Graph graph, List<GroupLowering> groups, TaskTable tasks) {
    }

    private NetworkCompiler() {
    }

    /** Passes, fusion, lowering and task extraction, without compiling anything. */
    public static Lowered lower(Graph graph, Options options) {
        Graph g = options.optimize() ? Passes.optimize(graph) : graph;
        List<GroupLowering> groups = GroupLowering.of(Fusion.partition(g), g.opset(), g.types(), g.initializers());
        return new Lowered(g, groups, TaskExtractor.extract(groups));
    }

    /** The network's tasks under the default options. */
    public static TaskTable tasks(Graph graph) {
        return lower(graph, Options.defaults()).tasks();
    }

    /** Compiles with the static mode for every task. */
    public static CompiledNetwork compile(Graph graph) {
        return compile(graph, null, Options.defaults());
    }

    /** Compiles with the best schedules in {@code records} (static mode for tasks without one). */
    public static CompiledNetwork compile(Graph graph, Path records) {
        return compile(graph, records, Options.defaults());
    }

    /** Compiles with {@code records} (may be null: static mode throughout). */
    public static CompiledNetwork compile(Graph graph, Path records, Options options) {
        return build(lower(graph, options), records, options);
    }

    /**
     * Tunes the network's tunable tasks sharing {@code trials} measured trials (the task scheduler
     * gives each round where it lowers the weighted latency most; a records file that already has
     * trials continues), then compiles from the records.
     */
    public static CompiledNetwork tune(Graph graph, int trials, Path records) {
        return tune(graph, trials, records, Options.defaults());
    }

    public static CompiledNetwork tune(Graph graph, int trials, Path records, Options options) {
        Lowered low = lower(graph, options);
        List<AutoScheduler.Job> jobs = low.tasks().jobs(options.target(), options.threads());
        if (jobs.isEmpty()) {
            LOG.info("network {}: no task worth tuning; compiling with the static mode", graph.name());
        } else {
            LOG.info("network {}: tuning {} tasks with {} trials in all", graph.name(), jobs.size(), trials);
            // Rounds small enough that every task gets a share of a small budget (16 at most, as for one task).
            int perRound = Math.clamp(trials / (2L * jobs.size()), 1, 16);
            RunOptions run = RunOptions.defaults().withTiming(1, 3, 20).withTimeoutSeconds(10);
            try (LocalMeasurer measurer = LocalMeasurer.create(run)) {
                AutoScheduler.tune(jobs, trials, records, measurer, perRound);
            }
        }
        return build(low, records, options);
    }

    private static CompiledNetwork build(Lowered low, Path records, Options options) {
        Target target = options.target();
        ApplyHistoryBest best = records != null && Files.exists(records)
                ? AutoScheduler.applyHistoryBest(records, target) : null;
        Map<String, Module> byKey = new HashMap<>();
        List<Step> steps = new ArrayList<>();
        for (GroupLowering gl : low.groups()) {
            String key = gl.dag().workloadKey();
            Module m = byKey.computeIfAbsent(key, k -> {
                NetworkTask task = low.tasks().byKey(k).orElseThrow();
                Module built = Build.build(schedule(gl, task, best, target), gl.group().kernelName());
                built.setThreads(options.threads());
                return built;
            });
            steps.add(new Step(gl.group().kernelName(), key, m, gl.arguments(), gl.isOutput()));
        }
        Map<String, NDArray> constants = new LinkedHashMap<>();
        for (Map.Entry<String, Constant> e : low.graph().initializers().entrySet()) {
            constants.put(e.getKey(), e.getValue().data());
        }
        return new CompiledNetwork(low.graph().name(), low.graph().inputs(), low.graph().outputs(), constants, steps,
                low.graph().types());
    }

    private static State schedule(GroupLowering gl, NetworkTask task, ApplyHistoryBest best, Target target) {
        if (best != null && task.tuned()) {
            var record = best.record(gl.dag());
            if (record.isPresent()) {
                return record.get().toState(gl.dag());
            }
        }
        String why = switch (task.status()) {
            case TUNE -> best == null ? "no records given" : "no record for its workload";
            case TRIVIAL -> "trivial";
            case DYNAMIC -> "symbolic shape " + task.shape();
        };
        LOG.info("task {} ({}, weight {}): not tuned ({}), static mode", task.name(), task.opKinds(), task.weight(), why);
        return AutoScheduler.schedule(gl.dag(), target);
    }
}
